/**
 * Table-driven tests of each crunch stage builder: input documents → stage(s) → expected
 * documents, run through the engine's mingo configuration (no database).
 */
import { describe, expect, it } from 'vitest';
import {
  assertYear,
  explodeOrderEntries,
  joinCarts,
  joinProducts,
  joinUsers,
  matchOrdersInYear,
  MONTH_KEYS,
  outputStage,
  projectOrders,
  projectSpending,
  regroupByMonth,
  rollUpCustomers,
  roundHalfEven,
  type Stage,
  sumByCategoryOverYear,
  sumByMonthAndCategory,
  yearRange,
} from '../../../src/spending/index.js';
import { type Doc, hex, oid, runStages, sortBy } from './helpers.js';

interface Case {
  message: string;
  input: Doc[];
  collections?: Record<string, Doc[]>;
  expected: Doc[];
}

/** Runs every case of a table through `stages`, comparing `view(output)` with `expected`. */
function table(stages: () => Stage | Stage[], cases: Case[], view: (docs: Doc[]) => Doc[] = (docs) => docs): void {
  it.each(cases)('$message', ({ input, collections, expected }) => {
    const built = stages();
    const output = runStages(Array.isArray(built) ? built : [built], input, collections);
    expect(view(output)).toEqual(expected);
  });
}

const d = (iso: string): Date => new Date(iso);

describe('yearRange / assertYear', () => {
  it('bounds the year in UTC, end exclusive', () => {
    expect(yearRange(2025)).toEqual({ start: d('2025-01-01T00:00:00.000Z'), end: d('2026-01-01T00:00:00.000Z') });
  });
  it('does not map two-digit years to the 1900s', () => {
    expect(yearRange(99).start.getUTCFullYear()).toBe(99);
  });
  it.each([2025.5, 0, -1, 10_000, Number.NaN, '2025', null])('refuses %s', (year) => {
    expect(() => assertYear(year)).toThrowError(expect.objectContaining({ reason: 'BAD_YEAR' }));
  });
});

describe('matchOrdersInYear', () => {
  const o = (id: number, createdAt: unknown): Doc => ({ _id: id, created_at: createdAt });
  table(
    () => matchOrdersInYear(2025),
    [
      {
        message: 'keeps the first and the last millisecond of the year, drops the neighbours',
        input: [
          o(1, d('2024-12-31T23:59:59.999Z')),
          o(2, d('2025-01-01T00:00:00.000Z')),
          o(3, d('2025-07-15T12:00:00.000Z')),
          o(4, d('2025-12-31T23:59:59.999Z')),
          o(5, d('2026-01-01T00:00:00.000Z')),
        ],
        expected: [o(2, d('2025-01-01T00:00:00.000Z')), o(3, d('2025-07-15T12:00:00.000Z')), o(4, d('2025-12-31T23:59:59.999Z'))],
      },
      {
        message: 'a created_at that is not a Date (string, missing, null) never matches',
        input: [o(1, '2025-06-01T00:00:00.000Z'), { _id: 2 }, o(3, null), o(4, 1_750_000_000_000)],
        expected: [],
      },
      { message: 'no orders, no output', input: [], expected: [] },
    ],
  );
});

describe('projectOrders', () => {
  const order = (createdAt: string): Doc => ({ _id: oid(9), customer_id: hex(1), cart_id: hex(7), created_at: d(createdAt) });
  table(
    () => projectOrders(),
    [
      {
        message: 'keeps the customer, converts cart_id to an ObjectId, names the month, drops the rest',
        input: [order('2025-12-31T23:59:59.999Z')],
        expected: [{ customer_id: hex(1), month: 'dez', cart_oid: oid(7) }],
      },
      {
        message: 'the month is taken in UTC (01:30 UTC on 1 April is April, whatever the local zone)',
        input: [order('2025-04-01T01:30:00.000Z'), order('2025-03-31T23:30:00.000Z')],
        expected: [
          { customer_id: hex(1), month: 'abr', cart_oid: oid(7) },
          { customer_id: hex(1), month: 'mar', cart_oid: oid(7) },
        ],
      },
      ...MONTH_KEYS.map((key, index) => ({
        message: `month ${index + 1} is '${key}'`,
        input: [order(`2025-${String(index + 1).padStart(2, '0')}-15T00:00:00.000Z`)],
        expected: [{ customer_id: hex(1), month: key, cart_oid: oid(7) }],
      })),
    ],
  );
});

