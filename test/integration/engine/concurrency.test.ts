/**
 * 50 MongoClients writing at once (insertMany, ordered and unordered, and insertOne, mixed)
 * with nothing lost or doubled, while others read.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import type { AnyDoc } from './support.js';

const CLIENTS = 50;
const PER_CLIENT = 2000;
/** Of each client's documents, this many go in one insertOne at a time; the rest by insertMany. */
const SINGLE = 100;
const BATCH = 380;

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase('concurrency');
});

afterAll(async () => {
  await t.close();
});

async function writer(client: MongoClient, c: number): Promise<void> {
  const coll = client.db(t.name).collection<AnyDoc>('writes');
  const docs = Array.from({ length: PER_CLIENT }, (_, i) => ({ _id: `${c}-${i}`, client: c, i }));
  const singles = docs.splice(0, SINGLE);
  const batches: (typeof docs)[] = [];
  while (docs.length) batches.push(docs.splice(0, BATCH));
  // Interleave the two kinds of writes so that both are in flight from every client at once.
  await Promise.all([
    (async () => {
      for (const doc of singles) await coll.insertOne(doc);
    })(),
    (async () => {
      for (const [n, batch] of batches.entries()) await coll.insertMany(batch, { ordered: n % 2 === 0 });
    })(),
  ]);
}

describe('50 concurrent clients', () => {
  it(`${CLIENTS} × ${PER_CLIENT} documents written at once, none lost`, async () => {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 10_000 })));
    try {
      // A reader alongside: the count only grows, and point reads see whole documents.
      const reader = clients[0]!.db(t.name).collection<AnyDoc>('writes');
      let reads = 0;
      let writing = true;
      const reading = (async () => {
        let last = 0;
        while (writing) {
          const count = await reader.estimatedDocumentCount();
          expect(count).toBeGreaterThanOrEqual(last);
          last = count;
          const doc = await reader.findOne({ _id: `${reads % CLIENTS}-${SINGLE}` });
          if (doc) expect(doc).toEqual({ _id: `${reads % CLIENTS}-${SINGLE}`, client: reads % CLIENTS, i: SINGLE });
          reads++;
        }
      })();
      await Promise.all(clients.map((client, c) => writer(client, c)));
      writing = false;
      await reading;
      expect(reads).toBeGreaterThan(0);

      const coll = t.db.collection<AnyDoc>('writes');
      expect(await coll.countDocuments()).toBe(CLIENTS * PER_CLIENT);
      expect(await coll.estimatedDocumentCount()).toBe(CLIENTS * PER_CLIENT);
      const ids = await coll.distinct('_id');
      expect(ids).toHaveLength(CLIENTS * PER_CLIENT);
      const perClient = await coll.aggregate([{ $group: { _id: '$client', n: { $sum: 1 }, top: { $max: '$i' } } }, { $sort: { _id: 1 } }]).toArray();
      expect(perClient).toEqual(Array.from({ length: CLIENTS }, (_, c) => ({ _id: c, n: PER_CLIENT, top: PER_CLIENT - 1 })));
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('concurrent updates of one document are all applied ($inc from every client)', async () => {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 10_000 })));
    try {
      const counter = t.db.collection<AnyDoc>('counter');
      await counter.insertOne({ _id: 'c', n: 0 });
      await Promise.all(
        clients.map(async (client) => {
          const coll = client.db(t.name).collection<AnyDoc>('counter');
          for (let k = 0; k < 20; k++) await coll.updateOne({ _id: 'c' }, { $inc: { n: 1 } });
        }),
      );
      expect(await counter.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: CLIENTS * 20 });
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
