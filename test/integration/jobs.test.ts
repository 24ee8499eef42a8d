/**
 * The three kinds of job on the test server, through the runner: a cancel in every phase of
 * every kind leaves every collection exactly as it was (hashes) and no staging behind; the
 * crunch's progress moves; an incremental crunch equals a full one (orders added through the
 * driver after a crunch); the spending data knows where it came from (stale after a seed or a
 * reset); what a killed job left is cleaned up by the next one at once.
 */
import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import {
  crunchJob,
  crunchSpending,
  type JobDefinition,
  type JobEvent,
  readJobLock,
  resetDatabase,
  resetJob,
  seedDatabase,
  seedJob,
  STAGING_PREFIX,
  stagingName,
  startJob,
} from '../../src/jobs/index.js';
import { parseSeedOptions } from '../../src/seeding/index.js';
import { spendingStatus } from '../../src/spending/index.js';
import { recomputeSpending } from '../../src/spending/recompute.js';
import { allDocs, databaseHash, openServiceDatabase } from '../helpers/seeded.js';

async function stagingLeft(db: Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((name) => name.startsWith(STAGING_PREFIX));
}

/** Starts a job and cancels it as soon as `phase` starts (or, with `midway`, at its first progress report). */
async function cancelAt<Plan, Result>(database: Database, definition: JobDefinition<unknown, Plan, Result>, plan: Plan, phase: string, midway: boolean) {
  let cancelled = false;
  const job = await startJob(definition, plan, {
    database,
    log: () => undefined,
    onEvent: (event: JobEvent, job) => {
      const here = midway ? event.type === 'progress' && event.phase === phase && event.done > 0 : event.type === 'phase' && event.phase === phase;
      if (here && !cancelled) cancelled = job.cancel();
    },
  });
  const state = await job.settled;
  return { state, cancelled };
}

