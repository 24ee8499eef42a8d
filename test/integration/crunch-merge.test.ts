/**
 * The crunch written with $merge (as on a sharded cluster, forced here on a server that is no
 * mongos) gives the documents the $out crunch gives, full and incremental.
 */
import { EJSON } from 'bson';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { crunchJob, runJob } from '../../src/jobs/index.js';
import { allDocs, openServiceDatabase, seed } from '../helpers/seeded.js';

/** Documents with their keys sorted at every level (the order of category keys is the server's). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

async function spending(db: Db): Promise<string[]> {
  return (await allDocs(db, 'customer_spending')).map((doc) => EJSON.stringify(canonical(doc), { relaxed: false }));
}

describe('the crunch with $merge', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('crunch_merge');
    await seed(database, { users: 2500, seed: 99, workers: 1, products: 50 });
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('writes the same customer_spending as with $out (more than one slice)', async () => {
    const out = await runJob(database, crunchJob, { year: 2025 });
    const expected = await spending(database.db);
    expect(expected).toHaveLength(2500);
    const merged = await runJob(database, crunchJob, { year: 2025, mergeOutput: true });
    expect(merged).toMatchObject({ customers: out.customers, orders: out.orders, totalSpend: out.totalSpend });
    expect(await spending(database.db)).toEqual(expected);
    const names = (await database.db.collection('customer_spending').indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['customer_id_1']));
  });

  it('refreshes incrementally with $merge: the recomputed customers get their documents back', async () => {
    const expected = await spending(database.db);
    const since = new Date('2025-12-01T00:00:00Z');
    const recent = new Set(await database.db.collection('orders').distinct('customer_id', { created_at: { $gte: since } }));
    expect(recent.size).toBeGreaterThan(100);
    // Spoil every document: only those of customers with recent orders are recomputed.
    await database.db.collection('customer_spending').updateMany({}, { $set: { email: 'spoilt' } });
    const result = await runJob(database, crunchJob, { year: 2025, since, mergeOutput: true });
    expect(result).toMatchObject({ mode: 'incremental', recomputed: recent.size, customers: 2500 });
    const after = await spending(database.db);
    after.forEach((doc, i) => {
      const id = (EJSON.parse(doc) as { _id: string })._id;
      if (recent.has(id)) expect(doc).toBe(expected[i]);
      else expect(doc).toContain('"spoilt"');
    });
  });
});
