/**
 * The whole crunch pipeline (without its output stage) on small datasets, run on mingo with
 * the engine's configuration and on the engine's own pipeline, native stages first
 * (test/helpers/pipeline-runners.ts), and compared with the independent recomputation and with
 * hand-computed figures; plus the rules that keep it runnable, unchanged, on a real MongoDB.
 */
import { EJSON } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  buildCrunchPipeline,
  buildSpendingStages,
  type CategorizedMonths,
  crunchRootCollection,
  type CustomerSpending,
  MONTH_KEYS,
  type MonthlyAmounts,
} from '../../../src/spending/index.js';
import { recomputeSpending, roundHalfEven } from '../../../src/spending/recompute.js';
import { PIPELINE_RUNNERS, type PipelineRunner } from '../../helpers/pipeline-runners.js';
import { seededRandom } from '../../helpers/random.js';
import { cart, type Doc, hex, order, product, user } from '../../helpers/spending.js';

interface Dataset {
  users: Doc[];
  products: Doc[];
  carts: Doc[];
  orders: Doc[];
}

/** Runs the crunch (no output stage) on `data` with `runner`, the way the server would: from `orders`. */
function crunchOn(runner: PipelineRunner, data: Dataset, year: number): CustomerSpending[] {
  const stages = buildCrunchPipeline({ year, out: false });
  return runner.run(stages, data.orders, { users: data.users, products: data.products, carts: data.carts }) as unknown as CustomerSpending[];
}

const byId = (docs: readonly CustomerSpending[]): Map<string, CustomerSpending> => new Map(docs.map((doc) => [doc._id, doc]));

/** Compares two result sets document by document and field by field, naming the culprit. */
function expectSameSpending(actual: readonly CustomerSpending[], expected: readonly CustomerSpending[]): void {
  expect(actual.map((doc) => doc._id).sort()).toEqual(expected.map((doc) => doc._id).sort());
  const actualById = byId(actual);
  for (const want of expected) {
    const got = actualById.get(want._id);
    for (const field of Object.keys(want) as (keyof CustomerSpending)[]) {
      expect(got?.[field], `customer ${want._id}, field ${field}`).toEqual(want[field]);
    }
    expect(Object.keys(got ?? {}).sort(), `customer ${want._id}: field names`).toEqual(Object.keys(want).sort());
  }
}

const zeros = Object.fromEntries(MONTH_KEYS.map((key) => [key, 0])) as MonthlyAmounts;
const empties = Object.fromEntries(MONTH_KEYS.map((key) => [key, {}])) as CategorizedMonths;

/** The hand-made dataset; a function, so that each test gets documents of its own. */
function handMade(): Dataset {
  const fone = product(1, 0.1, ['Eletrônicos', 'Áudio']);
  const caneca = product(2, 0.2, ['Casa']);
  const livro = product(3, 39.9, ['Livros', 'Presentes', 'Eletrônicos']);
  const semCategoria = product(4, 15, []);
  const carts = [
    cart(1, 1, [
      { product: fone, quantity: 1 },
      { product: caneca, quantity: 1 },
    ]), // 0.10 + 0.20
    cart(2, 1, [{ product: livro, quantity: 2 }]), // 79.80, three categories
    cart(3, 1, [{ product: fone, quantity: 5 }]), // ordered at 2026-01-01T00:00:00.000Z
    cart(4, 1, [{ product: caneca, quantity: 3 }]), // ordered in 2024
    cart(5, 1, [{ product: fone, quantity: 2 }]), // 0.20
    cart(6, 1, [{ product: livro, quantity: 10 }]), // abandoned: no order
    cart(7, 3, [{ product: livro, quantity: 1 }]), // Caio, 2024 only
    cart(8, 4, [{ product: semCategoria, quantity: 1 }]), // Duda: no category
    cart(9, 4, [{ product: hex(999), price: 5, quantity: 1 }]), // Duda: unknown product
    cart(10, 99, [{ product: fone, quantity: 1 }]), // a customer that is not a user
  ];
  const [c1, c2, c3, c4, c5, , c7, c8, c9, c10] = carts as [Doc, Doc, Doc, Doc, Doc, Doc, Doc, Doc, Doc, Doc];
  return {
    users: [user(1, 'Ana', 'Silva'), user(2, 'Bia', 'Souza'), user(3, 'Caio', 'Lima'), user(4, 'Duda', 'Reis')],
    products: [fone, caneca, livro, semCategoria],
    carts,
    orders: [
      order(1, 1, c1, '2025-01-10T10:00:00.000Z'),
      order(2, 1, c2, '2025-12-31T23:59:59.999Z'),
      order(3, 1, c3, '2026-01-01T00:00:00.000Z'),
      order(4, 1, c4, '2024-12-31T23:59:59.999Z'),
      order(5, 1, c5, '2025-01-20T08:00:00.000Z'),
      order(7, 3, c7, '2024-06-01T00:00:00.000Z'),
      order(8, 4, c8, '2025-06-15T12:00:00.000Z'),
      order(9, 4, c9, '2025-06-20T12:00:00.000Z'),
      order(10, 99, c10, '2025-03-03T03:03:03.000Z'),
    ],
  };
}

