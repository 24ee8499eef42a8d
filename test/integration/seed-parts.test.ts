/**
 * A seed written in parts (concurrent part jobs against one database) and finished gives the
 * very collections one seed gives; the finish refuses while parts are missing or still being
 * written; the split with $merge gives the documents the $out split gives; a --shard on a
 * server that is no mongos is refused with the server's own answer.
 */
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { acquireJobLock, JobConflictError, resetDatabase, seedDatabase } from '../../src/jobs/index.js';
import {
  parseSeedOptions,
  partCollection,
  PARTS_COLLECTION,
  planRun,
  seedFingerprint,
  ShardingRefusedError,
  type SeedOptionsInput,
  type SeedPlan,
} from '../../src/seeding/index.js';
import { collectionHash, openServiceDatabase } from '../helpers/seeded.js';

const OPTIONS: SeedOptionsInput = { users: 4000, maxOrders: 4, products: 60, seed: 5150, year: 2025, workers: 1 };
const DATASET = ['users', 'products', 'carts', 'orders'] as const;

async function datasetHashes(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of DATASET) {
    const indexes = (await db.collection(name).indexes()).map((i) => `${i.name}${i.unique ? '!' : ''}`).sort();
    out[name] = `${await collectionHash(db, name)} ${indexes.join(',')}`;
  }
  return out;
}

const plan = (flags: Parameters<typeof planRun>[1], options: SeedOptionsInput = OPTIONS): SeedPlan => planRun(parseSeedOptions(options), flags);

async function collections(db: Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
}

