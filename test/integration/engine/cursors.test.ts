/**
 * find / getMore / killCursors: first-batch defaults, batchSize, limit, skip, sort,
 * projection, singleBatch, cursor ids as Longs, killed cursors, and cursors shared across
 * clients. Raw `db.command` is used where the reply's shape is the point.
 */
import { Long, MongoClient, MongoServerError, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, onEmbeddedEngine, openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { type AnyDoc, RAW } from './support.js';

const N = 250;
let t: TestDatabase;
let items: Collection<AnyDoc>;

beforeAll(async () => {
  t = await openTestDatabase('cursors');
  items = t.db.collection<AnyDoc>('items');
  await items.insertMany(Array.from({ length: N }, (_, i) => ({ _id: i, n: i, tag: i % 3, name: `item-${i}` })) as Document[]);
});

afterAll(async () => {
  await t.close();
});

function expectLong(id: unknown, zero: boolean): void {
  expect(Long.isLong(id), `cursor id ${String(id)} is a Long`).toBe(true);
  expect((id as Long).isZero()).toBe(zero);
}

/** Runs getMore until the cursor is exhausted; returns every batch. */
async function drain(id: Long, collection: string, batchSize?: number): Promise<Document[][]> {
  const batches: Document[][] = [];
  let cursorId = id;
  while (!cursorId.isZero()) {
    const reply = await t.db.command({ getMore: cursorId, collection, ...(batchSize ? { batchSize } : {}) }, RAW);
    expect(reply.cursor.ns).toBe(`${t.name}.${collection}`);
    expectLong(reply.cursor.id, reply.cursor.id.isZero());
    batches.push(reply.cursor.nextBatch);
    cursorId = reply.cursor.id;
  }
  return batches;
}

describe('find batching', () => {
  it('returns 101 documents in the first batch by default and the rest on getMore', async () => {
    const reply = await t.db.command({ find: 'items', filter: {} }, RAW);
    expect(reply.ok).toBe(1);
    expect(reply.cursor.ns).toBe(`${t.name}.items`);
    expect(reply.cursor.firstBatch).toHaveLength(101);
    expectLong(reply.cursor.id, false);
    const rest = await drain(reply.cursor.id, 'items');
    expect(rest.flat()).toHaveLength(N - 101);
    const ids = [...reply.cursor.firstBatch, ...rest.flat()].map((d) => d._id);
    expect(new Set(ids).size).toBe(N);
  });

  it('honours batchSize on find and on every getMore', async () => {
    const reply = await t.db.command({ find: 'items', filter: {}, batchSize: 60 }, RAW);
    expect(reply.cursor.firstBatch).toHaveLength(60);
    const batches = await drain(reply.cursor.id, 'items', 60);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(60);
    expect(batches.slice(0, 3).map((b) => b.length)).toEqual([60, 60, 60]);
    expect(60 + batches.flat().length).toBe(N);
  });

  it('batchSize 0 opens a cursor with an empty first batch', async () => {
    const reply = await t.db.command({ find: 'items', filter: { tag: 0 }, batchSize: 0 }, RAW);
    expect(reply.cursor.firstBatch).toEqual([]);
    expectLong(reply.cursor.id, false);
    const rest = await drain(reply.cursor.id, 'items');
    expect(rest.flat()).toHaveLength(Math.ceil(N / 3));
  });

  it('limit caps the total over several batches and closes the cursor', async () => {
    const reply = await t.db.command({ find: 'items', filter: {}, limit: 150 }, RAW);
    expect(reply.cursor.firstBatch).toHaveLength(101);
    const rest = await drain(reply.cursor.id, 'items');
    expect(rest.flat()).toHaveLength(49);
    expect(await items.find({}).limit(150).toArray()).toHaveLength(150);
  });

  it('a limit within the first batch closes the cursor at once', async () => {
    const reply = await t.db.command({ find: 'items', filter: {}, limit: 10 }, RAW);
    expect(reply.cursor.firstBatch).toHaveLength(10);
    expectLong(reply.cursor.id, true);
  });

  it('sorts, skips, limits and projects', async () => {
    const docs = await items.find({ tag: 1 }, { sort: { n: -1 }, skip: 2, limit: 3, projection: { _id: 0, n: 1 } }).toArray();
    // tag 1: n = 1, 4, ..., 247 (the largest below 250); skip the two largest.
    expect(docs).toEqual([{ n: 241 }, { n: 238 }, { n: 235 }]);
    const named = await items.find({ n: { $lt: 3 } }, { sort: { n: 1 }, projection: { name: 1 } }).toArray();
    expect(named).toEqual([
      { _id: 0, name: 'item-0' },
      { _id: 1, name: 'item-1' },
      { _id: 2, name: 'item-2' },
    ]);
    const excluded = await items.findOne({ _id: 5 }, { projection: { name: 0, tag: 0 } });
    expect(excluded).toEqual({ _id: 5, n: 5 });
  });

  it('a sorted cursor keeps its order across getMore batches', async () => {
    const reply = await t.db.command({ find: 'items', filter: {}, sort: { tag: 1, n: -1 }, batchSize: 40 }, RAW);
    const all = [...reply.cursor.firstBatch, ...(await drain(reply.cursor.id, 'items', 40)).flat()];
    const expected = Array.from({ length: N }, (_, i) => i).sort((a, b) => (a % 3) - (b % 3) || b - a);
    expect(all.map((d) => d.n)).toEqual(expected);
  });

  it('singleBatch (findOne) returns one batch and a closed cursor', async () => {
    const reply = await t.db.command({ find: 'items', filter: { tag: 2 }, limit: 1, singleBatch: true }, RAW);
    expect(reply.cursor.firstBatch).toHaveLength(1);
    expectLong(reply.cursor.id, true);
    const many = await t.db.command({ find: 'items', filter: {}, batchSize: 10, singleBatch: true }, RAW);
    expect(many.cursor.firstBatch).toHaveLength(10);
    expectLong(many.cursor.id, true);
    expect(await items.findOne({ tag: 2 }, { sort: { n: 1 } })).toMatchObject({ n: 2 });
  });

  it('a missing collection gives an empty batch and a closed cursor', async () => {
    const reply = await t.db.command({ find: 'nowhere', filter: {} }, RAW);
    expect(reply.cursor.firstBatch).toEqual([]);
    expectLong(reply.cursor.id, true);
  });

  it('the driver iterates a small-batch cursor to the end', async () => {
    let count = 0;
    for await (const doc of items.find({}, { batchSize: 7 })) {
      expect(doc.name).toBe(`item-${doc.n}`);
      count++;
    }
    expect(count).toBe(N);
  });
});

describe('killCursors and CursorNotFound', () => {
  it('a killed cursor answers getMore with 43 CursorNotFound', async () => {
    const reply = await t.db.command({ find: 'items', filter: {}, batchSize: 5 }, RAW);
    const id = reply.cursor.id as Long;
    const killed = await t.db.command({ killCursors: 'items', cursors: [id] }, RAW);
    expect(killed.ok).toBe(1);
    expect(killed.cursorsKilled.map(String)).toEqual([id.toString()]);
    expect(killed.cursorsNotFound).toEqual([]);
    const error = await t.db.command({ getMore: id, collection: 'items' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 43, codeName: 'CursorNotFound' });
  });

  it('reports ids it does not know as cursorsNotFound', async () => {
    const unknown = Long.fromString('123456789012345');
    const reply = await t.db.command({ killCursors: 'items', cursors: [unknown] }, RAW);
    expect(reply.ok).toBe(1);
    expect(reply.cursorsNotFound.map(String)).toEqual([unknown.toString()]);
    expect(reply.cursorsKilled).toEqual([]);
  });

  it('an exhausted cursor is gone', async () => {
    const reply = await t.db.command({ find: 'items', filter: { n: { $lt: 20 } }, batchSize: 15 }, RAW);
    const id = reply.cursor.id as Long;
    await drain(id, 'items');
    await expect(t.db.command({ getMore: id, collection: 'items' })).rejects.toMatchObject({ code: 43 });
  });

  it('closing a driver cursor early kills it on the server', async () => {
    const cursor = items.find({}, { batchSize: 3 });
    await cursor.next();
    const id = cursor.id!;
    await cursor.close();
    await expect(t.db.command({ getMore: id, collection: 'items' })).rejects.toMatchObject({ code: 43 });
  });

  it('getMore on another namespace than the cursor is refused', async () => {
    const reply = await t.db.command({ find: 'items', filter: {}, batchSize: 2 }, RAW);
    const error = await t.db.command({ getMore: reply.cursor.id, collection: 'other' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    await t.db.command({ killCursors: 'items', cursors: [reply.cursor.id] });
  });
});

describe('cursors are global to the server', () => {
  // mongod ties a cursor to the logical session that opened it, so the other client sends its
  // getMore in that same session (what a pooled connection of one client does); the point is
  // that the getMore arrives on another connection of another MongoClient.
  it('a cursor opened by one client is continued and killed by another', async () => {
    const other = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 5000, maxPoolSize: 1 });
    const mine = t.client.startSession({ causalConsistency: false });
    const theirs = other.startSession({ causalConsistency: false });
    try {
      theirs.serverSession.id = mine.serverSession.id;
      const [helloA, helloB] = await Promise.all([t.db.command({ hello: 1 }), other.db('admin').command({ hello: 1 })]);
      expect(helloA.connectionId).not.toBe(helloB.connectionId);

      const first = await t.db.command({ find: 'items', filter: { tag: 0 }, batchSize: 10 }, { ...RAW, session: mine });
      const id = first.cursor.id as Long;
      expectLong(id, false);
      const more = await other.db(t.name).command({ getMore: id, collection: 'items', batchSize: 10 }, { ...RAW, session: theirs });
      expect(more.cursor.nextBatch).toHaveLength(10);
      expect(more.cursor.id.toString()).toBe(id.toString());
      expect(more.cursor.nextBatch[0].n).toBe(first.cursor.firstBatch[9].n + 3);

      const killed = await other.db(t.name).command({ killCursors: 'items', cursors: [id] }, { ...RAW, session: theirs });
      expect(killed.cursorsKilled.map(String)).toEqual([id.toString()]);
      await expect(t.db.command({ getMore: id, collection: 'items' }, { session: mine })).rejects.toMatchObject({ code: 43 });
    } finally {
      await theirs.endSession();
      await mine.endSession();
      await other.close();
    }
  });
});

// Idle expiry needs an engine with a short timeout; a real server's is 10 minutes.
describe.runIf(onEmbeddedEngine())('idle cursors expire (engine only: its timeout is configurable)', () => {
  it('a cursor left idle past the timeout is gone', async () => {
    const { startEngine } = await import('../../../src/db/embedded/in-process.js');
    const engine = await startEngine({ cursorTimeoutMs: 300 });
    const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      const coll = client.db('expiry').collection('c');
      await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
      const reply = await client.db('expiry').command({ find: 'c', filter: {}, batchSize: 2 }, RAW);
      await new Promise((resolve) => setTimeout(resolve, 1300));
      await expect(client.db('expiry').command({ getMore: reply.cursor.id, collection: 'c' })).rejects.toMatchObject({ code: 43 });
    } finally {
      await client.close();
      await engine.stop();
    }
  });
});
