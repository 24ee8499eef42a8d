/**
 * insert, update (operators, upsert, multi, replacement, arrayFilters, $setOnInsert,
 * pipelines), delete, findAndModify in all its variants, count / estimatedDocumentCount /
 * countDocuments and distinct, with the reply shapes drivers read.
 */
import { MongoServerError, ObjectId, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onEmbeddedEngine, openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { type AnyDoc, bare, update } from './support.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase('crud');
});

afterAll(async () => {
  await t.close();
});

/** A fresh collection per test, named after it. */
let seq = 0;
function fresh(): Collection<AnyDoc> {
  return t.db.collection<AnyDoc>(`c${++seq}`);
}

describe('insert', () => {
  it('insertOne and insertMany report ids; raw insert answers { n, ok }', async () => {
    const c = fresh();
    const one = await c.insertOne({ a: 1 });
    expect(one.acknowledged).toBe(true);
    expect(one.insertedId).toBeInstanceOf(ObjectId);
    const many = await c.insertMany([{ a: 2 }, { a: 3 }]);
    expect(many.insertedCount).toBe(2);
    expect(Object.keys(many.insertedIds)).toEqual(['0', '1']);
    const raw = await t.db.command({
      insert: c.collectionName,
      documents: [
        { _id: 'x', a: 4 },
        { _id: 'y', a: 5 },
      ],
    });
    expect(bare(raw)).toEqual({ n: 2, ok: 1 });
    expect(await c.countDocuments()).toBe(5);
  });

  it('the server adds an ObjectId _id when a document has none, and stores _id first', async () => {
    const c = fresh();
    await t.db.command({ insert: c.collectionName, documents: [{ a: 1 }] });
    const [doc] = await c.find().toArray();
    expect(doc!._id).toBeInstanceOf(ObjectId);
    await t.db.command({ insert: c.collectionName, documents: [{ b: 1, _id: 7 }] });
    expect(Object.keys((await c.findOne({ _id: 7 }))!)).toEqual(['_id', 'b']);
  });

  it('refuses an array or a regular expression as _id (53 InvalidIdField)', async () => {
    const c = fresh();
    await expect(c.insertOne({ _id: [1, 2] as never })).rejects.toMatchObject({ code: 53, codeName: 'InvalidIdField' });
    await expect(c.insertOne({ _id: /x/ as never })).rejects.toMatchObject({ code: 53 });
    await c.insertOne({ _id: { compound: 1, key: 'ok' } as never });
    expect(await c.countDocuments()).toBe(1);
  });

  it('keeps BSON types through a round trip', async () => {
    const c = fresh();
    const when = new Date('2024-11-29T10:00:00Z');
    const id = new ObjectId();
    await c.insertOne({ _id: id, when, nested: { list: [1, 'two', { three: 3 }], nil: null }, price: 19.9, big: 2 ** 40 });
    expect(await c.findOne({ _id: id })).toEqual({ _id: id, when, nested: { list: [1, 'two', { three: 3 }], nil: null }, price: 19.9, big: 2 ** 40 });
    expect(await c.findOne({ when })).not.toBeNull();
    expect(await c.findOne({ 'nested.list': 'two' })).not.toBeNull();
  });
});