describe.each(PIPELINE_RUNNERS)('on $name', (runner) => {
  const crunch = (data: Dataset, year: number): CustomerSpending[] => crunchOn(runner, data, year);

  describe('crunch pipeline on a hand-made dataset (2025)', () => {
    const expectedAna: CustomerSpending = {
      _id: hex(1),
      customer_id: hex(1),
      email: 'user1@example.com',
      year: 2025,
      details: { first_name: 'Ana', last_name: 'Silva' },
      // jan: 0.10 + 0.20 (cart 1) + 0.20 (cart 5); dez: the order at 23:59:59.999 on 31 December.
      monthly_spenses: { ...zeros, jan: 0.5, dez: 79.8 },
      categorized_monthly_expenses: {
        ...empties,
        jan: { Eletrônicos: 0.3, Áudio: 0.3, Casa: 0.2 },
        dez: { Livros: 79.8, Presentes: 79.8, Eletrônicos: 79.8 },
      },
      monthly_avg_expense: 6.69, // 8030 cents / 12 = 669.17
      categorized_monthly_avg_expense: {
        Eletrônicos: 6.68, // 8010 / 12 = 667.5 → 668 (half to even)
        Áudio: 0.02, // 30 / 12 = 2.5 → 2 (half to even)
        Casa: 0.02, // 20 / 12 = 1.67 → 2
        Livros: 6.65,
        Presentes: 6.65,
      },
    };
    const nothing = (n: number, first: string, last: string): CustomerSpending => ({
      _id: hex(n),
      customer_id: hex(n),
      email: `user${n}@example.com`,
      year: 2025,
      details: { first_name: first, last_name: last },
      monthly_spenses: zeros,
      categorized_monthly_expenses: empties,
      monthly_avg_expense: 0,
      categorized_monthly_avg_expense: {},
    });
    const expectedDuda: CustomerSpending = {
      ...nothing(4, 'Duda', 'Reis'),
      monthly_spenses: { ...zeros, jun: 20 },
      monthly_avg_expense: 1.67, // 2000 / 12 = 166.67
    };

    it('matches the hand-computed documents, one per user', () => {
      expectSameSpending(crunch(handMade(), 2025), [expectedAna, nothing(2, 'Bia', 'Souza'), nothing(3, 'Caio', 'Lima'), expectedDuda]);
    });

    it('matches the independent recomputation', () => {
      expectSameSpending(crunch(handMade(), 2025), recomputeSpending({ ...handMade(), year: 2025 }));
    });

    it('0.10 + 0.20 is exactly 0.3', () => {
      const ana = byId(crunch(handMade(), 2025)).get(hex(1));
      expect(ana?.categorized_monthly_expenses.jan.Casa).toBe(0.2);
      expect(ana?.categorized_monthly_expenses.jan.Eletrônicos).toBe(0.3);
      expect(ana?.monthly_spenses.jan).toBe(0.5);
    });

    it('counts the order at 2026-01-01T00:00:00.000Z in 2026, and only there', () => {
      const ana2026 = byId(crunch(handMade(), 2026)).get(hex(1));
      expect(ana2026?.monthly_spenses).toEqual({ ...zeros, jan: 0.5 });
      expect(ana2026?.categorized_monthly_expenses.jan).toEqual({ Eletrônicos: 0.5, Áudio: 0.5 });
      expectSameSpending(crunch(handMade(), 2026), recomputeSpending({ ...handMade(), year: 2026 }));
    });

    it('counts the 2024 orders in 2024 (and only the orders: abandoned carts never)', () => {
      const result = byId(crunch(handMade(), 2024));
      expect(result.get(hex(1))?.monthly_spenses).toEqual({ ...zeros, dez: 0.6 });
      expect(result.get(hex(3))?.monthly_spenses).toEqual({ ...zeros, jun: 39.9 });
      expectSameSpending(crunch(handMade(), 2024), recomputeSpending({ ...handMade(), year: 2024 }));
    });

    it('a year without any order: every user with zeros', () => {
      const result = crunch(handMade(), 2030);
      expect(result).toHaveLength(4);
      for (const doc of result) {
        expect(doc.monthly_spenses).toEqual(zeros);
        expect(doc.categorized_monthly_expenses).toEqual(empties);
        expect(doc.monthly_avg_expense).toBe(0);
        expect(doc.categorized_monthly_avg_expense).toEqual({});
      }
    });

    it('an empty database gives no documents', () => {
      const empty: Dataset = { users: [], products: [], carts: [], orders: [] };
      expect(crunch(empty, 2025)).toEqual([]);
      expect(recomputeSpending({ ...empty, year: 2025 })).toEqual([]);
    });

    it('users without any order, products or carts: one zero document each', () => {
      const data: Dataset = { users: [user(1, 'Ana', 'Silva'), user(2, 'Bia', 'Souza')], products: [], carts: [], orders: [] };
      expectSameSpending(crunch(data, 2025), [nothing(1, 'Ana', 'Silva'), nothing(2, 'Bia', 'Souza')]);
    });
  });

  describe('crunch pipeline: randomized datasets against the recomputation', () => {
    const CATEGORIES = ['Eletrônicos', 'Livros', 'Casa', 'Jardim', 'Esporte', 'Beleza', 'Brinquedos', 'Moda', 'Saúde', 'Automotivo', 'Música', 'Games'];
    const BOUNDARIES = ['2024-12-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z', '2025-12-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z'];

    /** A dataset drawn from `seed`; calling it twice gives equal, independent documents. */
    function generate(seed: number, userCount: number): Dataset {
      const random = seededRandom(seed);
      const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const products = Array.from({ length: 40 }, (_, i) => {
        const categories = new Set<string>();
        const wanted = int(0, 4);
        while (categories.size < wanted) categories.add(pick(CATEGORIES));
        // Prices in cents, many of them multiples of 0.10 so that sums hit binary-inexact values.
        const cents = random() < 0.3 ? int(1, 9) * 10 : int(1, 60_000);
        return product(i + 1, cents / 100, [...categories]);
      });
      const users = Array.from({ length: userCount }, (_, i) => user(i + 1));
      const carts: Doc[] = [];
      const orders: Doc[] = [];
      let cartNo = 0;
      let orderNo = 0;
      const start = Date.parse('2024-11-01T00:00:00.000Z');
      const span = Date.parse('2026-02-01T00:00:00.000Z') - start;
      // Customers 1..userCount are users; a few orders belong to customers that are not.
      for (let customer = 1; customer <= userCount + 3; customer++) {
        const cartCount = customer % 7 === 0 ? 0 : int(0, 6);
        for (let k = 0; k < cartCount; k++) {
          const lines = Array.from({ length: int(1, 5) }, () =>
            random() < 0.03
              ? { product: hex(900_000 + int(0, 9)), price: int(1, 999) / 100, quantity: 1 }
              : { product: pick(products), quantity: random() < 0.7 ? 1 : int(2, 4) },
          );
          const cartDoc = cart(++cartNo, customer, lines);
          carts.push(cartDoc);
          if (random() < 0.25) continue; // abandoned cart
          const createdAt = random() < 0.08 ? pick(BOUNDARIES) : new Date(start + Math.floor(random() * span));
          const orderDoc = order(++orderNo, customer, cartDoc, createdAt);
          if (random() < 0.01) orderDoc.cart_id = hex(950_000 + orderNo); // a dangling cart reference
          orders.push(orderDoc);
        }
      }
      return { users, products, carts, orders };
    }

    it.each([
      [1, 2025, 200],
      [2, 2025, 150],
      [3, 2024, 150],
      [4, 2026, 100],
    ])('seed %i, year %i, %i users', (seed, year, userCount) => {
      const result = crunch(generate(seed, userCount), year);
      const expected = recomputeSpending({ ...generate(seed, userCount), year });
      expect(expected).toHaveLength(userCount);
      expect(expected.some((doc) => doc.monthly_avg_expense > 0)).toBe(true);
      expectSameSpending(result, expected);
    });
  });
});

