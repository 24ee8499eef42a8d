/**
 * createIndexes / listIndexes / dropIndexes, and unique indexes: ordered and unordered
 * inserts with duplicates (counts, writeErrors with keyPattern/keyValue), _id duplicates,
 * building a unique index over duplicates, dotted, array, compound, sparse and partial keys.
 */
import { Double, Long, MongoBulkWriteError, MongoServerError, type Collection, type WriteError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { type AnyDoc, bare, RAW, update } from './support.js';

let t: TestDatabase;
let seq = 0;
function fresh(prefix = 'i'): Collection<AnyDoc> {
  return t.db.collection<AnyDoc>(`${prefix}${++seq}`);
}

beforeAll(async () => {
  t = await openTestDatabase('indexes');
});

afterAll(async () => {
  await t.close();
});

describe('createIndexes / listIndexes / dropIndexes', () => {
  it('creates indexes (and the collection), lists them, and is idempotent', async () => {
    const c = fresh();
    const created = bare(await t.db.command({ createIndexes: c.collectionName, indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] }));
    expect(created).toMatchObject({ numIndexesBefore: 1, numIndexesAfter: 2, createdCollectionAutomatically: true, ok: 1 });
    expect(await c.createIndex({ 'profile.age': -1, name: 1 })).toBe('profile.age_-1_name_1');
    const again = bare(await t.db.command({ createIndexes: c.collectionName, indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }] }));
    expect(again).toMatchObject({ numIndexesBefore: 3, numIndexesAfter: 3, ok: 1 });

    const listed = await t.db.command({ listIndexes: c.collectionName }, RAW);
    expect(listed.cursor.ns).toBe(`${t.name}.${c.collectionName}`);
    expect(listed.cursor.id.isZero()).toBe(true);
    expect(listed.cursor.firstBatch).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
      { v: 2, key: { 'profile.age': -1, name: 1 }, name: 'profile.age_-1_name_1' },
    ]);
    expect(await c.indexExists('email_1')).toBe(true);
  });

  it('listIndexes on a missing collection is 26 NamespaceNotFound, with its codeName', async () => {
    const error = await t.db.command({ listIndexes: 'no_such_collection' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 26, codeName: 'NamespaceNotFound' });
  });

  it('an index with the same name and other keys is refused', async () => {
    const c = fresh();
    await c.createIndex({ a: 1 }, { name: 'mine' });
    await expect(c.createIndex({ b: 1 }, { name: 'mine' })).rejects.toBeInstanceOf(MongoServerError);
  });

  it('drops indexes by name, by key and all at once; never _id_', async () => {
    const c = fresh();
    await c.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    expect(bare(await t.db.command({ dropIndexes: c.collectionName, index: 'a_1' }))).toEqual({ nIndexesWas: 4, ok: 1 });
    await t.db.command({ dropIndexes: c.collectionName, index: { b: 1 } });
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'c_1']);
    await expect(c.dropIndex('nope_1')).rejects.toMatchObject({ code: 27, codeName: 'IndexNotFound' });
    await expect(c.dropIndex('_id_')).rejects.toMatchObject({ code: 72, codeName: 'InvalidOptions' });
    await c.createIndex({ d: 1 });
    expect(await t.db.command({ dropIndexes: c.collectionName, index: '*' })).toMatchObject({ nIndexesWas: 3, ok: 1 });
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('dropIndexes on a missing collection is 26 NamespaceNotFound', async () => {
    await expect(t.db.command({ dropIndexes: 'no_such_collection', index: '*' })).rejects.toMatchObject({ code: 26, codeName: 'NamespaceNotFound' });
  });

  it('an index answers equality queries exactly like a scan', async () => {
    const c = fresh();
    await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ k: i % 10, s: `v${i % 7}`, arr: [i % 5, 100 + (i % 3)] })));
    const before = await Promise.all([
      c.countDocuments({ k: 3 }),
      c.countDocuments({ s: { $in: ['v1', 'v2'] } }),
      c.countDocuments({ arr: 101 }),
      c.countDocuments({ k: 3, s: 'v3' }),
    ]);
    await c.createIndexes([{ key: { k: 1 } }, { key: { s: 1 } }, { key: { arr: 1 } }]);
    const after = await Promise.all([
      c.countDocuments({ k: 3 }),
      c.countDocuments({ s: { $in: ['v1', 'v2'] } }),
      c.countDocuments({ arr: 101 }),
      c.countDocuments({ k: 3, s: 'v3' }),
    ]);
    expect(after).toEqual(before);
    expect(before).toEqual([20, 58, 67, 3]);
    await c.updateMany({ k: 3 }, { $set: { k: 30 } });
    expect(await c.countDocuments({ k: 3 })).toBe(0);
    expect(await c.countDocuments({ k: 30 })).toBe(20);
  });
});

