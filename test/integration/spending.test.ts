/**
 * The crunch (as a job) and the spending queries, against the test server (the embedded
 * engine, or a real MongoDB with MONGODB_URI): a seeded dataset compared, document by
 * document and field by field, with the independent recomputation; hand-made edge cases;
 * the empty database; the job lock; indexes; the collection replaced; the queries and the
 * filters they refuse.
 */
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { AppError, ErrorCodes, UserInputError } from '../../src/errors.js';
import { acquireJobLock, crunchSpending, JobConflictError, type PhaseReport } from '../../src/jobs/index.js';
import {
  type CategorizedMonths,
  countSpending,
  type CrunchResult,
  type CustomerSpending,
  defaultCrunchYear,
  findSpending,
  getCustomerSpending,
  MONTH_KEYS,
  type MonthlyAmounts,
  SpendingInputError,
  streamSpending,
} from '../../src/spending/index.js';
import { recomputeSpending } from '../../src/spending/recompute.js';
import { allDocs, openServiceDatabase, seed } from '../helpers/seeded.js';
import { cart, type Doc, hex, order, product, SPENDING_FIELDS, user } from '../helpers/spending.js';

const zeros = Object.fromEntries(MONTH_KEYS.map((key) => [key, 0])) as MonthlyAmounts;
const empties = Object.fromEntries(MONTH_KEYS.map((key) => [key, {}])) as CategorizedMonths;

async function recomputeFrom(database: Database, year: number): Promise<CustomerSpending[]> {
  const db = database.db;
  const [users, products, carts, orders] = await Promise.all(['users', 'products', 'carts', 'orders'].map((name) => allDocs(db, name)));
  return recomputeSpending({ users: users!, products: products!, carts: carts!, orders: orders!, year });
}