describe('joinCarts', () => {
  const cartDoc = { _id: oid(7), customer_id: hex(1), products: [{ product_id: hex(5), price: 2, quantity: 1 }], amount: 2 };
  const abandoned = { _id: oid(8), customer_id: hex(1), products: [], amount: 0 };
  table(
    () => joinCarts('carts'),
    [
      {
        message: 'attaches the order’s cart as a document',
        input: [{ customer_id: hex(1), month: 'jan', cart_oid: oid(7) }],
        collections: { carts: [cartDoc, abandoned] },
        expected: [{ customer_id: hex(1), month: 'jan', cart_oid: oid(7), cart: cartDoc }],
      },
      {
        message: 'drops an order whose cart does not exist; abandoned carts are never reached',
        input: [{ customer_id: hex(1), month: 'jan', cart_oid: oid(99) }],
        collections: { carts: [cartDoc, abandoned] },
        expected: [],
      },
      {
        message: 'a null cart reference matches nothing',
        input: [{ customer_id: hex(1), month: 'jan', cart_oid: null }],
        collections: { carts: [cartDoc] },
        expected: [],
      },
    ],
  );
});

describe('explodeOrderEntries', () => {
  const withCart = (cart: Doc): Doc => ({ customer_id: hex(1), month: 'fev', cart_oid: oid(7), cart });
  const line = (id: number, price: number, quantity: number): Doc => ({ product_id: hex(id), price, quantity });
  table(
    () => explodeOrderEntries(),
    [
      {
        message: 'one total entry (cart amount in cents) then one entry per line',
        input: [withCart({ _id: oid(7), products: [line(5, 10.5, 1), line(6, 0.1, 3)], amount: 10.8 })],
        expected: [
          { customer_id: hex(1), month: 'fev', entry: { order_cents: 1080 } },
          { customer_id: hex(1), month: 'fev', entry: line(5, 10.5, 1) },
          { customer_id: hex(1), month: 'fev', entry: line(6, 0.1, 3) },
        ],
      },
      {
        message: 'a floating-point amount is rounded to whole cents (0.1 + 0.2)',
        input: [withCart({ _id: oid(7), products: [], amount: 0.1 + 0.2 })],
        expected: [{ customer_id: hex(1), month: 'fev', entry: { order_cents: 30 } }],
      },
      {
        message: 'a cart without a products field still yields its total',
        input: [withCart({ _id: oid(7), amount: 5 })],
        expected: [{ customer_id: hex(1), month: 'fev', entry: { order_cents: 500 } }],
      },
      {
        message: 'a cart without amount yields a null total (summed as 0)',
        input: [withCart({ _id: oid(7), products: [] })],
        expected: [{ customer_id: hex(1), month: 'fev', entry: { order_cents: null } }],
      },
    ],
  );
});