describe('ranges and sorts on indexed fields', () => {
  /** A small deterministic generator, so that a failure replays. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a * 1103515245 + 12345) % 2147483648;
      return a / 2147483648;
    };
  }
  const kinds = (rand: () => number): unknown => {
    const r = rand();
    if (r < 0.45) return Math.floor(rand() * 20) - 5; // ties on purpose
    if (r < 0.55) return Math.floor(rand() * 20) + 0.5;
    if (r < 0.6) return new Long(Math.floor(rand() * 20));
    if (r < 0.65) return new Double(Math.floor(rand() * 20));
    if (r < 0.72) return null;
    if (r < 0.8) return ['a', 'b', 'ab', 'B'][Math.floor(rand() * 4)];
    if (r < 0.86) return new Date(Date.UTC(2025, 0, 1 + Math.floor(rand() * 9)));
    if (r < 0.9) return rand() < 0.5;
    return undefined; // missing
  };
  const makeDocs = (rand: () => number, n: number, arrays: boolean): AnyDoc[] =>
    Array.from({ length: n }, (_, i) => {
      const doc: AnyDoc = { _id: i, w: Math.floor(rand() * 4) };
      const v = arrays && rand() < 0.15 ? [kinds(rand), kinds(rand)] : kinds(rand);
      if (v !== undefined) doc.v = v;
      return doc;
    });

  async function twins(docs: AnyDoc[]): Promise<[Collection<AnyDoc>, Collection<AnyDoc>]> {
    const indexed = fresh('ri');
    const plain = fresh('rp');
    await indexed.createIndex({ v: 1 });
    await indexed.insertMany(docs.map((doc) => ({ ...doc })));
    await plain.insertMany(docs.map((doc) => ({ ...doc })));
    return [indexed, plain];
  }

  const randomQuery = (rand: () => number): { filter: AnyDoc; sort: AnyDoc; skip: number; limit: number } => {
    const parts: AnyDoc[] = [];
    const bound = (): unknown => (rand() < 0.8 ? Math.floor(rand() * 24) - 6 : ['a', 'B', new Date(Date.UTC(2025, 0, 4))][Math.floor(rand() * 3)]);
    for (let i = Math.floor(rand() * 3); i > 0; i--) parts.push({ v: { [['$gt', '$gte', '$lt', '$lte'][Math.floor(rand() * 4)]!]: bound() } });
    if (rand() < 0.3) parts.push({ w: { $ne: 1 } });
    if (rand() < 0.2) parts.push({ $or: [{ v: { $lt: 3 } }, { v: 3, _id: { $gt: 50 } }] });
    const direction = rand() < 0.5 ? 1 : -1;
    const sort: AnyDoc = rand() < 0.4 ? { v: direction, w: rand() < 0.5 ? 1 : -1, _id: direction } : { v: direction, _id: direction };
    return { filter: parts.length ? { $and: parts } : {}, sort, skip: rand() < 0.3 ? Math.floor(rand() * 4) : 0, limit: Math.floor(rand() * 30) };
  };

  async function compare(indexed: Collection<AnyDoc>, plain: Collection<AnyDoc>, rand: () => number, queries: number): Promise<void> {
    for (let q = 0; q < queries; q++) {
      const { filter, sort, skip, limit } = randomQuery(rand);
      const options = { sort, skip, limit, batchSize: 7 }; // several getMores on larger pages
      const context = JSON.stringify({ q, filter, sort, skip, limit });
      expect(await indexed.find(filter, options).toArray(), context).toEqual(await plain.find(filter, options).toArray());
      const count = async (c: Collection<AnyDoc>): Promise<unknown> => (await t.db.command({ count: c.collectionName, query: filter })).n;
      expect(await count(indexed), context).toEqual(await count(plain));
    }
  }

  it('an index answers range filters and sorts (ties broken by the other keys) exactly like a scan, across types', async () => {
    const rand = random(7);
    const [indexed, plain] = await twins(makeDocs(rand, 300, false));
    await compare(indexed, plain, rand, 60);
    // Writes between reads: the next reads see them.
    await indexed.insertOne({ _id: 1000, v: 2, w: 0 });
    await plain.insertOne({ _id: 1000, v: 2, w: 0 });
    await indexed.updateMany({ w: 3, v: { $gte: 0, $lt: 100 } }, { $inc: { v: 1 } });
    await plain.updateMany({ w: 3, v: { $gte: 0, $lt: 100 } }, { $inc: { v: 1 } });
    await indexed.deleteMany({ v: { $gte: 10, $lt: 12 } });
    await plain.deleteMany({ v: { $gte: 10, $lt: 12 } });
    await compare(indexed, plain, rand, 30);
  });

  it('and so it does on multikey (array) fields', async () => {
    const rand = random(11);
    const [indexed, plain] = await twins(makeDocs(rand, 200, true));
    await compare(indexed, plain, rand, 40);
  });

  it('pages through a descending sort with a cursor condition, as the spending pages do', async () => {
    const docs = Array.from({ length: 150 }, (_, i) => ({ _id: i, v: i % 3 === 0 ? null : (i * 37) % 60, w: i % 5 }));
    const [indexed, plain] = await twins(docs);
    const pages = async (c: Collection<AnyDoc>): Promise<unknown[]> => {
      const ids: unknown[] = [];
      let after: AnyDoc | undefined;
      for (;;) {
        const base = { v: { $gte: 10 }, w: { $ne: 2 } };
        const filter = after ? { $and: [base, { $or: [{ v: { $lt: after.v } }, { v: after.v, _id: { $lt: after._id } }] }] } : base;
        const page = await c.find(filter, { sort: { v: -1, _id: -1 }, limit: 11 }).toArray();
        ids.push(...page.slice(0, 10).map((doc) => doc._id));
        if (page.length <= 10) return ids;
        after = page[9];
      }
    };
    const expected = await pages(plain);
    expect(expected.length).toBe(docs.filter((doc) => doc.v !== null && doc.v >= 10 && doc.w !== 2).length);
    expect(await pages(indexed)).toEqual(expected);
  });
});

describe('unique indexes', () => {
  async function withUniqueEmail(): Promise<Collection<AnyDoc>> {
    const c = fresh('u');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ _id: 'existing', email: 'taken@x' });
    return c;
  }

  it('an ordered insertMany stops at the first duplicate', async () => {
    const c = await withUniqueEmail();
    const docs = ['a', 'b', 'taken', 'c', 'd'].map((u) => ({ email: `${u}@x` }));
    const error = await c.insertMany(docs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.code).toBe(11000);
    expect(bulk.insertedCount).toBe(2);
    expect(bulk.writeErrors).toHaveLength(1);
    expect((bulk.writeErrors as WriteError[])[0]!.index).toBe(2);
    expect(await c.countDocuments()).toBe(3);
    expect(await c.countDocuments({ email: { $in: ['c@x', 'd@x'] } })).toBe(0);
  });

  it('an unordered insertMany inserts every other document', async () => {
    const c = await withUniqueEmail();
    const docs = ['a', 'taken', 'b', 'a', 'c', 'taken'].map((u) => ({ email: `${u}@x` }));
    const error = (await c.insertMany(docs, { ordered: false }).catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    expect(error.insertedCount).toBe(3);
    // The driver keeps index, code and errmsg of each write error (keyPattern/keyValue: see the raw reply test).
    const writeErrors = error.writeErrors as WriteError[];
    expect(writeErrors.map((e) => e.index)).toEqual([1, 3, 5]);
    for (const e of writeErrors) expect(e.code).toBe(11000);
    expect(writeErrors[1]!.errmsg).toContain('dup key: { email: "a@x" }');
    expect(writeErrors[1]!.getOperation()).toMatchObject({ email: 'a@x' });
    expect((await c.find({}, { sort: { email: 1 }, projection: { _id: 0 } }).toArray()).map((d) => d.email)).toEqual(['a@x', 'b@x', 'c@x', 'taken@x']);
  });

  it('the raw insert reply has ok: 1, n and writeErrors with keyPattern, keyValue and the E11000 message', async () => {
    const c = await withUniqueEmail();
    const reply = bare(
      await t.db.command({
        insert: c.collectionName,
        documents: [
          { _id: 1, email: 'n1@x' },
          { _id: 2, email: 'taken@x' },
          { _id: 3, email: 'n3@x' },
          { _id: 1, email: 'n4@x' },
        ],
        ordered: false,
      }),
    );
    expect(reply.ok).toBe(1);
    expect(reply.n).toBe(2);
    expect(reply.writeErrors).toHaveLength(2);
    expect(reply.writeErrors[0]).toMatchObject({
      index: 1,
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'taken@x' },
      errmsg: `E11000 duplicate key error collection: ${t.name}.${c.collectionName} index: email_1 dup key: { email: "taken@x" }`,
    });
    expect(reply.writeErrors[1]).toMatchObject({
      index: 3,
      code: 11000,
      keyPattern: { _id: 1 },
      keyValue: { _id: 1 },
      errmsg: `E11000 duplicate key error collection: ${t.name}.${c.collectionName} index: _id_ dup key: { _id: 1 }`,
    });
  });

  it('a duplicate _id is 11000 on the _id_ index', async () => {
    const c = fresh('u');
    await c.insertOne({ _id: 'same' });
    const error = await c.insertOne({ _id: 'same' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 'same' } });
    expect((error as MongoServerError).errmsg).toContain('index: _id_ dup key: { _id: "same" }');
  });

  it('building a unique index over existing duplicates fails and leaves no index', async () => {
    const c = fresh('u');
    await c.insertMany([{ e: 1 }, { e: 2 }, { e: 1 }]);
    const error = await c.createIndex({ e: 1 }, { unique: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000 });
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
    await c.insertOne({ e: 1 });
  });

  it('an update that would duplicate a key is refused and changes nothing', async () => {
    const c = await withUniqueEmail();
    await c.insertOne({ _id: 'other', email: 'free@x' });
    await expect(c.updateOne({ _id: 'other' }, { $set: { email: 'taken@x' } })).rejects.toMatchObject({ code: 11000, keyValue: { email: 'taken@x' } });
    expect(await c.findOne({ _id: 'other' })).toMatchObject({ email: 'free@x' });
    await expect(c.updateOne({ email: 'new@x' }, { $set: { email: 'taken@x' } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
    expect(await c.countDocuments()).toBe(2);
  });

  it('documents without the field collide on null (unless the index is sparse)', async () => {
    const c = await withUniqueEmail();
    await c.insertOne({ name: 'no email' });
    await expect(c.insertOne({ name: 'no email either' })).rejects.toMatchObject({ code: 11000, keyValue: { email: null } });
    const s = fresh('u');
    await s.createIndex({ email: 1 }, { unique: true, sparse: true });
    await s.insertMany([{ n: 1 }, { n: 2 }, { email: 'e@x' }]);
    await expect(s.insertOne({ email: 'e@x' })).rejects.toMatchObject({ code: 11000 });
  });

  it('a partial unique index only constrains the documents it covers', async () => {
    const c = fresh('u');
    await c.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { code: 'x', active: false },
      { code: 'x', active: false },
      { code: 'x', active: true },
    ]);
    await expect(c.insertOne({ code: 'x', active: true })).rejects.toMatchObject({ code: 11000 });
  });

  it('works on a dotted field', async () => {
    const c = fresh('u');
    await c.createIndex({ 'profile.handle': 1 }, { unique: true });
    await c.insertMany([{ profile: { handle: 'ana' } }, { profile: { handle: 'bia' } }]);
    const error = await c.insertOne({ profile: { handle: 'ana', other: 1 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 11000, keyPattern: { 'profile.handle': 1 }, keyValue: { 'profile.handle': 'ana' } });
    expect((error as MongoServerError).errmsg).toContain('index: profile.handle_1 dup key: { profile.handle: "ana" }');
  });

  it('works on an array field: every element is a key, repeats within one document are fine', async () => {
    const c = fresh('u');
    await c.createIndex({ tags: 1 }, { unique: true });
    await c.insertOne({ tags: ['a', 'b'] });
    await c.insertOne({ tags: ['c', 'c'] });
    await expect(c.insertOne({ tags: ['d', 'b'] })).rejects.toMatchObject({ code: 11000, keyValue: { tags: 'b' } });
    await expect(c.updateOne({ tags: 'c' }, update({ $push: { tags: 'a' } }))).rejects.toMatchObject({ code: 11000 });
    await c.updateOne({ tags: 'c' }, update({ $push: { tags: 'e' } }));
    expect(await c.countDocuments({ tags: 'e' })).toBe(1);
  });

  it('works on a compound key', async () => {
    const c = fresh('u');
    await c.createIndex({ a: 1, b: 1 }, { unique: true });
    await c.insertMany([
      { a: 1, b: 1 },
      { a: 1, b: 2 },
      { a: 2, b: 1 },
    ]);
    const error = await c.insertOne({ a: 1, b: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 11000, keyPattern: { a: 1, b: 1 }, keyValue: { a: 1, b: 2 } });
    expect((error as MongoServerError).errmsg).toContain('index: a_1_b_1 dup key: { a: 1, b: 2 }');
  });

  it('treats equal numbers of different types as the same key', async () => {
    const c = fresh('u');
    await c.createIndex({ n: 1 }, { unique: true });
    await c.insertOne({ n: 1 });
    await expect(c.insertOne({ n: new Double(1) })).rejects.toMatchObject({ code: 11000 });
    await expect(c.insertOne({ n: Long.fromNumber(1) })).rejects.toMatchObject({ code: 11000 });
    await c.insertOne({ n: '1' });
  });
});