/** Every document, every field, exactly (amounts are cents / 100 on both sides). */
function expectSameSpending(actual: readonly Document[], expected: readonly CustomerSpending[]): void {
  expect(actual.map((doc) => doc._id).sort()).toEqual(expected.map((doc) => doc._id).sort());
  const actualById = new Map(actual.map((doc) => [doc._id as string, doc]));
  for (const want of expected) {
    const got = actualById.get(want._id)!;
    expect(Object.keys(got), `customer ${want._id}: fields and their order`).toEqual(SPENDING_FIELDS);
    for (const field of SPENDING_FIELDS as (keyof CustomerSpending)[]) {
      expect(got[field], `customer ${want._id}, field ${field}`).toEqual(want[field]);
    }
    expect(Object.keys(got.monthly_spenses), `customer ${want._id}: month order`).toEqual([...MONTH_KEYS]);
    expect(Object.keys(got.categorized_monthly_expenses), `customer ${want._id}: month order`).toEqual([...MONTH_KEYS]);
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, the promise resolved');
}

const cents = (x: number): number => Math.round(x * 100);

describe('crunching a seeded database', () => {
  let database: Database;
  let expected: CustomerSpending[];
  let result: CrunchResult;
  const progress: PhaseReport[] = [];

  beforeAll(async () => {
    database = await openServiceDatabase('spending_seeded');
    await seed(database, { users: 2000, seed: 20240601, workers: 2, products: 300 });
    result = await crunchSpending(database, { onProgress: (p) => progress.push(p) });
    expected = await recomputeFrom(database, 2025);
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('writes exactly what the independent recomputation gives: every document, every field, to the cent', async () => {
    const docs = await allDocs(database.db, 'customer_spending');
    expect(docs).toHaveLength(2000);
    expect(expected).toHaveLength(2000);
    expectSameSpending(docs, expected);
    // The dataset exercises what matters: customers without orders, several categories per line.
    expect(expected.filter((doc) => doc.monthly_avg_expense === 0).length).toBeGreaterThan(50);
    expect(expected.some((doc) => Object.keys(doc.categorized_monthly_avg_expense).length > 3)).toBe(true);
  });

  it('reports the year, the counts, the total spend and the time', async () => {
    const orders = await allDocs(database.db, 'orders');
    const inYear = orders.filter((o) => (o.created_at as Date).getUTCFullYear() === 2025);
    expect(result.year).toBe(2025);
    expect(result.customers).toBe(2000);
    expect(result.orders).toBe(inYear.length);
    expect(result.customersWithOrders).toBe(new Set(inYear.map((o) => o.customer_id as string)).size);
    const totalCents = expected.reduce((sum, doc) => sum + MONTH_KEYS.reduce((s, key) => s + cents(doc.monthly_spenses[key]), 0), 0);
    expect(result.totalSpend).toBe(totalCents / 100);
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('reports progress: the customers, slice by slice (1,000 at least), then the three indexes', () => {
    expect(progress).toEqual([
      ...[0, 1000, 2000].map((done) => ({ phase: 'aggregate', done, total: 2000 })),
      ...[0, 1, 2, 3].map((done) => ({ phase: 'indexes', done, total: 3 })),
    ]);
  });

  it('builds the indexes of docs/DATA-MODEL.md §2', async () => {
    const indexes = await database.db.collection('customer_spending').indexes();
    const byName = new Map(indexes.map((index) => [index.name, index]));
    expect(byName.get('customer_id_1')?.key).toEqual({ customer_id: 1 });
    expect(byName.get('customer_id_1')?.unique).toBe(true);
    expect(byName.get('email_1')?.key).toEqual({ email: 1 });
    expect(byName.get('monthly_avg_expense_1')?.key).toEqual({ monthly_avg_expense: 1 });
  });

  it('released the job lock', async () => {
    const lock = await acquireJobLock(database.db, 'reset');
    await lock.release();
  });

  it('defaults to the year of the newest order', async () => {
    expect(await defaultCrunchYear(database.db)).toBe(2025);
  });

  describe('queries', () => {
    const byAverage = (): CustomerSpending[] =>
      [...expected].sort((a, b) => b.monthly_avg_expense - a.monthly_avg_expense || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));

    it('findSpending filters, sorts (ties by _id), pages and projects', async () => {
      const top = await findSpending(database, { sort: { monthly_avg_expense: -1 }, limit: 7 });
      expect(top.map((doc) => doc._id)).toEqual(
        byAverage()
          .slice(0, 7)
          .map((doc) => doc._id),
      );
      expectSameSpending(top, byAverage().slice(0, 7));

      const page2 = await findSpending(database, { sort: { monthly_avg_expense: -1 }, skip: 7, limit: 7 });
      expect(page2.map((doc) => doc._id)).toEqual(
        byAverage()
          .slice(7, 14)
          .map((doc) => doc._id),
      );

      const nobody = byAverage().filter((doc) => doc.monthly_avg_expense === 0);
      const zeroes = await findSpending(database, { filter: { monthly_avg_expense: 0 }, limit: 10_000, projection: { email: 1, _id: 0 } });
      expect(zeroes).toHaveLength(nobody.length);
      expect(zeroes.every((doc) => Object.keys(doc).join() === 'email')).toBe(true);

      const dez = await findSpending(database, { filter: { 'monthly_spenses.dez': { $gt: 1000 } }, limit: 10_000 });
      expect(dez.map((doc) => doc._id).sort()).toEqual(
        expected
          .filter((doc) => doc.monthly_spenses.dez > 1000)
          .map((doc) => doc._id)
          .sort(),
      );
    });

    it('findSpending defaults to 100 documents and caps the limit', async () => {
      expect(await findSpending(database)).toHaveLength(100);
      expect(await findSpending(database, { limit: 1_000_000 })).toHaveLength(2000);
    });

    it('streamSpending gives every document, in _id order', async () => {
      const ids: string[] = [];
      for await (const doc of streamSpending(database, { projection: { _id: 1 } })) ids.push(doc._id as string);
      expect(ids).toEqual(expected.map((doc) => doc._id).sort());
    });

    it('countSpending counts what a filter matches', async () => {
      expect(await countSpending(database)).toBe(2000);
      expect(await countSpending(database, { monthly_avg_expense: { $gt: 0 } })).toBe(expected.filter((doc) => doc.monthly_avg_expense > 0).length);
      const category = Object.keys(expected.find((doc) => Object.keys(doc.categorized_monthly_avg_expense).length > 0)!.categorized_monthly_avg_expense)[0]!;
      expect(await countSpending(database, { [`categorized_monthly_avg_expense.${category}`]: { $exists: true } })).toBe(
        expected.filter((doc) => category in doc.categorized_monthly_avg_expense).length,
      );
      expect(await countSpending(database, { $expr: { $gt: ['$monthly_spenses.nov', '$monthly_spenses.out'] } })).toBe(
        expected.filter((doc) => doc.monthly_spenses.nov > doc.monthly_spenses.out).length,
      );
    });

    it('getCustomerSpending returns one customer, null for an unknown one, and refuses a malformed id', async () => {
      const someone = expected[123]!;
      expect(await getCustomerSpending(database, someone.customer_id)).toEqual(someone);
      expect(await getCustomerSpending(database, someone.customer_id.toUpperCase())).toEqual(someone);
      expect(await getCustomerSpending(database, 'f'.repeat(24))).toBeNull();
      const error = await rejection(getCustomerSpending(database, 'nope'));
      expect(error).toBeInstanceOf(UserInputError);
      expect((error as UserInputError).code).toBe(ErrorCodes.BAD_USER_INPUT);
    });

    const hostile: [string, Document][] = [
      ['$where at the top', { $where: 'sleep(1000) || true' }],
      ['$where inside $and', { $and: [{ year: 2025 }, { $where: 'true' }] }],
      ['$where inside $or', { $or: [{ year: 2025 }, { $nor: [{ $where: 'true' }] }] }],
      ['$function inside $expr', { $expr: { $function: { body: 'function() { return true }', args: [], lang: 'js' } } }],
      ['$accumulator inside $expr', { $expr: { $eq: [{ $accumulator: {} }, 1] } }],
      ['$where inside $elemMatch', { tags: { $elemMatch: { $where: 'true' } } }],
      ['$function deep in $elemMatch/$expr', { tags: { $elemMatch: { $or: [{ a: { $eq: { $function: {} } } }] } } }],
      ['an unknown operator', { year: { $foo: 1 } }],
    ];
    for (const [what, filter] of hostile) {
      it(`refuses ${what} in findSpending and countSpending, as user input`, async () => {
        for (const error of [await rejection(findSpending(database, { filter })), await rejection(countSpending(database, filter))]) {
          expect(error).toBeInstanceOf(SpendingInputError);
          expect(error).toBeInstanceOf(UserInputError);
          expect((error as AppError).code).toBe(ErrorCodes.BAD_USER_INPUT);
        }
      });
    }

    it('refuses bad sorts, projections with expressions, and bad limits', async () => {
      for (const query of [
        { sort: { monthly_avg_expense: 2 } as unknown as Record<string, 1> },
        { sort: { $natural: 1 } as Record<string, 1> },
        { projection: { email: { $function: { body: 'function() {}', args: [], lang: 'js' } } } },
        { projection: { email: { $concat: ['$email', 'x'] } } },
        { projection: { email: 1, year: 0 } },
        { limit: 0 },
        { limit: -1 },
        { skip: 1.5 },
      ]) {
        const error = await rejection(findSpending(database, query));
        expect(error, JSON.stringify(query)).toBeInstanceOf(UserInputError);
      }
    });

    it('turns a filter the server cannot run into a user-input error', async () => {
      const error = await rejection(findSpending(database, { filter: { email: { $regex: '(' } } }));
      expect(error).toBeInstanceOf(UserInputError);
      expect(error.message).toMatch(/server refused/);
    });
  });

  it('refuses to crunch while a seed holds the job lock (CONFLICT), and runs again once it is gone', async () => {
    const seedLock = await acquireJobLock(database.db, 'seed');
    try {
      const error = await rejection(crunchSpending(database));
      expect(error).toBeInstanceOf(JobConflictError);
      expect((error as AppError).code).toBe(ErrorCodes.CONFLICT);
      expect(error.message).toMatch(/a seed is running/);
    } finally {
      await seedLock.release();
    }
    expect(await database.db.collection('customer_spending').countDocuments()).toBe(2000);
  });

  it('refuses a year without orders, naming the years that have some, and keeps the collection as it was', async () => {
    const before = await allDocs(database.db, 'customer_spending');
    const error = await rejection(crunchSpending(database, { year: 2024 }));
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.message).toMatch(
      /^there are no orders in 2024, so its crunch would give every customer zeros: the orders are from 2025 \([\d,]+ orders\); crunch one of those years \(--year 2025\)$/,
    );
    expect((error as UserInputError).details).toMatchObject({ reason: 'NO_ORDERS_IN_YEAR', years: [2025] });
    expect(await allDocs(database.db, 'customer_spending')).toEqual(before);
    expect((await database.db.collection('customer_spending').indexes()).map((index) => index.name).sort()).toEqual([
      '_id_',
      'customer_id_1',
      'email_1',
      'monthly_avg_expense_1',
    ]);
  });
});

/** Hand-made data inserted directly: each case's figures are worked out by hand. */
describe('crunch edge cases', () => {
  let database: Database;

  const tenCents = product(1, 0.1, ['Eletrônicos', 'Áudio']);
  const twentyCents = product(2, 0.2, ['Casa']);
  const book = product(3, 39.9, ['Livros', 'Presentes', 'Eletrônicos']);
  const uncategorized = product(4, 15, []);
  const carts = [
    cart(1, 2, [
      { product: tenCents, quantity: 1 },
      { product: twentyCents, quantity: 1 },
    ]), // 0.10 + 0.20 = 0.30
    cart(2, 2, [{ product: book, quantity: 2 }]), // 79.80 in three categories, at 23:59:59.999 on 31 Dec 2025
    cart(3, 2, [{ product: tenCents, quantity: 5 }]), // 0.50, at 00:00 on 1 Jan 2026
    cart(4, 2, [{ product: twentyCents, quantity: 3 }]), // 0.60, in 2024: outside 2025
    cart(5, 2, [{ product: book, quantity: 10 }]), // abandoned: no order
    cart(6, 3, [
      { product: uncategorized, quantity: 2 },
      { product: tenCents, quantity: 1 },
    ]), // 30.10
  ];
  const [c1, c2, c3, c4, , c6] = carts as [Doc, Doc, Doc, Doc, Doc, Doc];
  const users = [user(1, 'Ana', 'Sem Pedidos'), user(2, 'Bia', 'Souza'), user(3, 'Caio', 'Lima')];
  const orders = [
    order(1, 2, c1, '2025-03-10T10:00:00.000Z'),
    order(2, 2, c2, '2025-12-31T23:59:59.999Z'),
    order(3, 2, c3, '2026-01-01T00:00:00.000Z'),
    order(4, 2, c4, '2024-07-01T12:00:00.000Z'),
    order(6, 3, c6, '2025-01-01T00:00:00.000Z'),
  ];

  const base = (
    n: number,
    first: string,
    last: string,
    year: number,
  ): Omit<CustomerSpending, 'monthly_spenses' | 'categorized_monthly_expenses' | 'monthly_avg_expense' | 'categorized_monthly_avg_expense'> => ({
    _id: hex(n),
    customer_id: hex(n),
    email: `user${n}@example.com`,
    year,
    details: { first_name: first, last_name: last },
  });

  beforeAll(async () => {
    database = await openServiceDatabase('spending_edges');
    await database.db.collection('users').insertMany(users);
    await database.db.collection('products').insertMany([tenCents, twentyCents, book, uncategorized]);
    await database.db.collection('carts').insertMany(carts);
    await database.db.collection('orders').insertMany(orders);
    // A stale document from an earlier crunch: `$out` must not keep it.
    await database.db.collection('customer_spending').insertOne({ _id: 'stale' as unknown as never, year: 1999 });
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('defaults to the year of the newest order (2026, from 00:00 on 1 January)', async () => {
    expect(await defaultCrunchYear(database.db)).toBe(2026);
  });

  it('crunches 2025 to the hand-computed documents', async () => {
    const result = await crunchSpending(database, { year: 2025 });
    expect(result).toMatchObject({ year: 2025, customers: 3, customersWithOrders: 2, orders: 3, totalSpend: 110.2 });
    const docs = await allDocs(database.db, 'customer_spending');
    const want: CustomerSpending[] = [
      // No orders at all: 12 zero months, 12 empty category months, zero averages.
      {
        ...base(1, 'Ana', 'Sem Pedidos', 2025),
        monthly_spenses: zeros,
        categorized_monthly_expenses: empties,
        monthly_avg_expense: 0,
        categorized_monthly_avg_expense: {},
      },
      {
        ...base(2, 'Bia', 'Souza', 2025),
        // mar: 0.10 + 0.20 is exactly 0.3; dez: the order at 23:59:59.999Z; the 2024 and 2026 orders do not count.
        monthly_spenses: { ...zeros, mar: 0.3, dez: 79.8 },
        categorized_monthly_expenses: {
          ...empties,
          mar: { Eletrônicos: 0.1, Áudio: 0.1, Casa: 0.2 },
          // One line, three categories: each gets the whole line (they sum to more than the month).
          dez: { Livros: 79.8, Presentes: 79.8, Eletrônicos: 79.8 },
        },
        monthly_avg_expense: 6.68, // 8010 cents / 12 = 667.5 → 668 (half to even)
        categorized_monthly_avg_expense: {
          Eletrônicos: 6.66, // 7990 / 12 = 665.83
          Áudio: 0.01, // 10 / 12 = 0.83
          Casa: 0.02, // 20 / 12 = 1.67
          Livros: 6.65, // 7980 / 12 = 665
          Presentes: 6.65,
        },
      },
      {
        ...base(3, 'Caio', 'Lima', 2025),
        // 00:00 on 1 January counts in January; the uncategorized line counts in the total only.
        monthly_spenses: { ...zeros, jan: 30.1 },
        categorized_monthly_expenses: { ...empties, jan: { Eletrônicos: 0.1, Áudio: 0.1 } },
        monthly_avg_expense: 2.51, // 3010 / 12 = 250.83
        categorized_monthly_avg_expense: { Eletrônicos: 0.01, Áudio: 0.01 },
      },
    ];
    expectSameSpending(docs, want);
    expect(docs.find((doc) => doc._id === hex(2))!.monthly_spenses.mar).toBe(0.3);
    expectSameSpending(docs, await recomputeFrom(database, 2025));
  });

  it('crunches 2026 (only the order at 00:00 on 1 January) and replaces 2025, keeping the indexes', async () => {
    const result = await crunchSpending(database, { year: 2026 });
    expect(result).toMatchObject({ year: 2026, customers: 3, customersWithOrders: 1, orders: 1, totalSpend: 0.5 });
    const docs = await allDocs(database.db, 'customer_spending');
    expect(docs.map((doc) => doc.year)).toEqual([2026, 2026, 2026]);
    const bia = docs.find((doc) => doc._id === hex(2))!;
    expect(bia.monthly_spenses).toEqual({ ...zeros, jan: 0.5 });
    expect(bia.categorized_monthly_expenses).toEqual({ ...empties, jan: { Eletrônicos: 0.5, Áudio: 0.5 } });
    expect(bia.monthly_avg_expense).toBe(0.04); // 50 / 12 = 4.17
    expectSameSpending(docs, await recomputeFrom(database, 2026));
    expect((await database.db.collection('customer_spending').indexes()).map((index) => index.name).sort()).toEqual([
      '_id_',
      'customer_id_1',
      'email_1',
      'monthly_avg_expense_1',
    ]);
  });

  it('defaults to that newest year when no year is given', async () => {
    expect((await crunchSpending(database)).year).toBe(2026);
  });

  it('refuses a bad year as user input, before touching anything', async () => {
    for (const year of [0, -1, 2025.5, 10_000, Number.NaN]) {
      const error = await rejection(crunchSpending(database, { year }));
      expect(error, String(year)).toBeInstanceOf(UserInputError);
      expect(error.message).toMatch(/year must be an integer/);
    }
    expect(await database.db.collection('customer_spending').countDocuments()).toBe(3);
  });
});

describe('crunching an empty database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('spending_empty');
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('says to seed first (NOT_FOUND), writes nothing and releases the lock', async () => {
    expect(await defaultCrunchYear(database.db)).toBeUndefined();
    for (const options of [{}, { year: 2025 }]) {
      const error = await rejection(crunchSpending(database, options));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCodes.NOT_FOUND);
      expect(error.message).toMatch(/has no users.*run "npx datadragon seed" first/);
    }
    const collections = (await database.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(collections).not.toContain('customer_spending');
    await (await acquireJobLock(database.db, 'crunch')).release();
  });

  it('finds and counts nothing before any crunch', async () => {
    expect(await findSpending(database)).toEqual([]);
    expect(await countSpending(database)).toBe(0);
    expect(await getCustomerSpending(database, hex(1))).toBeNull();
  });

  it('with users but no orders: NOT_FOUND, with a year or without', async () => {
    await database.db.collection('users').insertMany([user(1), user(2)]);
    for (const options of [{}, { year: 2025 }]) {
      const error = await rejection(crunchSpending(database, options));
      expect((error as AppError).code).toBe(ErrorCodes.NOT_FOUND);
      expect(error.message).toMatch(/has no orders, so there is nothing to crunch/);
    }
    expect(await database.db.collection('customer_spending').countDocuments()).toBe(0);
  });
});
