/**
 * The swap that publishes a job's data, with a failure injected at every step of it (test
 * hooks of commitSwap), for every kind of job, in two ways:
 *   - a failure: the job goes on with its own cleanup (it drops its staging before the
 *     commit point, finishes the swap after it);
 *   - a kill: nothing of the job runs any more (no cleanup, no recovery); the next job, once
 *     it holds the lock, finishes the swap or drops the staging.
 * (The seed's kills run its own swap steps on staging collections copied from a seeded
 * database, rather than a whole seed with forked workers per case.)
 * Either way, a hash of every collection (documents, indexes; the state documents included)
 * proves the database ends exactly as it was before the job, or exactly as the job wanted it.
 */
import { type Db, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import {
  commitSwap,
  crunchSpending,
  databaseHost,
  type JobHost,
  pendingSwap,
  resetDatabase,
  seedDatabase,
  seedJob,
  STAGING_PREFIX,
  stagingName,
  type SwapHooks,
} from '../../src/jobs/index.js';
import { parseSeedOptions } from '../../src/seeding/index.js';
import { databaseHash, openServiceDatabase } from '../helpers/seeded.js';

type Mode = 'failure' | 'kill';
/** 'manifest': before the commit point; a number: before that step (the step count: before the manifest is deleted). */
type Point = 'manifest' | number;

class InjectedFailure extends Error {
  override name = 'InjectedFailure';
}

/** A host that fails the swap at `point`; in 'kill' mode nothing of the job's cleanup runs after that. */
function injectingHost(db: Db, point: Point, mode: Mode): JobHost & { fired(): boolean } {
  const real = databaseHost(db);
  let dead = false;
  const die = (): never => {
    dead = true;
    throw new InjectedFailure(`injected at ${point}`);
  };
  const hooks: SwapHooks = {
    beforeManifest: () => (point === 'manifest' ? die() : undefined),
    beforeStep: (index) => (index === point ? die() : undefined),
  };
  return {
    ...real,
    fired: () => dead,
    commit: (jobId, steps) => commitSwap(db, jobId, steps, hooks),
    recover: async () => {
      if (dead && mode === 'kill') throw new Error('the process was killed');
      return real.recover();
    },
    discard: async (jobId) => {
      if (!(dead && mode === 'kill')) await real.discard(jobId);
    },
  };
}

/** What the next job does first (here one that is then refused: it changes nothing else). */
async function nextJob(database: Database): Promise<void> {
  await expect(crunchSpending(database, { year: 1999 })).rejects.toThrow(/no orders in 1999|has no (users|orders)/);
}

async function stagingLeft(db: Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((name) => name.startsWith(STAGING_PREFIX));
}

const without = (hash: Record<string, string>, ...names: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(hash).filter(([name]) => !names.includes(name)));

/** Every injection point of a swap of `steps` steps. */
const points = (steps: number): Point[] => ['manifest', ...Array.from({ length: steps + 1 }, (_, i) => i)];

const where = (point: Point, steps: number): string => (point === 'manifest' ? 'the commit point' : point === steps ? 'the end' : `step ${point}`);

/**
 * Runs a job through a host that fails its swap at `point`, as `mode` says; after a kill, the
 * next job. Checks that no swap is left pending and nothing staged, and returns the hashes.
 */
async function swapFailingAt(database: Database, point: Point, mode: Mode, job: (host: JobHost) => Promise<unknown>): Promise<Record<string, string>> {
  const host = injectingHost(database.db, point, mode);
  const run = job(host);
  // Before the commit point the job fails; after it, a failed job finishes its swap itself, a killed one cannot.
  if (point === 'manifest' || mode === 'kill') await expect(run).rejects.toThrow(/injected at/);
  else await run;
  expect(host.fired()).toBe(true);
  if (mode === 'kill') await nextJob(database);
  expect(await pendingSwap(database.db)).toBeNull();
  expect(await stagingLeft(database.db)).toEqual([]);
  return databaseHash(database.db);
}

const A = { users: 60, seed: 1, products: 15, workers: 1, year: 2025 };
const B = { users: 45, seed: 2, products: 12, workers: 1, year: 2025 };
/** users, products, carts, orders replaced; activity dropped; the dataset recorded. */
const SEED_STEPS = 6;

/** Copies a collection, documents and indexes, to another name (of any database). */
async function copyCollection(from: Db, name: string, to: Db, toName: string): Promise<void> {
  await to
    .collection(toName)
    .drop()
    .catch(() => undefined);
  await from
    .collection(name)
    .aggregate([{ $match: {} }, { $out: { db: to.databaseName, coll: toName } }])
    .toArray();
  const indexes = (await from.collection(name).indexes()).filter((index) => index.name !== '_id_');
  for (const { key, name: indexName, unique } of indexes) await to.collection(toName).createIndex(key, { name: indexName!, ...(unique ? { unique } : {}) });
}

async function copyDatabase(from: Db, to: Db): Promise<void> {
  await to.dropDatabase();
  for (const { name } of await from.listCollections({}, { nameOnly: true }).toArray())
    if (name !== 'datadragon_jobs') await copyCollection(from, name, to, name);
}

describe('a seed whose swap fails or is killed at any step', () => {
  let database: Database;
  let previous: Database;
  let next: Database;
  let expectedB: Record<string, string>;

  beforeAll(async () => {
    [database, previous, next] = await Promise.all([openServiceDatabase('swap_seed'), openServiceDatabase('swap_seed_a'), openServiceDatabase('swap_seed_b')]);
    await seedDatabase(previous, parseSeedOptions(A));
    await seedDatabase(next, parseSeedOptions(B));
    expectedB = without(await databaseHash(next.db), 'datadragon_state');
  });
  afterAll(async () => {
    for (const db of [database, previous, next]) {
      await db.db.dropDatabase();
      await db.close();
    }
  });

  // The seed job's own swap, with its staging collections filled with B: a kill at each step, then the next job.
  for (const point of points(SEED_STEPS)) {
    it(`killed at ${where(point, SEED_STEPS)}: the next job leaves ${point === 'manifest' ? 'the previous dataset, exactly' : 'the new dataset, exactly'}`, async () => {
      await copyDatabase(previous.db, database.db);
      const before = await databaseHash(database.db);
      const jobId = `killed-${String(point)}`;
      const run = await seedJob.prepare(parseSeedOptions(B), {
        database,
        jobId,
        staging: (name) => stagingName(jobId, name),
        holdsDataInMemory: false,
        detachLock: () => undefined,
      });
      for (const name of ['users', 'products', 'carts', 'orders']) await copyCollection(next.db, name, database.db, stagingName(jobId, name));
      const steps = run.commit();
      expect(steps).toHaveLength(SEED_STEPS);
      await expect(
        commitSwap(database.db, jobId, steps, { beforeManifest: () => fail(point === 'manifest'), beforeStep: (index) => fail(index === point) }),
      ).rejects.toThrow(/injected/);
      expect((await pendingSwap(database.db)) !== null).toBe(point !== 'manifest');
      await nextJob(database);
      expect(await pendingSwap(database.db)).toBeNull();
      expect(await stagingLeft(database.db)).toEqual([]);
      const after = await databaseHash(database.db);
      if (point === 'manifest') expect(after).toEqual(before);
      else {
        expect(without(after, 'datadragon_state')).toEqual(expectedB);
        const dataset = await database.db.collection('datadragon_state').findOne({ _id: 'dataset' as never });
        expect(dataset).toMatchObject({ id: jobId, origin: 'seed', seed: { seed: B.seed, users: B.users } });
      }
    });
  }

  // The whole seed job, failing in its swap: before the commit point it drops its staging, after it finishes the swap.
  for (const point of ['manifest', 2] as const) {
    it(`a seed job failing at ${point === 'manifest' ? 'the commit point leaves the previous dataset' : `step ${point} finishes the swap itself`}, exactly`, async () => {
      await copyDatabase(previous.db, database.db);
      const before = await databaseHash(database.db);
      const after = await swapFailingAt(database, point, 'failure', (host) => seedDatabase(database, parseSeedOptions(B), { host }));
      if (point === 'manifest') expect(after).toEqual(before);
      else expect(without(after, 'datadragon_state')).toEqual(expectedB);
    });
  }
});

function fail(when: boolean): void {
  if (when) throw new InjectedFailure('injected');
}

describe('a crunch whose swap fails or is killed at any step', () => {
  let database: Database;
  let expected: { full: string; incremental: string };
  const since = new Date('2025-12-20T00:00:00Z');

  /** Orders added after the first crunch: new carts and orders of three customers, in late December. */
  async function addOrders(): Promise<void> {
    const users = await database.db.collection('users').find().sort({ customer_id: 1 }).limit(3).toArray();
    const product = (await database.db.collection('products').findOne())!;
    for (const [i, u] of users.entries()) {
      const cart = {
        customer_id: u.customer_id as string,
        products: [{ product_id: product._id.toHexString(), price: product.price as number, quantity: i + 1 }],
        amount: (product.price as number) * (i + 1),
      };
      const { insertedId } = await database.db.collection('carts').insertOne(cart);
      await database.db
        .collection('orders')
        .insertOne({ customer_id: u.customer_id, cart_id: insertedId.toHexString(), created_at: new Date('2025-12-24T10:00:00Z') });
    }
  }

  async function removeAddedOrders(): Promise<void> {
    const added = await database.db
      .collection('orders')
      .find({ created_at: new Date('2025-12-24T10:00:00Z') })
      .toArray();
    await database.db.collection('orders').deleteMany({ _id: { $in: added.map((o) => o._id) } });
    await database.db.collection('carts').deleteMany({ _id: { $in: added.map((o) => new ObjectId(o.cart_id as string)) } });
  }

  beforeAll(async () => {
    database = await openServiceDatabase('swap_crunch');
    await seedDatabase(database, parseSeedOptions(A));
    await addOrders();
    await crunchSpending(database, { year: 2025 });
    const full = (await databaseHash(database.db)).customer_spending!;
    // an incremental crunch must give what a full one does
    expected = { full, incremental: full };
    await removeAddedOrders();
  });
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });

  for (const kind of ['full', 'incremental'] as const) {
    for (const mode of ['failure', 'kill'] as const) {
      // replace (full) or merge (incremental) customer_spending, then the spending state
      for (const point of points(2)) {
        it(`${kind}, ${mode} at ${where(point, 2)}`, async () => {
          await removeAddedOrders();
          await crunchSpending(database, { year: 2025 });
          await addOrders();
          const before = await databaseHash(database.db);
          const after = await swapFailingAt(database, point, mode, (host) =>
            crunchSpending(database, { ...(kind === 'incremental' ? { since } : { year: 2025 }), host }),
          );
          if (point === 'manifest') expect(after).toEqual(before);
          else {
            expect(after.customer_spending).toBe(expected[kind]);
            expect(without(after, 'customer_spending', 'datadragon_state')).toEqual(without(before, 'customer_spending', 'datadragon_state'));
            const state = await database.db.collection('datadragon_state').findOne({ _id: 'customer_spending' as never });
            expect(state).toMatchObject({ year: 2025, mode: kind });
          }
        });
      }
    }
  }
});