describe('update', () => {
  let c: Collection<AnyDoc>;
  beforeEach(async () => {
    c = fresh();
    await c.insertMany([
      {
        _id: 1,
        n: 1,
        tags: ['a'],
        grades: [40, 80, 95],
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 2 },
        ],
      },
      { _id: 2, n: 2, tags: ['b'], grades: [60], items: [] },
      { _id: 3, n: 3, tags: [], grades: [], items: [] },
    ]);
  });

  it('applies update operators and reports matched / modified', async () => {
    const result = await c.updateOne({ _id: 1 }, update({ $set: { name: 'one' }, $inc: { n: 10 }, $push: { tags: 'z' }, $unset: { items: '' } }));
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, n: 11, tags: ['a', 'z'], grades: [40, 80, 95], name: 'one' });
    await c.updateOne({ _id: 2 }, { $addToSet: { tags: { $each: ['b', 'c'] } }, $rename: { n: 'count' }, $max: { top: 5 }, $mul: { missing: 2 } });
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, tags: ['b', 'c'], grades: [60], items: [], count: 2, top: 5, missing: 0 });
    await c.updateOne({ _id: 3 }, update({ $pull: { tags: 'x' }, $currentDate: { touched: true } }));
    expect((await c.findOne({ _id: 3 }))!.touched).toBeInstanceOf(Date);
  });

  it('an update that changes nothing is matched but not modified', async () => {
    const result = await c.updateOne({ _id: 1 }, { $set: { n: 1 } });
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const raw = await t.db.command({ update: c.collectionName, updates: [{ q: { _id: 1 }, u: { $set: { n: 1 } } }] });
    expect(bare(raw)).toEqual({ n: 1, nModified: 0, ok: 1 });
  });

  it('updateMany updates every match; updateOne only the first', async () => {
    expect(await c.updateMany({ n: { $gte: 2 } }, { $set: { big: true } })).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await c.updateOne({ n: { $gte: 1 } }, { $set: { first: true } })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.countDocuments({ big: true })).toBe(2);
    expect(await c.countDocuments({ first: true })).toBe(1);
    const raw = await t.db.command({ update: c.collectionName, updates: [{ q: {}, u: { $inc: { n: 1 } }, multi: true }] });
    expect(bare(raw)).toEqual({ n: 3, nModified: 3, ok: 1 });
  });

  it('upserts: $setOnInsert only on insert, equality fields of the query seed the document', async () => {
    const first = await c.updateOne({ sku: 'new', 'dims.w': 5, n: { $gt: 100 } }, { $set: { qty: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(first).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    const doc = await c.findOne({ _id: first.upsertedId! });
    expect(doc).toEqual({ _id: first.upsertedId, sku: 'new', dims: { w: 5 }, qty: 1, created: true });
    const second = await c.updateOne({ sku: 'new' }, { $set: { qty: 2 }, $setOnInsert: { created: false } }, { upsert: true });
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ sku: 'new' })).toMatchObject({ qty: 2, created: true });
  });

  it('the raw upsert reply lists upserted ids by statement index', async () => {
    const raw = await t.db.command({
      update: c.collectionName,
      updates: [
        { q: { _id: 1 }, u: { $set: { x: 1 } } },
        { q: { _id: 'u1' }, u: { $set: { x: 2 } }, upsert: true },
        { q: { _id: 'u2' }, u: { x: 3 }, upsert: true },
      ],
    });
    expect(bare(raw)).toEqual({
      n: 3,
      nModified: 1,
      upserted: [
        { index: 1, _id: 'u1' },
        { index: 2, _id: 'u2' },
      ],
      ok: 1,
    });
    expect(await c.findOne({ _id: 'u2' })).toEqual({ _id: 'u2', x: 3 });
  });

  it('replaceOne replaces the whole document and keeps _id; an _id change is refused (66)', async () => {
    const result = await c.replaceOne({ _id: 2 }, { only: 'this' });
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, only: 'this' });
    const upserted = await c.replaceOne({ name: 'ghost' }, { name: 'ghost', v: 1 }, { upsert: true });
    expect(upserted.upsertedCount).toBe(1);
    expect(await c.findOne({ name: 'ghost' })).toMatchObject({ name: 'ghost', v: 1 });
    const error = await c.replaceOne({ _id: 3 }, { _id: 99, x: 1 } as Document).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 66, codeName: 'ImmutableField' });
  });

  it('_id can be set to its own value or by an upsert, never changed (66 ImmutableField)', async () => {
    await expect(c.updateOne({ _id: 1 }, { $set: { _id: 5 } } as Document)).rejects.toMatchObject({ code: 66, codeName: 'ImmutableField' });
    await expect(c.updateOne({ _id: 1 }, { $inc: { _id: 1 } } as Document)).rejects.toMatchObject({ code: 66 });
    expect(await c.updateOne({ _id: 1 }, { $set: { _id: 1, n: 100 } } as Document)).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 1 })).toMatchObject({ n: 100 });
    const upsert = await c.updateOne({ n: 77 }, { $set: { _id: 'chosen', k: 1 } } as Document, { upsert: true });
    expect(upsert.upsertedId).toBe('chosen');
    expect(await c.findOne({ _id: 'chosen' })).toEqual({ _id: 'chosen', n: 77, k: 1 });
  });

  it('refuses what MongoDB refuses: $inc of a non-number (14), a field inside a scalar (28), array operators on a non-array, two operators on one path (40)', async () => {
    await c.updateOne({ _id: 1 }, { $set: { s: 'text', nil: null, sub: { k: 1 } } });
    const cases: [Document, Partial<MongoServerError>][] = [
      [{ $inc: { s: 1 } }, { code: 14, codeName: 'TypeMismatch' }],
      [{ $mul: { s: 2 } }, { code: 14 }],
      [{ $inc: { n: 'one' } }, { code: 14 }],
      [{ $set: { 'n.x': 1 } }, { code: 28, codeName: 'PathNotViable' }],
      [{ $set: { 'nil.x': 1 } }, { code: 28 }],
      [{ $inc: { 'sub.k.deeper': 1 } }, { code: 28 }],
      [{ $push: { s: 1 } }, { code: 2 }],
      [{ $addToSet: { s: 1 } }, { code: 2 }],
      [{ $pull: { s: 1 } }, { code: 2 }],
      [{ $pop: { s: 1 } }, { code: 14 }],
      [
        { $set: { n: 1 }, $inc: { n: 1 } },
        { code: 40, codeName: 'ConflictingUpdateOperators' },
      ],
    ];
    for (const [spec, expected] of cases) {
      const error = await c.updateOne({ _id: 1 }, update(spec)).catch((e: unknown) => e);
      expect(error, JSON.stringify(spec)).toBeInstanceOf(MongoServerError);
      expect(error, JSON.stringify(spec)).toMatchObject(expected);
    }
    expect(await c.findOne({ _id: 1 })).toMatchObject({ n: 1, s: 'text', nil: null, sub: { k: 1 } });
    // What is allowed: creating missing paths, $unset through a scalar (a no-op).
    await c.updateOne({ _id: 1 }, { $set: { 'sub.new.z': 1 }, $inc: { 'counters.hits': 2 }, $unset: { 's.x': '' } });
    expect(await c.findOne({ _id: 1 })).toMatchObject({ s: 'text', sub: { k: 1, new: { z: 1 } }, counters: { hits: 2 } });
  });

  it('positional $ and arrayFilters update the chosen array elements', async () => {
    await c.updateOne({ _id: 1, grades: 80 }, { $set: { 'grades.$': 81 } });
    expect((await c.findOne({ _id: 1 }))!.grades).toEqual([40, 81, 95]);
    await c.updateOne({ _id: 1 }, { $set: { 'grades.$[low]': 50 } }, { arrayFilters: [{ low: { $lt: 50 } }] });
    expect((await c.findOne({ _id: 1 }))!.grades).toEqual([50, 81, 95]);
    await c.updateOne({ _id: 1 }, { $inc: { 'items.$[it].qty': 10 } }, { arrayFilters: [{ 'it.sku': 'b' }] });
    expect((await c.findOne({ _id: 1 }))!.items).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 12 },
    ]);
    await c.updateMany({}, { $inc: { 'grades.$[]': 1 } });
    expect((await c.findOne({ _id: 2 }))!.grades).toEqual([61]);
  });

  it('pipeline updates compute fields from the document', async () => {
    await c.updateMany({ n: { $lte: 2 } }, [
      { $set: { double: { $multiply: ['$n', 2] }, label: { $concat: ['#', { $toString: '$n' }] } } },
      { $unset: 'items' },
    ]);
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, n: 2, tags: ['b'], grades: [60], double: 4, label: '#2' });
    expect(await c.findOne({ _id: 3 })).toMatchObject({ items: [] });
  });

  it('an upsert with a pipeline update inserts the computed document', async () => {
    const result = await c.updateOne({ _id: 'p' }, [{ $set: { made: { $literal: true }, n: 42 } }], { upsert: true });
    expect(result.upsertedId).toBe('p');
    expect(await c.findOne({ _id: 'p' })).toEqual({ _id: 'p', made: true, n: 42 });
  });
});

