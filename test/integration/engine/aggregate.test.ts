/**
 * Aggregation: the basic stages, $lookup/$unwind/$group as the crunch uses them, cursor
 * batching, and the writing stages: $out (atomic replace, indexes kept, empty cursor, intact
 * target on failure) and $merge (on, every whenMatched and whenNotMatched).
 */
import { MongoServerError, ObjectId, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { type AnyDoc, RAW } from './support.js';

let t: TestDatabase;
let orders: Collection<AnyDoc>;
let users: Collection<AnyDoc>;
let seq = 0;
const fresh = (prefix: string): Collection<AnyDoc> => t.db.collection<AnyDoc>(`${prefix}${++seq}`);

beforeAll(async () => {
  t = await openTestDatabase('aggregate');
  users = t.db.collection<AnyDoc>('users');
  orders = t.db.collection<AnyDoc>('orders');
  await users.insertMany([
    { _id: 'u1', name: 'Ana', city: 'Recife' },
    { _id: 'u2', name: 'Bia', city: 'Natal' },
    { _id: 'u3', name: 'Caio', city: 'Recife' },
  ]);
  await orders.insertMany([
    {
      _id: 1,
      user: 'u1',
      lines: [
        { sku: 'a', qty: 2, price: 10 },
        { sku: 'b', qty: 1, price: 5 },
      ],
      at: new Date('2024-01-15'),
    },
    { _id: 2, user: 'u1', lines: [{ sku: 'a', qty: 1, price: 10 }], at: new Date('2024-02-01') },
    { _id: 3, user: 'u2', lines: [{ sku: 'c', qty: 3, price: 2 }], at: new Date('2024-02-20') },
    { _id: 4, user: 'u9', lines: [], at: new Date('2024-03-03') },
  ]);
});

afterAll(async () => {
  await t.close();
});

describe('stages', () => {
  it('$match, $group, $sort, $project', async () => {
    const result = await orders
      .aggregate([
        { $match: { user: { $in: ['u1', 'u2'] } } },
        { $group: { _id: '$user', orders: { $sum: 1 }, first: { $min: '$at' } } },
        { $sort: { orders: -1 } },
        { $project: { _id: 0, user: '$_id', orders: 1, month: { $month: '$first' } } },
      ])
      .toArray();
    expect(result).toEqual([
      { user: 'u1', orders: 2, month: 1 },
      { user: 'u2', orders: 1, month: 2 },
    ]);
  });

  it('$unwind then $group computes per-line totals', async () => {
    const result = await orders
      .aggregate([
        { $unwind: '$lines' },
        { $group: { _id: '$lines.sku', qty: { $sum: '$lines.qty' }, amount: { $sum: { $multiply: ['$lines.qty', '$lines.price'] } } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { _id: 'a', qty: 3, amount: 30 },
      { _id: 'b', qty: 1, amount: 5 },
      { _id: 'c', qty: 3, amount: 6 },
    ]);
    const kept = await orders.aggregate([{ $unwind: { path: '$lines', preserveNullAndEmptyArrays: true } }, { $count: 'n' }]).toArray();
    expect(kept).toEqual([{ n: 5 }]);
  });

  it('$lookup with localField/foreignField joins, an unmatched document gets []', async () => {
    const result = await orders
      .aggregate([
        { $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'buyer' } },
        { $project: { _id: 1, buyer: '$buyer.name' } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { _id: 1, buyer: ['Ana'] },
      { _id: 2, buyer: ['Ana'] },
      { _id: 3, buyer: ['Bia'] },
      { _id: 4, buyer: [] },
    ]);
    const reverse = await users
      .aggregate([
        { $lookup: { from: 'orders', localField: '_id', foreignField: 'user', as: 'orders' } },
        { $project: { n: { $size: '$orders' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(reverse).toEqual([
      { _id: 'u1', n: 2 },
      { _id: 'u2', n: 1 },
      { _id: 'u3', n: 0 },
    ]);
  });

  it('$count and $facet', async () => {
    expect(await users.aggregate([{ $match: { city: 'Recife' } }, { $count: 'people' }]).toArray()).toEqual([{ people: 2 }]);
    expect(await users.aggregate([{ $match: { city: 'Nowhere' } }, { $count: 'people' }]).toArray()).toEqual([]);
    const [facets] = await users
      .aggregate([
        {
          $facet: {
            byCity: [{ $group: { _id: '$city', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            names: [{ $sort: { name: -1 } }, { $limit: 2 }, { $project: { _id: 0, name: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({
      byCity: [
        { _id: 'Natal', n: 1 },
        { _id: 'Recife', n: 2 },
      ],
      names: [{ name: 'Caio' }, { name: 'Bia' }],
    });
  });

  it('$group accumulators: $sum $avg $min $max $first $last $push $addToSet $count, null and compound keys', async () => {
    const c = fresh('acc');
    await c.insertMany([
      { _id: 1, k: 'a', v: 1, s: 'x', d: new Date('2024-01-02') },
      { _id: 2, k: 'a', v: 3, s: 'y', d: new Date('2024-01-01') },
      { _id: 3, k: 'a', s: 'x' },
      { _id: 4, k: 'b', v: 2.5, s: 'z' },
      { _id: 5, v: 10 },
    ]);
    const groups = await c
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: '$k',
            n: { $sum: 1 },
            total: { $sum: '$v' },
            avg: { $avg: '$v' },
            min: { $min: '$v' },
            max: { $max: '$v' },
            first: { $first: '$v' },
            last: { $last: '$v' },
            all: { $push: '$v' },
            kinds: { $addToSet: '$s' },
            latest: { $max: '$d' },
            count: { $count: {} },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    for (const g of groups) g.kinds.sort();
    expect(groups).toEqual([
      { _id: null, n: 1, total: 10, avg: 10, min: 10, max: 10, first: 10, last: 10, all: [10], kinds: [], latest: null, count: 1 },
      { _id: 'a', n: 3, total: 4, avg: 2, min: 1, max: 3, first: 1, last: null, all: [1, 3], kinds: ['x', 'y'], latest: new Date('2024-01-02'), count: 3 },
      { _id: 'b', n: 1, total: 2.5, avg: 2.5, min: 2.5, max: 2.5, first: 2.5, last: 2.5, all: [2.5], kinds: ['z'], latest: null, count: 1 },
    ]);
    const compound = await c
      .aggregate([{ $group: { _id: { k: '$k', big: { $gt: ['$v', 2] } }, n: { $sum: 1 } } }, { $sort: { '_id.k': 1, '_id.big': 1 } }])
      .toArray();
    expect(compound).toEqual([
      { _id: { big: true }, n: 1 },
      { _id: { k: 'a', big: false }, n: 2 },
      { _id: { k: 'a', big: true }, n: 1 },
      { _id: { k: 'b', big: true }, n: 1 },
    ]);
    expect(await c.aggregate([{ $group: { _id: null, sum: { $sum: '$v' }, avg: { $avg: '$nothing' } } }]).toArray()).toEqual([
      { _id: null, sum: 16.5, avg: null },
    ]);
  });

  it('$project (inclusion, exclusion, _id: 0, computed), $set/$addFields, $unset, $replaceWith, $skip, $limit', async () => {
    const c = fresh('shape');
    await c.insertMany([
      { _id: 1, a: 1, b: 2, sub: { x: 1, y: 2 }, gone: true },
      { _id: 2, a: 3, b: 4, sub: { x: 3, y: 4 }, gone: true },
    ]);
    const run = (pipeline: Document[]): Promise<Document[]> => c.aggregate([{ $sort: { _id: 1 } }, ...pipeline]).toArray();
    expect(await run([{ $project: { a: 1 } }])).toEqual([
      { _id: 1, a: 1 },
      { _id: 2, a: 3 },
    ]);
    expect(await run([{ $project: { _id: 0 } }, { $limit: 1 }])).toEqual([{ a: 1, b: 2, sub: { x: 1, y: 2 }, gone: true }]);
    expect(await run([{ $project: { sub: 0, gone: 0, _id: 0 } }])).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    expect(await run([{ $project: { _id: 0, sum: { $add: ['$a', '$b'] }, x: '$sub.x', label: 'const', missing: '$nope' } }])).toEqual([
      { sum: 3, x: 1, label: 'const' },
      { sum: 7, x: 3, label: 'const' },
    ]);
    expect(await run([{ $project: { 'sub.y': 1 } }])).toEqual([
      { _id: 1, sub: { y: 2 } },
      { _id: 2, sub: { y: 4 } },
    ]);
    expect(await run([{ $set: { c: { $multiply: ['$a', 10] }, gone: '$nope' } }, { $unset: ['sub', 'b'] }, { $skip: 1 }])).toEqual([{ _id: 2, a: 3, c: 30 }]);
    expect(await run([{ $addFields: { 'sub.z': 0 } }, { $project: { sub: 1, _id: 0 } }, { $limit: 1 }])).toEqual([{ sub: { x: 1, y: 2, z: 0 } }]);
    expect(await run([{ $replaceWith: '$sub' }])).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
    expect(await run([{ $replaceRoot: { newRoot: { $mergeObjects: [{ id: '$_id' }, '$sub'] } } }, { $limit: 1 }])).toEqual([{ id: 1, x: 1, y: 2 }]);
  });

  it('$unwind options: includeArrayIndex, preserveNullAndEmptyArrays; scalars unwind to themselves', async () => {
    const c = fresh('unwind');
    await c.insertMany([{ _id: 1, xs: ['a', 'b'] }, { _id: 2, xs: [] }, { _id: 3 }, { _id: 4, xs: null }, { _id: 5, xs: 'solo' }]);
    const plain = await c.aggregate([{ $sort: { _id: 1 } }, { $unwind: '$xs' }]).toArray();
    expect(plain).toEqual([
      { _id: 1, xs: 'a' },
      { _id: 1, xs: 'b' },
      { _id: 5, xs: 'solo' },
    ]);
    const all = await c.aggregate([{ $sort: { _id: 1 } }, { $unwind: { path: '$xs', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } }]).toArray();
    expect(all).toEqual([
      { _id: 1, xs: 'a', i: 0 },
      { _id: 1, xs: 'b', i: 1 },
      { _id: 2, i: null },
      { _id: 3, i: null },
      { _id: 4, xs: null, i: null },
      { _id: 5, xs: 'solo', i: null },
    ]);
    // The stored documents are untouched.
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, xs: ['a', 'b'] });
  });

  it('$lookup matches array elements, and a missing local field matches null or missing foreign fields', async () => {
    const local = fresh('lk');
    const foreign = fresh('fk');
    await foreign.insertMany([{ _id: 'f1', code: 'A' }, { _id: 'f2', code: 'B' }, { _id: 'f3', code: null }, { _id: 'f4' }]);
    await local.insertMany([{ _id: 1, codes: ['A', 'B', 'A'] }, { _id: 2, codes: 'B' }, { _id: 3 }]);
    const pipeline = [
      { $sort: { _id: 1 } },
      { $lookup: { from: foreign.collectionName, localField: 'codes', foreignField: 'code', as: 'found' } },
      { $project: { ids: '$found._id' } },
    ];
    const sortIds = (docs: Document[]): Document[] => docs.map((d) => ({ ...d, ids: [...d.ids].sort() }));
    const expected = [
      { _id: 1, ids: ['f1', 'f2'] },
      { _id: 2, ids: ['f2'] },
      { _id: 3, ids: ['f3', 'f4'] },
    ];
    expect(sortIds(await local.aggregate(pipeline).toArray())).toEqual(expected);
    await foreign.createIndex({ code: 1 });
    expect(sortIds(await local.aggregate(pipeline).toArray())).toEqual(expected);
  });

  it('$unwind on a dotted path, and $unionWith (plain and with a pipeline)', async () => {
    const c = fresh('dotted');
    await c.insertMany([
      { _id: 1, cart: { lines: [{ sku: 'a' }, { sku: 'b' }] } },
      { _id: 2, cart: { lines: [] } },
    ]);
    const lines = await c.aggregate([{ $sort: { _id: 1 } }, { $unwind: { path: '$cart.lines', includeArrayIndex: 'n' } }]).toArray();
    expect(lines).toEqual([
      { _id: 1, cart: { lines: { sku: 'a' } }, n: 0 },
      { _id: 1, cart: { lines: { sku: 'b' } }, n: 1 },
    ]);
    const union = await users
      .aggregate([
        { $project: { name: 1 } },
        { $unionWith: { coll: 'orders', pipeline: [{ $match: { user: 'u2' } }, { $project: { name: '$user' } }] } },
        { $unionWith: c.collectionName },
        { $count: 'n' },
      ])
      .toArray();
    expect(union).toEqual([{ n: 3 + 1 + 2 }]);
    const named = await users
      .aggregate([
        { $match: { _id: 'u1' } },
        { $project: { name: 1 } },
        { $unionWith: { coll: 'orders', pipeline: [{ $match: { user: 'u2' } }, { $project: { name: '$user' } }] } },
      ])
      .toArray();
    expect(named).toEqual([
      { _id: 'u1', name: 'Ana' },
      { _id: 3, name: 'u2' },
    ]);
  });

  it('an aggregate over a missing collection is empty', async () => {
    expect(
      await t.db
        .collection<AnyDoc>('missing')
        .aggregate([{ $match: {} }])
        .toArray(),
    ).toEqual([]);
  });

  it('batches its cursor like find (cursor.batchSize, then getMore)', async () => {
    const c = fresh('batch');
    await c.insertMany(Array.from({ length: 30 }, (_, i) => ({ i })));
    const reply = await t.db.command({ aggregate: c.collectionName, pipeline: [{ $sort: { i: -1 } }], cursor: { batchSize: 12 } }, RAW);
    expect(reply.cursor.ns).toBe(`${t.name}.${c.collectionName}`);
    expect(reply.cursor.firstBatch).toHaveLength(12);
    expect(reply.cursor.id.isZero()).toBe(false);
    const more = await t.db.command({ getMore: reply.cursor.id, collection: c.collectionName }, RAW);
    expect(more.cursor.nextBatch).toHaveLength(18);
    expect(more.cursor.nextBatch[17].i).toBe(0);
    expect(more.cursor.id.isZero()).toBe(true);
  });

  it('needs the cursor option, as mongod does since 3.6', async () => {
    await expect(t.db.command({ aggregate: fresh('nocursor').collectionName, pipeline: [] })).rejects.toMatchObject({
      code: 9,
      message: expect.stringContaining("'cursor' option is required"),
    });
  });

  it('a bad pipeline is a command error with a code, not a crash', async () => {
    const error = await orders
      .aggregate([{ $nope: {} }])
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(typeof (error as MongoServerError).code).toBe('number');
  });
});

describe('$out', () => {
  it('replaces the target: old documents gone, indexes kept, empty cursor returned', async () => {
    const target = fresh('out');
    await target.insertMany([
      { _id: 'old1', x: 1 },
      { _id: 'old2', x: 2 },
    ]);
    await target.createIndex({ user: 1 }, { name: 'by_user' });
    const reply = await t.db.command(
      { aggregate: 'orders', pipeline: [{ $match: { user: 'u1' } }, { $project: { user: 1 } }, { $out: target.collectionName }], cursor: {} },
      RAW,
    );
    expect(reply.ok).toBe(1);
    expect(reply.cursor.firstBatch).toEqual([]);
    expect(reply.cursor.id.isZero()).toBe(true);
    expect(reply.cursor.ns).toBe(`${t.name}.orders`);
    expect(await target.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, user: 'u1' },
      { _id: 2, user: 'u1' },
    ]);
    expect((await target.indexes()).map((i) => i.name)).toEqual(['_id_', 'by_user']);
  });

  it('creates a missing target; the driver resolves to []; { db, coll } form works', async () => {
    const target = fresh('out');
    expect(await users.aggregate([{ $match: { city: 'Recife' } }, { $out: target.collectionName }]).toArray()).toEqual([]);
    expect(await target.countDocuments()).toBe(2);
    const other = fresh('out');
    await users.aggregate([{ $out: { db: t.name, coll: other.collectionName } }]).toArray();
    expect(await other.countDocuments()).toBe(3);
  });

  it('an empty result empties the target', async () => {
    const target = fresh('out');
    await target.insertOne({ stale: true });
    await users.aggregate([{ $match: { city: 'Nowhere' } }, { $out: target.collectionName }]).toArray();
    expect(await target.countDocuments()).toBe(0);
  });

  it('a failing $out (duplicate _id in its output) leaves the old target intact', async () => {
    const target = fresh('out');
    await target.insertMany([{ _id: 'keep1' }, { _id: 'keep2' }]);
    await target.createIndex({ k: 1 });
    const error = await orders
      .aggregate([{ $project: { _id: { $literal: 'same' } } }, { $out: target.collectionName }])
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000 });
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 'keep1' }, { _id: 'keep2' }]);
    expect((await target.indexes()).map((i) => i.name)).toEqual(['_id_', 'k_1']);
    // No temporary collection is left behind.
    const names = (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('tmp.'))).toEqual([]);
  });

  it("a failing $out (the target's unique index refuses the output) leaves the target intact", async () => {
    const target = fresh('out');
    await target.createIndex({ city: 1 }, { unique: true });
    await target.insertOne({ _id: 'only', city: 'X' });
    await expect(users.aggregate([{ $out: target.collectionName }]).toArray()).rejects.toMatchObject({ code: 11000 });
    expect(await target.find().toArray()).toEqual([{ _id: 'only', city: 'X' }]);
  });

  it('readers see the old or the new contents, never a mix', async () => {
    const source = fresh('src');
    const target = fresh('out');
    await source.insertMany(Array.from({ length: 2000 }, (_, i) => ({ i, gen: 2 })));
    await target.insertMany(Array.from({ length: 1000 }, (_, i) => ({ i, gen: 1 })));
    const reads = Array.from({ length: 20 }, () => target.aggregate([{ $group: { _id: '$gen', n: { $sum: 1 } } }]).toArray());
    const [out, ...results] = await Promise.all([source.aggregate([{ $out: target.collectionName }]).toArray(), ...reads]);
    expect(out).toEqual([]);
    for (const groups of results) {
      expect(groups.length).toBe(1);
      expect([
        { _id: 1, n: 1000 },
        { _id: 2, n: 2000 },
      ]).toContainEqual(groups[0]);
    }
  });
});

describe('$merge', () => {
  /** A target keyed by `sku` (the unique index $merge's `on` needs) and a source to merge into it. */
  async function setup(): Promise<{ source: Collection<AnyDoc>; target: Collection<AnyDoc> }> {
    const source = fresh('msrc');
    const target = fresh('mtgt');
    await target.createIndex({ sku: 1 }, { unique: true });
    await target.insertMany([
      { sku: 'a', qty: 1, note: 'old a' },
      { sku: 'b', qty: 2, note: 'old b' },
    ]);
    await source.insertMany([
      { sku: 'b', qty: 20 },
      { sku: 'c', qty: 30 },
    ]);
    return { source, target };
  }
  const noId = { $project: { _id: 0, sku: 1, qty: 1 } };
  const contents = async (c: Collection<AnyDoc>): Promise<Document[]> => c.find({}, { projection: { _id: 0 }, sort: { sku: 1 } }).toArray();

  it('defaults to on _id, whenMatched merge, whenNotMatched insert; returns an empty cursor', async () => {
    const source = fresh('msrc');
    const target = fresh('mtgt');
    await target.insertMany([
      { _id: 1, a: 1, keep: true },
      { _id: 2, a: 2 },
    ]);
    await source.insertMany([
      { _id: 2, a: 20, b: 1 },
      { _id: 3, a: 30 },
    ]);
    const reply = await t.db.command({ aggregate: source.collectionName, pipeline: [{ $merge: target.collectionName }], cursor: {} }, RAW);
    expect(reply.cursor.firstBatch).toEqual([]);
    expect(reply.cursor.id.isZero()).toBe(true);
    expect(await target.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, a: 1, keep: true },
      { _id: 2, a: 20, b: 1 },
      { _id: 3, a: 30 },
    ]);
  });

  it('creates a missing target', async () => {
    const target = fresh('mtgt');
    await users.aggregate([{ $match: { city: 'Natal' } }, { $merge: { into: target.collectionName } }]).toArray();
    expect(await target.find().toArray()).toEqual([{ _id: 'u2', name: 'Bia', city: 'Natal' }]);
  });

  it('whenMatched: replace', async () => {
    const { source, target } = await setup();
    const [before] = await target.find({ sku: 'b' }).toArray();
    await source.aggregate([noId, { $merge: { into: target.collectionName, on: 'sku', whenMatched: 'replace', whenNotMatched: 'insert' } }]).toArray();
    expect(await contents(target)).toEqual([
      { sku: 'a', qty: 1, note: 'old a' },
      { sku: 'b', qty: 20 },
      { sku: 'c', qty: 30 },
    ]);
    const [after] = await target.find({ sku: 'b' }).toArray();
    expect(after!._id).toEqual(before!._id);
    expect((await target.findOne({ sku: 'c' }))!._id).toBeInstanceOf(ObjectId);
  });

  it('whenMatched: keepExisting', async () => {
    const { source, target } = await setup();
    await source.aggregate([noId, { $merge: { into: target.collectionName, on: 'sku', whenMatched: 'keepExisting' } }]).toArray();
    expect(await contents(target)).toEqual([
      { sku: 'a', qty: 1, note: 'old a' },
      { sku: 'b', qty: 2, note: 'old b' },
      { sku: 'c', qty: 30 },
    ]);
  });

  it('whenMatched: merge', async () => {
    const { source, target } = await setup();
    await source.aggregate([noId, { $merge: { into: target.collectionName, on: 'sku', whenMatched: 'merge' } }]).toArray();
    expect(await contents(target)).toEqual([
      { sku: 'a', qty: 1, note: 'old a' },
      { sku: 'b', qty: 20, note: 'old b' },
      { sku: 'c', qty: 30 },
    ]);
  });

  it('whenMatched: fail stops with a duplicate key error', async () => {
    const { source, target } = await setup();
    const error = await source
      .aggregate([noId, { $merge: { into: target.collectionName, on: 'sku', whenMatched: 'fail' } }])
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000 });
    expect(await target.findOne({ sku: 'b' })).toMatchObject({ qty: 2, note: 'old b' });
  });

  it('whenMatched: a pipeline, with $$new', async () => {
    const { source, target } = await setup();
    await source
      .aggregate([
        noId,
        {
          $merge: {
            into: target.collectionName,
            on: 'sku',
            whenMatched: [{ $set: { qty: { $add: ['$qty', '$$new.qty'] }, merged: true } }],
            whenNotMatched: 'insert',
          },
        },
      ])
      .toArray();
    expect(await contents(target)).toEqual([
      { sku: 'a', qty: 1, note: 'old a' },
      { sku: 'b', qty: 22, note: 'old b', merged: true },
      { sku: 'c', qty: 30 },
    ]);
  });

  it('whenMatched: a pipeline with let variables', async () => {
    const { source, target } = await setup();
    await source
      .aggregate([
        noId,
        {
          $merge: {
            into: target.collectionName,
            on: 'sku',
            let: { incoming: '$qty' },
            whenMatched: [{ $set: { qty: { $multiply: ['$qty', '$$incoming'] } } }],
            whenNotMatched: 'discard',
          },
        },
      ])
      .toArray();
    expect(await contents(target)).toEqual([
      { sku: 'a', qty: 1, note: 'old a' },
      { sku: 'b', qty: 40, note: 'old b' },
    ]);
  });

  it('whenNotMatched: discard', async () => {
    const { source, target } = await setup();
    await source.aggregate([noId, { $merge: { into: target.collectionName, on: 'sku', whenMatched: 'merge', whenNotMatched: 'discard' } }]).toArray();
    expect(await contents(target)).toEqual([
      { sku: 'a', qty: 1, note: 'old a' },
      { sku: 'b', qty: 20, note: 'old b' },
    ]);
  });

  it('whenNotMatched: fail refuses a source document with no match (13113)', async () => {
    const { source, target } = await setup();
    const error = await source
      .aggregate([noId, { $merge: { into: target.collectionName, on: 'sku', whenMatched: 'merge', whenNotMatched: 'fail' } }])
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 13113, codeName: 'MergeStageNoMatchingDocument' });
    expect(await target.countDocuments({ sku: 'c' })).toBe(0);
  });

  it('refuses `on` fields without a unique index on the target (51183), a source document missing them (51132), and a changed _id (66)', async () => {
    const { source, target } = await setup();
    await expect(source.aggregate([noId, { $merge: { into: target.collectionName, on: 'qty' } }]).toArray()).rejects.toMatchObject({ code: 51183 });
    await expect(source.aggregate([noId, { $merge: { into: `${target.collectionName}_missing`, on: 'sku' } }]).toArray()).rejects.toMatchObject({
      code: 51183,
    });
    await expect(source.aggregate([{ $project: { _id: 0, qty: 1 } }, { $merge: { into: target.collectionName, on: 'sku' } }]).toArray()).rejects.toMatchObject({
      code: 51132,
    });
    await expect(source.aggregate([{ $merge: { into: target.collectionName, on: 'sku', whenMatched: 'replace' } }]).toArray()).rejects.toMatchObject({
      code: 66,
    });
    expect(await target.findOne({ sku: 'b' })).toMatchObject({ qty: 2, note: 'old b' });
  });

  it('on several fields', async () => {
    const source = fresh('msrc');
    const target = fresh('mtgt');
    await target.createIndex({ y: 1, m: 1 }, { unique: true });
    await target.insertMany([{ y: 2024, m: 1, total: 5 }]);
    await source.insertMany([
      { y: 2024, m: 1, total: 7 },
      { y: 2024, m: 2, total: 3 },
    ]);
    await source.aggregate([{ $project: { _id: 0 } }, { $merge: { into: target.collectionName, on: ['y', 'm'], whenMatched: 'replace' } }]).toArray();
    expect(await target.find({}, { projection: { _id: 0 }, sort: { m: 1 } }).toArray()).toEqual([
      { y: 2024, m: 1, total: 7 },
      { y: 2024, m: 2, total: 3 },
    ]);
  });
});
