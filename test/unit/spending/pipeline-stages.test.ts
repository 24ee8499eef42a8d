/**
 * Table-driven tests of each crunch stage builder: input documents → stage(s) → expected
 * documents, each case run twice (no database): on mingo with the engine's configuration, and
 * on the engine's own pipeline, native stages first (test/helpers/pipeline-runners.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  assertYear,
  batchSize,
  categoryNames,
  customerCondition,
  type CustomerSelection,
  flatten,
  joinCarts,
  joinProducts,
  joinUsers,
  matchOrders,
  matchOrdersInYear,
  mapValues,
  monthlyAmounts,
  categorizedMonths,
  orderPairs,
  MONTH_KEYS,
  outputStage,
  projectOrderLines,
  projectOrders,
  projectSpending,
  rollUpCustomers,
  sliceSize,
  type Stage,
  sumByKey,
  yearRange,
} from '../../../src/spending/index.js';
import { roundHalfEven } from '../../../src/spending/recompute.js';
import { PIPELINE_RUNNERS } from '../../helpers/pipeline-runners.js';
import { type Doc, hex, oid, sortBy, SPENDING_FIELDS, user } from '../../helpers/spending.js';

interface Case {
  message: string;
  input: Doc[];
  collections?: Record<string, Doc[]>;
  expected: Doc[];
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

describe('customers: the stages that select them', () => {
  const year = matchOrdersInYear(2025);
  it('the year first for ranges, the ids first (index look-ups) for a list', () => {
    expect(matchOrders(year, undefined)).toEqual([year]);
    expect(matchOrders(year, { from: 'a' })).toEqual([year, { $match: { customer_id: { $type: 'string', $gte: 'a' } } }]);
    expect(matchOrders(year, { ids: ['a'] })).toEqual([{ $match: { customer_id: { $in: ['a'] } } }, year]);
    expect(customerCondition(undefined)).toEqual({ $type: 'string' });
  });

  it('slices: at most 10, of at least 1,000 customers (so 100,000 customers move the progress ten times); batches of at least 500, at most 100', () => {
    expect([sliceSize(1), sliceSize(10_000), sliceSize(12_000), sliceSize(100_000), sliceSize(500_000)]).toEqual([1000, 1000, 1200, 10_000, 50_000]);
    expect(Math.ceil(100_000 / sliceSize(100_000))).toBe(10);
    expect([batchSize(10), batchSize(100_000)]).toEqual([500, 1000]);
  });
});

describe.each(PIPELINE_RUNNERS)('stage builders on $name', ({ run: runStages }) => {
  /** Runs every case of a table through `stages`, comparing `view(output)` with `expected`. */
  function table(stages: () => Stage | Stage[], cases: Case[], view: (docs: Doc[]) => Doc[] = (docs) => docs): void {
    it.each(cases)('$message', ({ input, collections, expected }) => {
      const built = stages();
      const output = runStages(Array.isArray(built) ? built : [built], input, collections);
      expect(view(output)).toEqual(expected);
    });
  }

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
    // Distinct ids: the engine runner stores the input, as a collection holds it.
    const order = (createdAt: string, id = 9): Doc => ({ _id: oid(id), customer_id: hex(1), cart_id: hex(7), created_at: d(createdAt) });
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
          input: [order('2025-04-01T01:30:00.000Z'), order('2025-03-31T23:30:00.000Z', 10)],
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

  describe('projectOrderLines', () => {
    const withCart = (cart: Doc): Doc => ({ customer_id: hex(1), month: 'fev', cart_oid: oid(7), cart });
    const line = (id: number, price: number, quantity: number): Doc => ({ product_id: hex(id), price, quantity });
    table(
      () => projectOrderLines(),
      [
        {
          message: 'the order total in cents, the lines as stored, their product ids as ObjectIds',
          input: [withCart({ _id: oid(7), products: [line(5, 10.5, 1), line(6, 0.1, 3)], amount: 10.8 })],
          expected: [{ customer_id: hex(1), month: 'fev', order_cents: 1080, lines: [line(5, 10.5, 1), line(6, 0.1, 3)], product_oids: [oid(5), oid(6)] }],
        },
        {
          message: 'a floating-point amount is rounded to whole cents (0.1 + 0.2)',
          input: [withCart({ _id: oid(7), products: [], amount: 0.1 + 0.2 })],
          expected: [{ customer_id: hex(1), month: 'fev', order_cents: 30, lines: [], product_oids: [] }],
        },
        {
          message: 'a cart without a products field has no lines',
          input: [withCart({ _id: oid(7), amount: 5 })],
          expected: [{ customer_id: hex(1), month: 'fev', order_cents: 500, lines: [], product_oids: [] }],
        },
        {
          message: 'a cart without amount gives a null total (summed as 0)',
          input: [withCart({ _id: oid(7), products: [] })],
          expected: [{ customer_id: hex(1), month: 'fev', order_cents: null, lines: [], product_oids: [] }],
        },
      ],
    );
  });

  describe('joinProducts', () => {
    const products = (): Doc[] => [
      { _id: oid(5), title: 'Phone', categories: ['Eletrônicos', 'Celulares', 'Presentes'], price: 0.1 },
      { _id: oid(6), title: 'Mug', categories: [], price: 0.2 },
      { _id: oid(8), title: 'Odd', categories: null, price: 1 },
      { _id: oid(9), title: 'Book', categories: 'Livros', price: 1 },
      { _id: oid(10), title: 'Mixed', categories: ['Casa', 7, null, ['Nested'], 'Casa'], price: 1 },
    ];
    const line = (id: number, price: number, quantity: number): Doc => ({ product_id: hex(id), price, quantity });
    const order = (...lines: Doc[]): Doc => ({
      customer_id: hex(1),
      month: 'mar',
      order_cents: 99,
      lines,
      product_oids: lines.map((l) => oid(Number.parseInt(l.product_id as string, 16))),
    });
    const pairsStage = { $project: { _id: 0, pairs: orderPairs('$lines', '$products') } };
    const pairsOf = (...lines: Doc[]): unknown =>
      runStages([joinProducts('products'), pairsStage], [order(...lines)], { products: products() }).map((doc) => doc.pairs)[0];
    it("joins the order's distinct products and keeps the order fields", () => {
      const [joined] = runStages([joinProducts('products')], [order(line(6, 1, 1), line(9, 1, 2), line(6, 2, 1))], { products: products() });
      expect(joined).toMatchObject({ customer_id: hex(1), month: 'mar', order_cents: 99 });
      expect(sortBy(joined!.products as Doc[], (p) => p.title as string)).toEqual([products()[3], products()[1]]);
    });
    it('a line counts once per category of its product, each with the whole line amount', () => {
      // 0.1 × 3 = 0.30000000000000004 → 30 cents
      expect(pairsOf(line(5, 0.1, 3))).toEqual(['Eletrônicos', 'Celulares', 'Presentes'].map((k) => ({ k, v: 30 })));
    });
    it('lines of one order, in order, the same product twice included', () => {
      expect(pairsOf(line(9, 2, 1), line(5, 1, 1), line(9, 3, 1))).toEqual([
        { k: 'Livros', v: 200 },
        { k: 'Eletrônicos', v: 100 },
        { k: 'Celulares', v: 100 },
        { k: 'Presentes', v: 100 },
        { k: 'Livros', v: 300 },
      ]);
    });
    it.each([
      ['empty categories', 6, []],
      ['null categories', 8, []],
      ['a scalar categories value counts as one category', 9, [{ k: 'Livros', v: 100 }]],
      [
        'only string categories count (a repeated one twice)',
        10,
        [
          { k: 'Casa', v: 100 },
          { k: 'Casa', v: 100 },
        ],
      ],
      ['a product that does not exist', 77, []],
    ])('%s', (_message, id, expected) => {
      expect(pairsOf(line(id, 1, 1))).toEqual(expected);
    });
    it('a line without a price counts with a null amount (summed as 0)', () => {
      expect(pairsOf({ product_id: hex(9), quantity: 1 })).toEqual([{ k: 'Livros', v: null }]);
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
      expect(pairsOf(line(9, price, 1))).toEqual([{ k: 'Livros', v: cents }]);
      expect(roundHalfEven(price * 100)).toBe(cents);
    });
  });

  describe('categoryNames', () => {
    it.each([
      [
        ['A', 'B'],
        ['A', 'B'],
      ],
      ['A', ['A']],
      [null, []],
      [undefined, []],
      [[1, 'A', null, ['B']], ['A']],
      [{ a: 1 }, []],
    ])('%j → %j', (categories, expected) => {
      const [doc] = runStages([{ $project: { _id: 0, names: categoryNames('$c') } }], [categories === undefined ? {} : { c: categories }]);
      expect(doc!.names).toEqual(expected);
    });
  });

  describe('pairs: flatten, sumByKey, mapValues', () => {
    const run = (expr: unknown, doc: Doc): unknown => runStages([{ $project: { _id: 0, out: expr } }], [doc])[0]!.out;
    it('flatten joins the lists in order', () => {
      expect(
        run(flatten('$lists'), {
          lists: [
            [{ k: 'a', v: 1 }],
            [],
            [
              { k: 'b', v: 2 },
              { k: 'a', v: 3 },
            ],
          ],
        }),
      ).toEqual([
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
        { k: 'a', v: 3 },
      ]);
    });
    it('sumByKey sums per distinct key, null values as 0', () => {
      const out = run(sumByKey('$pairs'), {
        pairs: [
          { k: 'a', v: 1 },
          { k: 'b', v: null },
          { k: 'a', v: 3 },
          { k: 'c', v: 5 },
        ],
      }) as Doc[];
      expect(sortBy(out, (p) => p.k)).toEqual([
        { k: 'a', v: 4 },
        { k: 'b', v: 0 },
        { k: 'c', v: 5 },
      ]);
      expect(run(sumByKey('$pairs'), { pairs: [] })).toEqual([]);
    });
    it('mapValues maps each value', () => {
      expect(
        run(
          mapValues('$pairs', (v) => ({ $multiply: [v, 2] })),
          { pairs: [{ k: 'a', v: 1 }] },
        ),
      ).toEqual([{ k: 'a', v: 2 }]);
    });
  });

  describe('rollUpCustomers', () => {
    const products = [
      { _id: oid(5), categories: ['A', 'B'] },
      { _id: oid(6), categories: ['A'] },
    ];
    const line = (id: number, price: number, quantity = 1): Doc => ({ product_id: hex(id), price, quantity });
    const order = (customer: number, month: string, orderCents: number | null, lines: Doc[]): Doc => ({
      customer_id: hex(customer),
      month,
      order_cents: orderCents,
      lines,
      products: products.filter((p) => lines.some((l) => l.product_id === p._id.toHexString())),
    });
    table(
      () => rollUpCustomers(),
      [
        {
          message: 'one document per customer: year total, month amounts, month category cents summed',
          input: [
            order(1, 'jan', 3000, [line(5, 0.1)]),
            order(1, 'fev', 700, [line(6, 7)]),
            order(1, 'jan', 500, [line(6, 0.2), line(5, 1)]),
            order(2, 'mar', 10, []),
          ],
          expected: [
            {
              _id: hex(1),
              year_cents: 4200,
              monthly: [
                { k: 'fev', v: 7 },
                { k: 'jan', v: 35 },
              ],
              categorized: [
                { k: 'fev', v: [{ k: 'A', v: 700 }] },
                {
                  k: 'jan',
                  v: [
                    { k: 'A', v: 130 },
                    { k: 'B', v: 110 },
                  ],
                },
              ],
            },
            { _id: hex(2), year_cents: 10, monthly: [{ k: 'mar', v: 0.1 }], categorized: [{ k: 'mar', v: [] }] },
          ],
        },
        {
          message: 'an order without an amount adds 0 to its month, its lines still count',
          input: [order(3, 'dez', null, [line(6, 2.5, 2)])],
          expected: [{ _id: hex(3), year_cents: 0, monthly: [{ k: 'dez', v: 0 }], categorized: [{ k: 'dez', v: [{ k: 'A', v: 500 }] }] }],
        },
      ],
      // Months and categories come in an order of the server's choosing (MongoDB sorts them).
      (docs) =>
        sortBy(docs, (doc) => doc._id).map((doc) => ({
          ...doc,
          monthly: sortBy(doc.monthly as Doc[], (pair) => pair.k),
          categorized: sortBy(doc.categorized as Doc[], (pair) => pair.k).map((month) => ({ ...month, v: sortBy(month.v as Doc[], (pair) => pair.k) })),
        })),
    );
  });

  describe('monthlyAmounts / categorizedMonths', () => {
    const run = (expr: unknown, orders: Doc[]): Doc[] => runStages([{ $project: { _id: 0, out: expr } }], [{ orders }])[0]!.out as Doc[];
    const byKey = (pairs: Doc[]): Doc[] => sortBy(pairs, (pair) => pair.k);
    const category: Record<number, string> = { 101: 'X', 102: 'Y', 103: 'Z' };
    /** An order of one line per product id, each at `price` × 1. */
    const o = (month: string, cents: number, lines: [number, number][]): Doc => ({
      month,
      cents,
      lines: lines.map(([id, price]) => ({ product_id: hex(id), price, quantity: 1 })),
      products: lines.map(([id]) => ({ _id: oid(id), categories: [category[id]] })),
    });
    it('each month with orders once, its orders summed', () => {
      const orders = [
        o('mar', 100, [[101, 1]]),
        o('jan', 250, [[102, 2]]),
        o('mar', 5, [
          [101, 3],
          [103, 4],
        ]),
      ];
      expect(byKey(run(monthlyAmounts('$orders'), orders))).toEqual([
        { k: 'jan', v: 2.5 },
        { k: 'mar', v: 1.05 },
      ]);
      expect(byKey(run(categorizedMonths('$orders'), orders)).map((month) => ({ ...month, v: byKey(month.v as Doc[]) }))).toEqual([
        { k: 'jan', v: [{ k: 'Y', v: 200 }] },
        {
          k: 'mar',
          v: [
            { k: 'X', v: 400 },
            { k: 'Z', v: 400 },
          ],
        },
      ]);
    });
    it('no orders, no months', () => {
      expect(run(monthlyAmounts('$orders'), [])).toEqual([]);
      expect(run(categorizedMonths('$orders'), [])).toEqual([]);
    });
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
            },
            {
              _id: hex(2),
              user: { email: 'b@x.com', first_name: 'Bia', last_name: 'Souza' },
              year_cents: null,
              monthly: null,
              categorized: null,
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
          ].map(([id, user]) => ({ _id: id, user, year_cents: null, monthly: null, categorized: null })),
        },
        { message: 'no users: nothing, even with orders', input: [rolled(1)], collections: { users: [] }, expected: [] },
        {
          message: 'a user without a string customer_id gets no document',
          input: [],
          collections: {
            users: [
              { _id: oid(103), email: 'c@x.com' },
              { _id: oid(104), customer_id: oid(5), email: 'd@x.com' },
            ],
          },
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
          input: [{ _id: hex(1), user, year_cents: null, monthly: null, categorized: null }],
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
          message: 'fills the missing months, sums each category over the year, averages over 12 months',
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
                {
                  k: 'jan',
                  v: [
                    { k: 'A', v: 30 },
                    { k: 'B', v: 1 },
                  ],
                },
                { k: 'dez', v: [{ k: 'A', v: 7 }] },
                { k: 'fev', v: [] },
              ],
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
              categorized_monthly_expenses: { ...empties, jan: { A: 0.3, B: 0.01 }, dez: { A: 0.07 } },
              monthly_avg_expense: 3.5,
              categorized_monthly_avg_expense: { A: 0.03, B: 0 }, // 37 / 12 = 3.08 → 3 cents; 1 / 12 → 0
            },
          ],
        },
        {
          message: 'the averages round half to even at the cent: 4218 / 12 = 351.5 → 352',
          input: [{ _id: hex(1), user, year_cents: 4218, monthly: [], categorized: [] }],
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

    it('emits the fields of docs/DATA-MODEL.md §4, in order', () => {
      const [doc] = runStages([projectSpending(2025)], [{ _id: hex(1), user }]);
      expect(Object.keys(doc!)).toEqual(SPENDING_FIELDS);
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

  describe('customers: which customers a crunch computes', () => {
    const order = (id: number, customer: unknown): Doc => ({ _id: id, customer_id: customer, created_at: d('2025-05-05T00:00:00Z') });
    const orders = (): Doc[] => [order(1, hex(1)), order(2, hex(2)), order(3, hex(3)), order(4, 42), order(5, hex(4))];
    const year = matchOrdersInYear(2025);
    const ids = (docs: Doc[]): unknown[] => docs.map((doc) => doc._id);

    it.each([
      ['every customer: no condition (an order of no user is dropped by joinUsers)', undefined, [1, 2, 3, 4, 5]],
      ['a range [from, to)', { from: hex(2), to: hex(4) }, [2, 3]],
      ['a range open below', { to: hex(2) }, [1]],
      ['a range open above', { from: hex(3) }, [3, 5]],
      ['a list of ids', { ids: [hex(4), hex(1), hex(9)] }, [1, 5]],
      ['an empty list', { ids: [] }, []],
    ] as const)('%s', (_what, selection, expected) => {
      expect(ids(runStages(matchOrders(year, selection as CustomerSelection | undefined), orders()))).toEqual(expected);
    });

    it('consecutive ranges split the customers without a gap or an overlap', () => {
      const bounds = [hex(2), hex(4)];
      const slices = [{ to: bounds[0] }, { from: bounds[0], to: bounds[1] }, { from: bounds[1] }];
      const seen = slices.flatMap((slice) => ids(runStages(matchOrders(year, slice), orders())));
      expect(seen.sort()).toEqual([1, 2, 3, 5]);
    });

    it('joinUsers brings in only the selected users', () => {
      const users = [user(1), user(2), user(3)];
      const out = runStages(joinUsers('users', { from: hex(2) }), [], { users });
      expect(out.map((doc) => doc._id).sort()).toEqual([hex(2), hex(3)]);
      expect(runStages(joinUsers('users', { ids: [hex(1)] }), [], { users }).map((doc) => doc._id)).toEqual([hex(1)]);
    });
  });
});
