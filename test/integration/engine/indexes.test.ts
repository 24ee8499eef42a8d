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
    const before = await Promise.all([c.countDocuments({ k: 3 }), c.countDocuments({ s: { $in: ['v1', 'v2'] } }), c.countDocuments({ arr: 101 }), c.countDocuments({ k: 3, s: 'v3' })]);
    await c.createIndexes([{ key: { k: 1 } }, { key: { s: 1 } }, { key: { arr: 1 } }]);
    const after = await Promise.all([c.countDocuments({ k: 3 }), c.countDocuments({ s: { $in: ['v1', 'v2'] } }), c.countDocuments({ arr: 101 }), c.countDocuments({ k: 3, s: 'v3' })]);
    expect(after).toEqual(before);
    expect(before).toEqual([20, 58, 67, 3]);
    await c.updateMany({ k: 3 }, { $set: { k: 30 } });
    expect(await c.countDocuments({ k: 3 })).toBe(0);
    expect(await c.countDocuments({ k: 30 })).toBe(20);
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
        documents: [{ _id: 1, email: 'n1@x' }, { _id: 2, email: 'taken@x' }, { _id: 3, email: 'n3@x' }, { _id: 1, email: 'n4@x' }],
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
    await c.insertMany([{ code: 'x', active: false }, { code: 'x', active: false }, { code: 'x', active: true }]);
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