describe('a reset whose swap fails or is killed at any step', () => {
  let database: Database;
  let previous: Database;
  beforeAll(async () => {
    [database, previous] = await Promise.all([openServiceDatabase('swap_reset'), openServiceDatabase('swap_reset_a')]);
    await seedDatabase(previous, parseSeedOptions(A));
    await crunchSpending(previous);
  });
  afterAll(async () => {
    for (const db of [database, previous]) {
      await db.db.dropDatabase();
      await db.close();
    }
  });

  // users, products, carts, orders, customer_spending replaced by empty copies; the dataset recorded; the spending state removed
  const RESET_STEPS = 7;
  for (const mode of ['failure', 'kill'] as const) {
    for (const point of points(RESET_STEPS)) {
      it(`${mode} at ${where(point, RESET_STEPS)}`, async () => {
        await copyDatabase(previous.db, database.db);
        const before = await databaseHash(database.db);
        const after = await swapFailingAt(database, point, mode, (host) => resetDatabase(database, { host }));
        if (point === 'manifest') expect(after).toEqual(before);
        else {
          for (const name of ['users', 'products', 'carts', 'orders', 'customer_spending']) {
            expect(await database.db.collection(name).countDocuments(), name).toBe(0);
            // the same indexes as before
            expect(after[name]!.split(' ')[1], name).toBe(before[name]!.split(' ')[1]);
          }
          expect(await database.db.collection('datadragon_state').find().toArray()).toEqual([expect.objectContaining({ _id: 'dataset', origin: 'reset' })]);
        }
      });
    }
  }
});
