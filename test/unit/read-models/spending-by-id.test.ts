/**
 * By-id reads shared between concurrent requests: what the database is asked, and that every
 * caller gets its own answer (or the shared failure). A fake collection records the queries.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { spendingById } from '../../../src/read-models/index.js';

const hex = (n: number): string => n.toString(16).padStart(24, '0');

interface Query {
  filter: { _id: { $in: string[] } };
  options: { projection: Record<string, 0 | 1>; limit: number };
}

/** A database whose `customer_spending` holds `docs`; `fail` makes every query reject. */
function fakeDatabase(docs: { _id: string; email: string; year: number }[], fail?: Error): { database: Database; queries: Query[] } {
  const queries: Query[] = [];
  const collection = {
    find(filter: Query['filter'], options: Query['options']) {
      queries.push({ filter, options });
      return {
        async toArray() {
          if (fail) throw fail;
          return docs.filter((doc) => filter._id.$in.includes(doc._id)).map((doc) => ({ ...doc }));
        },
      };
    },
  };
  return { database: { db: { collection: () => collection } } as unknown as Database, queries };
}

const DOCS = [1, 2, 3].map((n) => ({ _id: hex(n), email: `c${n}@example.com`, year: 2025 }));

describe('customer spending by id', () => {
  it('look-ups of the same turn share one query; each caller gets its document or null', async () => {
    const { database, queries } = fakeDatabase(DOCS);
    const asked = [hex(2), hex(9), hex(1).toUpperCase(), hex(2)];
    const results = await Promise.all(asked.map((id) => spendingById(database, id, { email: 1 })));
    expect(results.map((doc) => doc?.email ?? null)).toEqual(['c2@example.com', null, 'c1@example.com', 'c2@example.com']);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.filter._id.$in.sort()).toEqual([hex(1), hex(2), hex(9)]); // lowercased, each once
    expect(queries[0]!.options).toMatchObject({ projection: { email: 1 }, limit: 3 });
  });

  it('different projections are different queries; later turns are new queries', async () => {
    const { database, queries } = fakeDatabase(DOCS);
    await Promise.all([spendingById(database, hex(1), { email: 1 }), spendingById(database, hex(1), { year: 1 }), spendingById(database, hex(3))]);
    expect(queries.map((q) => q.options.projection)).toEqual([{ email: 1 }, { year: 1 }, {}]);
    await spendingById(database, hex(3));
    expect(queries).toHaveLength(4);
  });

  it('a failed query fails every look-up it carried, and only those', async () => {
    const failure = new Error('connection reset');
    const broken = fakeDatabase(DOCS, failure);
    const healthy = fakeDatabase(DOCS);
    const results = await Promise.allSettled([
      spendingById(broken.database, hex(1)),
      spendingById(broken.database, hex(2)),
      spendingById(healthy.database, hex(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toBe(failure);
  });

  it('a bad id is refused on its own, before any query', async () => {
    const { database, queries } = fakeDatabase(DOCS);
    const [bad, good] = await Promise.allSettled([spendingById(database, 'nope', { email: 1 }), spendingById(database, hex(3), { email: 1 })]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'BAD_USER_INPUT', reason: 'BAD_CUSTOMER_ID' } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { email: 'c3@example.com' } });
    expect(queries.map((q) => q.filter._id.$in)).toEqual([[hex(3)]]);
  });
});