describe('a cancel in every phase of every kind', () => {
  let database: Database;
  let before: Record<string, string>;

  beforeAll(async () => {
    database = await openServiceDatabase('jobs_cancel');
    await seedDatabase(database, parseSeedOptions({ users: 3000, seed: 21, workers: 2, products: 50, year: 2025 }));
    await crunchSpending(database);
    before = await databaseHash(database.db);
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  const cases: [string, JobDefinition<unknown, unknown, unknown>, () => unknown, string[]][] = [
    [
      'seed',
      seedJob as JobDefinition<unknown, unknown, unknown>,
      () => parseSeedOptions({ users: 4_000, seed: 22, workers: 2, products: 40, year: 2025 }),
      ['products', 'activity', 'split', 'indexes'],
    ],
    ['crunch', crunchJob as JobDefinition<unknown, unknown, unknown>, () => crunchJob.parse({ year: 2025 }), ['aggregate', 'indexes']],
    ['incremental crunch', crunchJob as JobDefinition<unknown, unknown, unknown>, () => crunchJob.parse({ since: '2025-06-01' }), ['aggregate']],
    ['reset', resetJob as JobDefinition<unknown, unknown, unknown>, () => resetJob.parse({}), ['empty']],
    ['reset --drop', resetJob as JobDefinition<unknown, unknown, unknown>, () => resetJob.parse({ drop: true }), ['drop']],
  ];
  for (const [kind, definition, plan, phases] of cases) {
    for (const phase of phases) {
      for (const midway of [false, true]) {
        // A phase of one step (dropping the database) has no "midway".
        if (midway && phase === 'drop') continue;
        it(`${kind}, cancelled ${midway ? 'inside' : 'at the start of'} ${phase}: CANCELLED, every collection as it was, no staging, the lock free`, async () => {
          const { state, cancelled } = await cancelAt(database, definition, plan(), phase, midway);
          expect(cancelled).toBe(true);
          expect(state.status).toBe('cancelled');
          expect(state.status === 'cancelled' && state.error.message).toMatch(new RegExp(`^the ${definition.kind} was cancelled during ${phase}; `));
          expect(await databaseHash(database.db)).toEqual(before);
          expect(await stagingLeft(database.db)).toEqual([]);
          expect(await readJobLock(database.db)).toBeNull();
        });
      }
    }
  }
});

describe('the crunch as a job', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('jobs_crunch');
    await seedDatabase(database, parseSeedOptions({ users: 12_000, seed: 31, workers: 2, products: 60, year: 2025 }));
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('reports progress that moves: at least ten distinct values while the customers are computed', async () => {
    const seen: number[] = [];
    const job = await startJob(crunchJob, crunchJob.parse({}), {
      database,
      onEvent: (event) => {
        if (event.type === 'progress' && event.phase === 'aggregate') seen.push(event.done);
      },
    });
    const state = await job.settled;
    expect(state.status).toBe('succeeded');
    expect(new Set(seen).size).toBeGreaterThanOrEqual(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(12_000);
  });

  it('an incremental crunch is refused on nothing crunched, on stale data, and for another year', async () => {
    const fresh = await openServiceDatabase('jobs_crunch_fresh');
    try {
      await seedDatabase(fresh, parseSeedOptions({ users: 50, seed: 3, workers: 1, products: 10, year: 2025 }));
      await expect(crunchSpending(fresh, { since: new Date('2025-01-01') })).rejects.toThrow(
        /--since refreshes an earlier crunch, and customer_spending is empty: run a full crunch/,
      );
      await crunchSpending(fresh);
      await expect(crunchSpending(fresh, { since: new Date('2025-01-01'), year: 2024 })).rejects.toThrow(
        /customer_spending holds 2025, so --since refreshes 2025: to crunch 2024, run a full crunch \("npx datadragon crunch", --year 2024\)/,
      );
      await seedDatabase(fresh, parseSeedOptions({ users: 40, seed: 4, workers: 1, products: 10, year: 2025 }));
      await expect(crunchSpending(fresh, { since: new Date('2025-01-01') })).rejects.toThrow(
        /--since refreshes an earlier crunch of the same data, but customer_spending \(2025, crunched at .*\) was built from an earlier dataset/,
      );
    } finally {
      await fresh.db.dropDatabase();
      await fresh.close();
    }
  });
});

describe('an incremental crunch', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('jobs_incremental');
    await seedDatabase(database, parseSeedOptions({ users: 3_000, seed: 32, workers: 2, products: 60, year: 2025 }));
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('an incremental crunch (--since) after orders were added through the driver equals a full crunch', async () => {
    await crunchSpending(database, { year: 2025 });
    // New orders since 10 December for 40 customers: new carts, at catalogue prices.
    const since = new Date('2025-12-10T00:00:00Z');
    const users = await database.db.collection('users').find().sort({ email: 1 }).limit(40).toArray();
    const products = await database.db.collection('products').find().limit(5).toArray();
    for (const [i, u] of users.entries()) {
      const product = products[i % products.length]!;
      const cartId = new ObjectId();
      const quantity = 1 + (i % 3);
      await database.db.collection('carts').insertOne({
        _id: cartId,
        customer_id: u.customer_id,
        products: [{ product_id: product._id.toHexString(), price: product.price, quantity }],
        amount: Math.round(product.price * quantity * 100) / 100,
      });
      await database.db
        .collection('orders')
        .insertOne({ customer_id: u.customer_id, cart_id: cartId.toHexString(), created_at: new Date(since.getTime() + i * 3_600_000) });
    }
    const changed = await database.db.collection('orders').distinct('customer_id', { created_at: { $gte: since } });

    const incremental = await crunchSpending(database, { since });
    expect(incremental).toMatchObject({ mode: 'incremental', year: 2025, since, recomputed: changed.length, customers: 3_000 });
    const afterIncremental = await allDocs(database.db, 'customer_spending');

    const full = await crunchSpending(database, { year: 2025 });
    expect(full).toMatchObject({ mode: 'full', recomputed: 3_000, customers: 3_000, totalSpend: incremental.totalSpend, orders: incremental.orders });
    expect(afterIncremental).toEqual(await allDocs(database.db, 'customer_spending'));
    // …and both are what the independent recomputation gives
    const [u, p, c, o] = await Promise.all(['users', 'products', 'carts', 'orders'].map((name) => allDocs(database.db, name)));
    const expected = recomputeSpending({ users: u!, products: p!, carts: c!, orders: o!, year: 2025 });
    expect(new Map(afterIncremental.map((doc) => [doc._id, doc.monthly_avg_expense]))).toEqual(
      new Map(expected.map((doc) => [doc._id, doc.monthly_avg_expense])),
    );
  });
});

describe('spending data that knows where it came from', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('jobs_status');
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('is not stale before any crunch (there is none), nor after one', async () => {
    expect(await spendingStatus(database.db)).toMatchObject({ year: null, crunchedAt: null, stale: false, customers: 0 });
    await seedDatabase(database, parseSeedOptions({ users: 200, seed: 7, workers: 1, products: 20, year: 2025 }));
    const started = Date.now();
    await crunchSpending(database);
    const status = await spendingStatus(database.db);
    expect(status).toMatchObject({ year: 2025, stale: false, reason: null, customers: 200, mode: 'full' });
    expect(status.crunchedAt!.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(status.source).toEqual(status.dataset);
    expect(status.dataset).toMatchObject({ origin: 'seed', seed: 7 });
  });

  it('is stale after a new seed, which keeps it: it says which year, when, and what to do', async () => {
    await seedDatabase(database, parseSeedOptions({ users: 120, seed: 8, workers: 1, products: 20, year: 2025 }));
    const status = await spendingStatus(database.db);
    expect(status).toMatchObject({ year: 2025, stale: true, customers: 200 });
    expect(status.reason).toMatch(
      /^customer_spending \(2025, crunched at \d{4}-\d\d-\d\dT[\d:]+Z\) was built from an earlier dataset; the database was seeded with seed 8 at .*: run "npx datadragon crunch" to rebuild it$/,
    );
    expect(status.source).toMatchObject({ seed: 7 });
    expect(status.dataset).toMatchObject({ seed: 8 });
    await crunchSpending(database);
    expect(await spendingStatus(database.db)).toMatchObject({ stale: false, customers: 120 });
  });

  it('after a reset: emptied with everything else, nothing to be stale about', async () => {
    await resetDatabase(database);
    expect(await spendingStatus(database.db)).toMatchObject({ year: null, stale: false, customers: 0, dataset: { origin: 'reset' } });
  });

  it('is stale when written by something that kept no record (an older datadragon)', async () => {
    await database.db.collection('customer_spending').insertOne({ _id: 'x' as never, year: 2023 });
    expect(await spendingStatus(database.db)).toMatchObject({
      year: 2023,
      crunchedAt: null,
      stale: true,
      reason: expect.stringMatching(/no record of the data it was built from/),
    });
    await database.db.collection('customer_spending').deleteMany({});
  });
});

describe('what a killed job leaves behind', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('jobs_killed');
    await seedDatabase(database, parseSeedOptions({ users: 100, seed: 5, workers: 1, products: 10, year: 2025 }));
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  it('staging collections and a lock whose process is gone are cleaned up by the next job, at once', async () => {
    const before = await databaseHash(database.db);
    // What a seed killed in its activity phase leaves: its staging collections and its lock.
    for (const name of ['products', 'activity']) await database.db.collection(stagingName('deadbeef0000', name)).insertOne({ leftover: true });
    await database.db.collection('products_staging').insertOne({ leftover: true }); // the name of an earlier datadragon
    const { spawnSync } = await import('node:child_process');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const os = await import('node:os');
    await database.db.collection('datadragon_jobs').insertOne({
      _id: 'job' as never,
      kind: 'seed',
      job: 'dead',
      token: 'dead',
      pid: deadPid,
      host: os.hostname(),
      startedAt: new Date(),
      heartbeatAt: new Date(),
    });
    const started = Date.now();
    await crunchSpending(database);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await stagingLeft(database.db)).toEqual([]);
    expect((await database.db.listCollections({ name: 'products_staging' }).toArray()).length).toBe(0);
    expect(without(await databaseHash(database.db), 'customer_spending', 'datadragon_state')).toEqual(without(before, 'customer_spending', 'datadragon_state'));
  });
});

function without(hash: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(hash).filter(([name]) => !names.includes(name)));
}