describe('recomputeSpending rounding', () => {
  it.each([
    [2.5, 2],
    [3.5, 4],
    [-2.5, -2],
    [2.51, 3],
    [2.49, 2],
    [267.49999999999994, 267],
    [200.99999999999997, 201],
    [0, 0],
  ])('roundHalfEven(%d) = %d', (x, expected) => {
    expect(roundHalfEven(x)).toBe(expected);
  });
});

describe('crunch pipeline: runs unchanged on a real MongoDB', () => {
  const pipeline = buildCrunchPipeline({ year: 2025 });
  const text = EJSON.stringify(pipeline);
  const stageNames = pipeline.map((stage) => Object.keys(stage)[0]);

  it('starts with the year $match (index-friendly) and ends with $out customer_spending', () => {
    expect(crunchRootCollection()).toBe('orders');
    expect(pipeline[0]).toEqual({
      $match: { created_at: { $gte: new Date('2025-01-01T00:00:00.000Z'), $lt: new Date('2026-01-01T00:00:00.000Z') } },
    });
    expect(pipeline.at(-1)).toEqual({ $out: 'customer_spending' });
    expect(stageNames.filter((name) => name === '$out' || name === '$merge')).toHaveLength(1);
  });

  it('every stage has exactly one operator, all available since MongoDB 4.4', () => {
    const known = new Set(['$match', '$project', '$set', '$lookup', '$unwind', '$group', '$unionWith', '$replaceWith', '$out', '$merge']);
    for (const stage of pipeline) expect(Object.keys(stage)).toHaveLength(1);
    for (const name of stageNames) expect(known.has(name!), name).toBe(true);
  });

  it('uses only the localField/foreignField form of $lookup', () => {
    const lookups = pipeline.filter((stage) => '$lookup' in stage).map((stage) => stage.$lookup as Doc);
    expect(lookups.length).toBeGreaterThan(0);
    for (const lookup of lookups) expect(Object.keys(lookup).sort()).toEqual(['as', 'foreignField', 'from', 'localField']);
  });

  it('runs no server-side JavaScript and no 7.2+ dynamic field access', () => {
    for (const word of ['$where', '$function', '$accumulator', '$code', '$getField', '$setField']) expect(text).not.toContain(`"${word}"`);
  });

  it('converts the hex references before joining on _id', () => {
    expect(text).toContain('{"$toObjectId":"$cart_id"}');
    expect(text).toContain('{"$toObjectId":"$$this.product_id"}');
    expect(text).toContain('"localField":"product_oids","foreignField":"_id"');
  });

  it('honours collection names, out: false and $merge', () => {
    const renamed = buildCrunchPipeline({ year: 2025, collections: { users: 'u', carts: 'c', products: 'p', orders: 'o' } });
    const renamedText = JSON.stringify(renamed);
    expect(renamedText).toContain('"from":"c"');
    expect(renamedText).toContain('"from":"p"');
    expect(renamedText).toContain('"coll":"u"');
    expect(crunchRootCollection({ collections: { orders: 'o' } })).toBe('o');
    expect(buildCrunchPipeline({ year: 2025, out: false })).toEqual(buildSpendingStages({ year: 2025 }));
    expect(buildCrunchPipeline({ year: 2025, out: { merge: {} } }).at(-1)).toEqual({
      $merge: { into: 'customer_spending', on: '_id', whenMatched: 'replace', whenNotMatched: 'insert' },
    });
  });

  it('refuses a year that is not an integer', () => {
    expect(() => buildCrunchPipeline({ year: 2025.5 })).toThrowError(expect.objectContaining({ reason: 'BAD_YEAR' }));
  });
});