describe('delete', () => {
  it('deleteOne removes one match, deleteMany every match', async () => {
    const c = fresh();
    await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ i, even: i % 2 === 0 })));
    expect(await c.deleteOne({ even: true })).toMatchObject({ acknowledged: true, deletedCount: 1 });
    expect(await c.deleteMany({ even: true })).toMatchObject({ deletedCount: 4 });
    expect(await c.deleteMany({ even: true })).toMatchObject({ deletedCount: 0 });
    const raw = await t.db.command({
      delete: c.collectionName,
      deletes: [
        { q: { i: { $lt: 4 } }, limit: 0 },
        { q: {}, limit: 1 },
      ],
    });
    expect(bare(raw)).toEqual({ n: 3, ok: 1 });
    expect(await c.countDocuments()).toBe(2);
    expect(await c.deleteMany({})).toMatchObject({ deletedCount: 2 });
    expect(await c.countDocuments()).toBe(0);
  });

  it('deleting from a missing collection deletes nothing', async () => {
    expect(await t.db.collection<AnyDoc>('never-created').deleteMany({})).toMatchObject({ deletedCount: 0 });
  });
});

describe('findAndModify', () => {
  let c: Collection<AnyDoc>;
  beforeEach(async () => {
    c = fresh();
    await c.insertMany([
      { _id: 1, n: 1, email: 'a@x', secret: 's1' },
      { _id: 2, n: 2, email: 'b@x', secret: 's2' },
      { _id: 3, n: 3, email: 'c@x', secret: 's3' },
    ]);
  });

  it('returns the document before the update by default, after with returnDocument', async () => {
    expect(await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } })).toMatchObject({ n: 1 });
    expect(await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { returnDocument: 'after' })).toMatchObject({ n: 3 });
    expect(await c.findOneAndUpdate({ _id: 9 }, { $inc: { n: 1 } })).toBeNull();
  });

  it('picks the first document by sort and applies the projection', async () => {
    const doc = await c.findOneAndUpdate({}, { $set: { top: true } }, { sort: { n: -1 }, projection: { secret: 0 }, returnDocument: 'after' });
    expect(doc).toEqual({ _id: 3, n: 3, email: 'c@x', top: true });
    expect(await c.findOneAndUpdate({ n: { $gt: 0 } }, { $set: { low: true } }, { sort: { n: 1 }, projection: { _id: 0, n: 1 } })).toEqual({ n: 1 });
  });

  it('upserts, returning null before and the new document after', async () => {
    expect(await c.findOneAndUpdate({ email: 'new@x' }, { $set: { n: 10 } }, { upsert: true })).toBeNull();
    expect(await c.findOne({ email: 'new@x' })).toMatchObject({ n: 10 });
    const after = await c.findOneAndUpdate({ email: 'newer@x' }, { $set: { n: 11 } }, { upsert: true, returnDocument: 'after' });
    expect(after).toMatchObject({ email: 'newer@x', n: 11 });
    expect(after!._id).toBeInstanceOf(ObjectId);
  });

  it('reports lastErrorObject with includeResultMetadata and in the raw reply', async () => {
    const updated = await c.findOneAndUpdate({ _id: 2 }, { $set: { n: 20 } }, { includeResultMetadata: true });
    expect(updated.ok).toBe(1);
    expect(updated.lastErrorObject).toEqual({ n: 1, updatedExisting: true });
    expect(updated.value).toMatchObject({ n: 2 });
    const upserted = await c.findOneAndUpdate({ _id: 'up' }, { $set: { n: 0 } }, { upsert: true, includeResultMetadata: true });
    expect(upserted.lastErrorObject).toEqual({ n: 1, updatedExisting: false, upserted: 'up' });
    const raw = await t.db.command({ findAndModify: c.collectionName, query: { _id: 3 }, update: { $set: { n: 30 } }, new: true });
    expect(bare(raw)).toEqual({ lastErrorObject: { n: 1, updatedExisting: true }, value: { _id: 3, n: 30, email: 'c@x', secret: 's3' }, ok: 1 });
    const none = await t.db.command({ findAndModify: c.collectionName, query: { _id: 404 }, update: { $set: { n: 1 } } });
    expect(bare(none)).toEqual({ lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 });
  });

  it('findOneAndReplace replaces the document', async () => {
    const before = await c.findOneAndReplace({ _id: 2 }, { replaced: true });
    expect(before).toMatchObject({ _id: 2, n: 2 });
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, replaced: true });
    const after = await c.findOneAndReplace({ _id: 5 }, { made: 1 }, { upsert: true, returnDocument: 'after' });
    expect(after).toEqual({ _id: 5, made: 1 });
  });

  it('findOneAndDelete removes and returns the document (remove: true)', async () => {
    expect(await c.findOneAndDelete({ n: { $gte: 2 } }, { sort: { n: -1 }, projection: { n: 1 } })).toEqual({ _id: 3, n: 3 });
    expect(await c.countDocuments()).toBe(2);
    expect(await c.findOneAndDelete({ n: 99 })).toBeNull();
    const raw = await t.db.command({ findAndModify: c.collectionName, query: { _id: 1 }, remove: true });
    expect(bare(raw)).toEqual({ lastErrorObject: { n: 1 }, value: { _id: 1, n: 1, email: 'a@x', secret: 's1' }, ok: 1 });
    const none = await t.db.command({ findAndModify: c.collectionName, query: { _id: 1 }, remove: true });
    expect(bare(none)).toEqual({ lastErrorObject: { n: 0 }, value: null, ok: 1 });
  });

  it('a duplicate key is a top-level 11000 error with keyPattern and keyValue', async () => {
    await c.createIndex({ email: 1 }, { unique: true });
    const error = await c.findOneAndUpdate({ _id: 1 }, { $set: { email: 'b@x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'b@x' } });
    expect((error as MongoServerError).errmsg).toContain(
      `E11000 duplicate key error collection: ${t.name}.${c.collectionName} index: email_1 dup key: { email: "b@x" }`,
    );
    const raw = await t.db
      .command({ findAndModify: c.collectionName, query: { email: 'zzz' }, update: { $set: { email: 'c@x' } }, upsert: true })
      .catch((e: unknown) => e);
    expect(raw).toMatchObject({ code: 11000, codeName: 'DuplicateKey' });
    expect(await c.findOne({ _id: 1 })).toMatchObject({ email: 'a@x' });
  });
});

describe('count, countDocuments, estimatedDocumentCount, distinct', () => {
  let c: Collection<AnyDoc>;
  beforeAll(async () => {
    c = fresh();
    await c.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        i,
        color: ['red', 'green', 'blue'][i % 3],
        tags: i % 2 ? ['odd', `t${i % 4}`] : ['even'],
        spec: { size: i % 5 },
      })),
    );
  });

  it('estimatedDocumentCount (count command) and countDocuments (aggregate)', async () => {
    expect(await c.estimatedDocumentCount()).toBe(30);
    expect(await c.countDocuments()).toBe(30);
    expect(await c.countDocuments({ color: 'red' })).toBe(10);
    expect(await c.countDocuments({ i: { $gte: 10 } }, { skip: 5, limit: 10 })).toBe(10);
    expect(await c.countDocuments({ color: 'purple' })).toBe(0);
    expect(await t.db.collection<AnyDoc>('missing').estimatedDocumentCount()).toBe(0);
    expect(await t.db.collection<AnyDoc>('missing').countDocuments()).toBe(0);
  });

  it('the raw count command honours query, skip and limit', async () => {
    expect(bare(await t.db.command({ count: c.collectionName }))).toEqual({ n: 30, ok: 1 });
    expect(bare(await t.db.command({ count: c.collectionName, query: { color: 'green' }, skip: 2 }))).toEqual({ n: 8, ok: 1 });
    expect(bare(await t.db.command({ count: c.collectionName, query: {}, limit: 4 }))).toEqual({ n: 4, ok: 1 });
    expect(bare(await t.db.command({ count: 'missing' }))).toEqual({ n: 0, ok: 1 });
  });

  it('distinct flattens arrays, follows dotted paths and applies the query', async () => {
    expect((await c.distinct('color')).sort()).toEqual(['blue', 'green', 'red']);
    expect((await c.distinct('tags')).sort()).toEqual(['even', 'odd', 't1', 't3']);
    expect((await c.distinct('spec.size')).sort()).toEqual([0, 1, 2, 3, 4]);
    expect((await c.distinct('color', { i: { $lt: 2 } })).sort()).toEqual(['green', 'red']);
    expect(await c.distinct('nothing')).toEqual([]);
    const raw = await t.db.command({ distinct: c.collectionName, key: 'color', query: { color: 'red' } });
    expect(bare(raw)).toEqual({ values: ['red'], ok: 1 });
    expect(bare(await t.db.command({ distinct: 'missing', key: 'x' }))).toEqual({ values: [], ok: 1 });
  });
});

// A replica set runs transactions and a standalone mongod refuses them with code 20, which
// driver 7 rewrites into a message about retryable writes (docs/WIRE.md §3): the engine
// refuses them with 263 instead, keeping the code.
describe.runIf(onEmbeddedEngine())('transactions (engine only)', () => {
  it('a write inside a transaction is refused with 263 and changes nothing', async () => {
    const c = fresh();
    const session = t.client.startSession();
    try {
      session.startTransaction();
      const error = await c.insertOne({ a: 1 }, { session }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MongoServerError);
      expect(error).toMatchObject({ code: 263, codeName: 'OperationNotSupportedInTransaction' });
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await c.countDocuments()).toBe(0);
  });
});