describe('joinProducts', () => {
  // Fresh products per case: mingo's $unwind (preserveNullAndEmptyArrays) deletes an empty
  // `categories` array from the joined product document itself (reported to the lead).
  const products = (): Doc[] => [
    { _id: oid(5), title: 'Phone', categories: ['Eletrônicos', 'Celulares', 'Presentes'], price: 0.1 },
    { _id: oid(6), title: 'Mug', categories: [], price: 0.2 },
    { _id: oid(8), title: 'Odd', categories: null, price: 1 },
    { _id: oid(9), title: 'Book', categories: 'Livros', price: 1 },
  ];
  const entry = (e: Doc): Doc => ({ customer_id: hex(1), month: 'mar', entry: e });
  const line = (id: number, price: number, quantity: number): Doc => ({ product_id: hex(id), price, quantity });
  const view = (docs: Doc[]): Doc[] =>
    docs.map((doc) => ({
      line_cents: doc.line_cents,
      product_oid: doc.product_oid,
      category: (doc.product as Doc | undefined)?.categories,
      has_product: doc.product !== undefined,
      order_cents: (doc.entry as Doc).order_cents,
    }));
  const cases: Case[] = [
    {
      message: 'a line counts once per category of its product, each with the whole line amount',
      input: [entry(line(5, 0.1, 3))],
      expected: ['Eletrônicos', 'Celulares', 'Presentes'].map((category) => ({
        line_cents: 30, // 0.1 × 3 = 0.30000000000000004 → 30 cents
        product_oid: oid(5),
        category,
        has_product: true,
        order_cents: undefined,
      })),
    },
    {
      message: 'a product without categories still yields one document (no category)',
      input: [entry(line(6, 0.2, 2))],
      expected: [{ line_cents: 40, product_oid: oid(6), category: undefined, has_product: true, order_cents: undefined }],
    },
    {
      message: 'null categories are kept as a null category (dropped later)',
      input: [entry(line(8, 1, 1))],
      expected: [{ line_cents: 100, product_oid: oid(8), category: null, has_product: true, order_cents: undefined }],
    },
    {
      message: 'a scalar categories value counts as one category',
      input: [entry(line(9, 1, 1))],
      expected: [{ line_cents: 100, product_oid: oid(9), category: 'Livros', has_product: true, order_cents: undefined }],
    },
    {
      message: 'a line whose product does not exist keeps its amount, without product',
      input: [entry(line(77, 2.5, 2))],
      expected: [{ line_cents: 500, product_oid: oid(77), category: undefined, has_product: false, order_cents: undefined }],
    },
    {
      message: 'a total entry passes through with null line amount and no product',
      input: [entry({ order_cents: 1234 })],
      expected: [{ line_cents: null, product_oid: null, category: undefined, has_product: false, order_cents: 1234 }],
    },
    {
      message: 'price × quantity is rounded once to whole cents (1.005 × 2 × 100 = 200.99999999999997 → 201)',
      input: [entry(line(77, 1.005, 2))],
      expected: [{ line_cents: 201, product_oid: oid(77), category: undefined, has_product: false, order_cents: undefined }],
    },
  ];
  it.each(cases)('$message', ({ input, expected }) => {
    expect(view(runStages(joinProducts('products'), input, { products: products() }))).toEqual(expected);
  });

  // MongoDB rounds the exact value of the double $multiply produced: 4.015 × 100 is
  // 401.49999999999994 → 401 (a rounding of the fraction first would give 402), while
  // 2.675 × 100 is exactly 267.5 in binary64 (the product rounds up to the tie) → 268, half to
  // even. The recomputation does the same (roundHalfEven of the double).
  it.each([
    [4.015, 401],
    [1.015, 101],
    [2.675, 268],
    [0.145, 14],
  ])('rounds price %d × 100 like MongoDB: %d cents', (price, cents) => {
    const [doc] = runStages(joinProducts('products'), [entry(line(77, price, 1))], { products: products() });
    expect(doc!.line_cents).toBe(cents);
    expect(roundHalfEven(price * 100)).toBe(cents);
  });
});

describe('sumByMonthAndCategory', () => {
  const doc = (customer: number, month: string, category: string | undefined, lineCents: number | null, orderCents?: number): Doc => ({
    customer_id: hex(customer),
    month,
    entry: orderCents === undefined ? { product_id: 'x' } : { order_cents: orderCents },
    line_cents: lineCents,
    ...(category === undefined ? {} : { product: { categories: category } }),
  });
  table(
    () => sumByMonthAndCategory(),
    [
      {
        message: 'sums line cents per (customer, month, category); totals land on the key without category',
        input: [
          doc(1, 'jan', undefined, null, 3000),
          doc(1, 'jan', 'A', 10),
          doc(1, 'jan', 'A', 20),
          doc(1, 'jan', 'B', 10),
          doc(1, 'jan', undefined, null, 500),
          doc(1, 'fev', 'A', 7),
          doc(2, 'jan', 'A', 1),
        ],
        expected: [
          { _id: { customer_id: hex(1), month: 'fev', category: 'A' }, line_cents: 7, order_cents: 0 },
          { _id: { customer_id: hex(1), month: 'jan', category: 'A' }, line_cents: 30, order_cents: 0 },
          { _id: { customer_id: hex(1), month: 'jan', category: 'B' }, line_cents: 10, order_cents: 0 },
          { _id: { customer_id: hex(1), month: 'jan' }, line_cents: 0, order_cents: 3500 },
          { _id: { customer_id: hex(2), month: 'jan', category: 'A' }, line_cents: 1, order_cents: 0 },
        ],
      },
    ],
    (docs) => sortBy(docs, (doc) => doc._id),
  );
});