describe('a seed in parts', () => {
  let whole: Database;
  let expected: Record<string, string>;

  beforeAll(async () => {
    whole = await openServiceDatabase('parts_whole');
    await seedDatabase(whole, plan({}));
    expected = await datasetHashes(whole.db);
  });
  afterAll(async () => {
    await whole.db.dropDatabase();
    await whole.close();
  });

  it('written by two concurrent part jobs and finished, is byte-identical to one seed (ObjectIds included)', async () => {
    const database = await openServiceDatabase('parts_two');
    try {
      const summaries = await Promise.all([seedDatabase(database, plan({ part: '1/2' })), seedDatabase(database, plan({ part: '2/2' }))]);
      expect(summaries.map((s) => s.part?.chunks)).toEqual([
        { from: 0, to: 2 },
        { from: 2, to: 4 },
      ]);
      expect(summaries.reduce((n, s) => n + s.counts.users, 0)).toBe(4000);
      // Parts touch no dataset collection.
      expect(await database.db.collection('users').estimatedDocumentCount()).toBe(0);
      const finished = await seedDatabase(database, plan({ finish: true }));
      expect(finished.parts).toBe(2);
      expect(finished.counts.users).toBe(4000);
      expect(await datasetHashes(database.db)).toEqual(expected);
      // The parts are consumed: their collections dropped, their records deleted.
      const left = await collections(database.db);
      expect(left.filter((name) => name.startsWith('datadragon_part_'))).toEqual([]);
      expect(await database.db.collection(PARTS_COLLECTION).countDocuments()).toBe(0);
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });

  it('refuses to finish while a part is missing, naming it, and keeps the written parts', async () => {
    const database = await openServiceDatabase('parts_missing');
    try {
      await seedDatabase(database, plan({ part: '1/4' }));
      await seedDatabase(database, plan({ part: '3/4' }));
      await expect(seedDatabase(database, plan({ finish: true }))).rejects.toThrow(/parts 2\/4 and 4\/4 are missing \(written: 1\/4 and 3\/4\)/);
      // Other options (another seed) are never mixed in.
      await expect(seedDatabase(database, plan({ finish: true }, { ...OPTIONS, seed: 1 }))).rejects.toThrow(
        /no part of it has been written; the parts written are of other options \(seed 5150/,
      );
      expect(await database.db.collection('users').estimatedDocumentCount()).toBe(0);
      expect(await database.db.collection(PARTS_COLLECTION).countDocuments()).toBe(2);
      const fingerprint = seedFingerprint(plan({}));
      expect(await database.db.collection(partCollection(fingerprint, { index: 3, count: 4 })).countDocuments()).toBe(1000);
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });

  it('are removed by a reset, with their records, so a later finish finds nothing to put together', async () => {
    const database = await openServiceDatabase('parts_reset');
    try {
      await seedDatabase(database, plan({ part: '1/2' }));
      const fingerprint = seedFingerprint(plan({}));
      const part = partCollection(fingerprint, { index: 1, count: 2 });
      const result = await resetDatabase(database);
      expect(result.deleted).toMatchObject({ [part]: 2000, [PARTS_COLLECTION]: 1 });
      const left = await collections(database.db);
      expect(left.filter((name) => name.startsWith('datadragon_part'))).toEqual([]);
      await expect(seedDatabase(database, plan({ part: '2/2' })).then(() => seedDatabase(database, plan({ finish: true })))).rejects.toThrow(
        /part 1\/2 is missing/,
      );
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });

  it('refuses to finish while a part is being written, and a part while another job holds the database', async () => {
    const database = await openServiceDatabase('parts_locks');
    try {
      const fingerprint = seedFingerprint(plan({}));
      const partLock = await acquireJobLock(database.db, 'seed', 'a-part', { id: `part:${fingerprint}:2/2` });
      await expect(seedDatabase(database, plan({ finish: true }))).rejects.toThrow(/part 2\/2 \(pid \d+ on .*\) is still being written; wait for it/);
      await partLock.release();
      const crunch = await acquireJobLock(database.db, 'crunch', 'a-crunch');
      await expect(seedDatabase(database, plan({ part: '1/2' }))).rejects.toThrow(JobConflictError);
      await crunch.release();
      // A part is refused by its own lock while another process writes the same part.
      const same = await acquireJobLock(database.db, 'seed', 'same-part', { id: `part:${fingerprint}:1/2` });
      await expect(seedDatabase(database, plan({ part: '1/2' }))).rejects.toThrow(JobConflictError);
      await same.release();
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });

  it('refuses to finish a part whose activity lost documents since it was written', async () => {
    const database = await openServiceDatabase('parts_lost');
    try {
      await seedDatabase(database, plan({ part: '1/1' }, { ...OPTIONS, users: 1500 }));
      const fingerprint = seedFingerprint(plan({}, { ...OPTIONS, users: 1500 }));
      await database.db.collection(partCollection(fingerprint, { index: 1, count: 1 })).deleteMany({}, {});
      await expect(seedDatabase(database, plan({ finish: true }, { ...OPTIONS, users: 1500 }))).rejects.toThrow(
        /part 1\/1's activity .* holds 0 of the 1,500 users it wrote/,
      );
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });

  it('splits with $merge into the same documents as with $out', async () => {
    const database = await openServiceDatabase('parts_merge');
    try {
      await seedDatabase(database, { ...plan({}), mergeSplit: true });
      expect(await datasetHashes(database.db)).toEqual(expected);
      // And a finish of parts with $merge (one aggregation per part).
      await seedDatabase(database, plan({ part: '1/2' }));
      await seedDatabase(database, plan({ part: '2/2' }));
      await seedDatabase(database, { ...plan({ finish: true }), mergeSplit: true });
      expect(await datasetHashes(database.db)).toEqual(expected);
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });

  it('keeps the activity of a finish with keepActivity, the same as a whole seed keeps', async () => {
    const small = { ...OPTIONS, users: 2500, keepActivity: true };
    const one = await openServiceDatabase('parts_keep_one');
    const two = await openServiceDatabase('parts_keep_two');
    try {
      await seedDatabase(one, plan({}, small));
      await Promise.all([seedDatabase(two, plan({ part: '1/2' }, small)), seedDatabase(two, plan({ part: '2/2' }, small))]);
      await seedDatabase(two, plan({ finish: true }, small));
      expect(await two.db.collection('activity').countDocuments()).toBe(2500);
      expect(await collectionHash(two.db, 'activity')).toBe(await collectionHash(one.db, 'activity'));
    } finally {
      for (const database of [one, two]) {
        await database.db.dropDatabase();
        await database.close();
      }
    }
  });

  it("refuses --shard on a server that is no mongos with the server's answer, before writing anything", async () => {
    const database = await openServiceDatabase('parts_shard');
    try {
      const refusal = seedDatabase(database, plan({ shard: true }, { ...OPTIONS, users: 100 }));
      await expect(refusal).rejects.toThrow(ShardingRefusedError);
      await expect(refusal).rejects.toThrow(
        /--shard: the server refused to shard users \(CommandNotFound, code 59: .*shardCollection.*\): it is not the mongos of a sharded cluster/,
      );
      expect((await collections(database.db)).filter((name) => !name.startsWith('datadragon_jobs'))).toEqual([]);
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });
});