describe('sumByCategoryOverYear + regroupByMonth', () => {
  const g = (customer: number, month: string, category: string | undefined, lineCents: number, orderCents: number): Doc => ({
    _id: { customer_id: hex(customer), month, ...(category === undefined ? {} : { category }) },
    line_cents: lineCents,
    order_cents: orderCents,
  });
  const input = [
    g(1, 'jan', undefined, 0, 3500),
    g(1, 'jan', 'A', 30, 0),
    g(1, 'jan', 'B', 10, 0),
    g(1, 'fev', undefined, 0, 700),
    g(1, 'fev', 'A', 7, 0),
    g(2, 'mar', 'A', 1, 0),
    g(2, 'mar', undefined, 0, 1),
  ];
  const sortPairs = (docs: Doc[]): Doc[] =>
    sortBy(docs, (doc) => doc._id).map((doc) => ({
      ...doc,
      ...(Array.isArray(doc.categories) ? { categories: sortBy(doc.categories as Doc[], (p) => p.k ?? '') } : {}),
      ...(Array.isArray(doc.category_avgs) ? { category_avgs: sortBy(doc.category_avgs as Doc[], (p) => p.k ?? '') } : {}),
      ...(Array.isArray(doc.months) ? { months: sortBy(doc.months as Doc[], (m) => m.month) } : {}),
    }));

  describe('B: per (customer, category) over the year', () => {
    table(
      () => sumByCategoryOverYear(),
      [
        {
          message: 'year total per category, months kept in an array',
          input,
          expected: [
            {
              _id: { customer_id: hex(1), category: 'A' },
              year_cents: 37,
              months: [
                { month: 'fev', line_cents: 7, order_cents: 0 },
                { month: 'jan', line_cents: 30, order_cents: 0 },
              ],
            },
            { _id: { customer_id: hex(1), category: 'B' }, year_cents: 10, months: [{ month: 'jan', line_cents: 10, order_cents: 0 }] },
            {
              _id: { customer_id: hex(1) },
              year_cents: 0,
              months: [
                { month: 'fev', line_cents: 0, order_cents: 700 },
                { month: 'jan', line_cents: 0, order_cents: 3500 },
              ],
            },
            { _id: { customer_id: hex(2), category: 'A' }, year_cents: 1, months: [{ month: 'mar', line_cents: 1, order_cents: 0 }] },
            { _id: { customer_id: hex(2) }, year_cents: 0, months: [{ month: 'mar', line_cents: 0, order_cents: 1 }] },
          ],
        },
      ],
      sortPairs,
    );
  });

  describe('C: back to (customer, month)', () => {
    table(
      () => [sumByCategoryOverYear(), ...regroupByMonth()],
      [
        {
          message: 'month total, month amounts per category, yearly average per category (37 / 12 = 3.0833 → 0.03)',
          input,
          expected: [
            {
              _id: { customer_id: hex(1), month: 'fev' },
              order_cents: 700,
              categories: [{ v: 0 }, { k: 'A', v: 0.07 }],
              category_avgs: [{ v: 0 }, { k: 'A', v: 0.03 }],
            },
            {
              _id: { customer_id: hex(1), month: 'jan' },
              order_cents: 3500,
              categories: [{ v: 0 }, { k: 'A', v: 0.3 }, { k: 'B', v: 0.1 }],
              category_avgs: [{ v: 0 }, { k: 'A', v: 0.03 }, { k: 'B', v: 0.01 }],
            },
            {
              _id: { customer_id: hex(2), month: 'mar' },
              order_cents: 1,
              categories: [{ v: 0 }, { k: 'A', v: 0.01 }],
              category_avgs: [{ v: 0 }, { k: 'A', v: 0 }],
            },
          ],
        },
      ],
      sortPairs,
    );
  });
});

describe('rollUpCustomers', () => {
  table(
    () => rollUpCustomers(),
    [
      {
        message: 'one document per customer: year total, month amounts, month category pairs',
        input: [
          { _id: { customer_id: hex(1), month: 'jan' }, order_cents: 3500, categories: [{ k: 'A', v: 0.3 }], category_avgs: [{ k: 'A', v: 0.03 }] },
          { _id: { customer_id: hex(1), month: 'fev' }, order_cents: 700, categories: [{ k: 'A', v: 0.07 }], category_avgs: [{ k: 'A', v: 0.03 }] },
          { _id: { customer_id: hex(2), month: 'mar' }, order_cents: 10, categories: [], category_avgs: [] },
        ],
        expected: [
          {
            _id: hex(1),
            year_cents: 4200,
            monthly: [
              { k: 'jan', v: 35 },
              { k: 'fev', v: 7 },
            ],
            categorized: [
              { k: 'jan', v: [{ k: 'A', v: 0.3 }] },
              { k: 'fev', v: [{ k: 'A', v: 0.07 }] },
            ],
            category_avgs: [[{ k: 'A', v: 0.03 }], [{ k: 'A', v: 0.03 }]],
          },
          { _id: hex(2), year_cents: 10, monthly: [{ k: 'mar', v: 0.1 }], categorized: [{ k: 'mar', v: [] }], category_avgs: [[]] },
        ],
      },
    ],
    (docs) => sortBy(docs, (doc) => doc._id),
  );
});

describe('joinUsers', () => {
  const users = (): Doc[] => [
    { _id: oid(101), customer_id: hex(1), email: 'a@x.com', details: { first_name: 'Ana', last_name: 'Silva', full_name: null } },
    { _id: oid(102), customer_id: hex(2), email: 'b@x.com', details: { first_name: 'Bia', last_name: 'Souza', full_name: null } },
  ];
  const rolled = (customer: number): Doc => ({
    _id: hex(customer),
    year_cents: 100,
    monthly: [{ k: 'jan', v: 1 }],
    categorized: [{ k: 'jan', v: [] }],
    category_avgs: [[]],
  });
  table(
    () => joinUsers('users'),
    [
      {
        message: 'every user appears (nulls without orders); orders of unknown customers are dropped',
        input: [rolled(1), rolled(3)],
        collections: { users: users() },
        expected: [
          {
            _id: hex(1),
            user: { email: 'a@x.com', first_name: 'Ana', last_name: 'Silva' },
            year_cents: 100,
            monthly: [{ k: 'jan', v: 1 }],
            categorized: [{ k: 'jan', v: [] }],
            category_avgs: [[]],
          },
          {
            _id: hex(2),
            user: { email: 'b@x.com', first_name: 'Bia', last_name: 'Souza' },
            year_cents: null,
            monthly: null,
            categorized: null,
            category_avgs: null,
          },
        ],
      },
      {
        message: 'no orders at all: one document per user',
        input: [],
        collections: { users: users() },
        expected: [
          [hex(1), { email: 'a@x.com', first_name: 'Ana', last_name: 'Silva' }],
          [hex(2), { email: 'b@x.com', first_name: 'Bia', last_name: 'Souza' }],
        ].map(([id, user]) => ({ _id: id, user, year_cents: null, monthly: null, categorized: null, category_avgs: null })),
      },
      { message: 'no users: nothing, even with orders', input: [rolled(1)], collections: { users: [] }, expected: [] },
      {
        message: 'a user without a string customer_id gets no document',
        input: [],
        collections: { users: [{ _id: oid(103), email: 'c@x.com' }, { _id: oid(104), customer_id: oid(5), email: 'd@x.com' }] },
        expected: [],
      },
    ],
    (docs) => sortBy(docs, (doc) => doc._id),
  );
});

describe('projectSpending', () => {
  const zeros = Object.fromEntries(MONTH_KEYS.map((key) => [key, 0]));
  const empties = Object.fromEntries(MONTH_KEYS.map((key) => [key, {}]));
  const user = { email: 'a@x.com', first_name: 'Ana', last_name: 'Silva' };
  table(
    () => projectSpending(2025),
    [
      {
        message: 'a user without orders: 12 zero months, 12 empty category months, zero averages',
        input: [{ _id: hex(1), user, year_cents: null, monthly: null, categorized: null, category_avgs: null }],
        expected: [
          {
            _id: hex(1),
            customer_id: hex(1),
            email: 'a@x.com',
            year: 2025,
            details: { first_name: 'Ana', last_name: 'Silva' },
            monthly_spenses: zeros,
            categorized_monthly_expenses: empties,
            monthly_avg_expense: 0,
            categorized_monthly_avg_expense: {},
          },
        ],
      },
      {
        message: 'fills the missing months, drops pairs without a category name, averages over 12 months',
        input: [
          {
            _id: hex(1),
            user,
            year_cents: 4206, // 4206 / 12 = 350.5 → 350 (half to even) → 3.5
            monthly: [
              { k: 'jan', v: 35.06 },
              { k: 'dez', v: 7 },
            ],
            categorized: [
              { k: 'jan', v: [{ v: 0 }, { k: 'A', v: 0.3 }, { k: null, v: 9 }] },
              { k: 'dez', v: [{ v: 0 }] },
            ],
            category_avgs: [[{ v: 0 }, { k: 'A', v: 0.03 }], [{ v: 0 }]],
          },
        ],
        expected: [
          {
            _id: hex(1),
            customer_id: hex(1),
            email: 'a@x.com',
            year: 2025,
            details: { first_name: 'Ana', last_name: 'Silva' },
            monthly_spenses: { ...zeros, jan: 35.06, dez: 7 },
            categorized_monthly_expenses: { ...empties, jan: { A: 0.3 }, dez: {} },
            monthly_avg_expense: 3.5,
            categorized_monthly_avg_expense: { A: 0.03 },
          },
        ],
      },
      {
        message: 'the averages round half to even at the cent: 4218 / 12 = 351.5 → 352',
        input: [{ _id: hex(1), user, year_cents: 4218, monthly: [], categorized: [], category_avgs: [] }],
        expected: [
          {
            _id: hex(1),
            customer_id: hex(1),
            email: 'a@x.com',
            year: 2025,
            details: { first_name: 'Ana', last_name: 'Silva' },
            monthly_spenses: zeros,
            categorized_monthly_expenses: empties,
            monthly_avg_expense: 3.52,
            categorized_monthly_avg_expense: {},
          },
        ],
      },
    ],
  );

  it('emits the DESIGN §5 fields, in order', () => {
    const [doc] = runStages([projectSpending(2025)], [{ _id: hex(1), user }]);
    expect(Object.keys(doc!)).toEqual([
      '_id',
      'customer_id',
      'email',
      'year',
      'details',
      'monthly_spenses',
      'categorized_monthly_expenses',
      'monthly_avg_expense',
      'categorized_monthly_avg_expense',
    ]);
    expect(Object.keys(doc!.details as Doc)).toEqual(['first_name', 'last_name']);
    expect(Object.keys(doc!.monthly_spenses as Doc)).toEqual([...MONTH_KEYS]);
    expect(Object.keys(doc!.categorized_monthly_expenses as Doc)).toEqual([...MONTH_KEYS]);
  });

  it('leaves out the fields a user does not have (no email, no details)', () => {
    const [doc] = runStages([projectSpending(2025)], [{ _id: hex(1), user: {} }]);
    expect(doc!.email).toBeUndefined();
    expect(doc!.details).toEqual({});
  });
});

describe('outputStage', () => {
  it.each([
    ['customer_spending', { $out: 'customer_spending' }],
    ['other', { $out: 'other' }],
    [{ merge: {} }, { $merge: { into: 'customer_spending', on: '_id', whenMatched: 'replace', whenNotMatched: 'insert' } }],
    [{ merge: { into: 'x', whenMatched: 'merge' as const } }, { $merge: { into: 'x', on: '_id', whenMatched: 'merge', whenNotMatched: 'insert' } }],
    [false, undefined],
  ] as const)('%j → %j', (out, expected) => {
    expect(outputStage(out as Parameters<typeof outputStage>[0])).toEqual(expected);
  });
  it('refuses an empty collection name', () => {
    expect(() => outputStage('')).toThrow();
  });
});
