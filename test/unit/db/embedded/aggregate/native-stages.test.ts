/**
 * The engine's own pipeline stages against mingo (the reference for the query language) on
 * the same inputs, and against MongoDB's documented behaviour where mingo departs from it.
 * No server: a catalog in memory.
 */
import { ObjectId, type Document } from 'bson';
import { ProcessingMode } from 'mingo/core';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../../../src/db/embedded/aggregate/run-pipeline.js';
import { MemoryStore } from '../../../../../src/db/embedded/persistence/memory-store.js';
import { Aggregator } from '../../../../../src/db/embedded/query/mingo-context.js';
import { roundHalfEven } from '../../../../../src/db/embedded/query/round.js';
import { cloneDocument } from '../../../../../src/db/embedded/storage/clone.js';
import { Catalog } from '../../../../../src/db/embedded/storage/catalog.js';

const oid = (n: number): ObjectId => new ObjectId(n.toString(16).padStart(24, '0'));

function catalogWith(collections: Record<string, Document[]>): Catalog {
  const catalog = new Catalog(new MemoryStore());
  for (const [name, docs] of Object.entries(collections)) {
    const collection = catalog.create('db', name, {});
    for (const doc of docs) collection.insert(cloneDocument(doc));
  }
  return catalog;
}

function engine(collections: Record<string, Document[]>, from: string, pipeline: Document[]): Document[] {
  const catalog = catalogWith(collections);
  const it = runPipeline({ catalog, db: 'db', collection: catalog.get('db', from), pipeline });
  const out: Document[] = [];
  for (let n = it.next(); !n.done; n = it.next()) out.push(n.value);
  return out;
}

function mingo(collections: Record<string, Document[]>, from: string, pipeline: Document[]): Document[] {
  const resolver = (name: string): Document[] => (collections[name] ?? []).map(cloneDocument);
  return new Aggregator(pipeline, { processingMode: ProcessingMode.CLONE_ALL, collectionResolver: resolver }).run(
    (collections[from] ?? []).map(cloneDocument),
  ) as Document[];
}

/** Same content, ignoring field order (mingo orders $project output differently from MongoDB). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date) && (value as { _bsontype?: unknown })._bsontype === undefined) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Document)[k] !== undefined)
        .map((k) => [k, canonical((value as Document)[k])]),
    );
  }
  return value instanceof ObjectId ? value.toHexString() : value;
}

const users = [
  { _id: oid(1), customer_id: 'a', email: 'a@x', tags: ['x', 'y'], profile: { city: 'Recife', langs: ['pt', 'en'] } },
  { _id: oid(2), customer_id: 'b', email: 'b@x', tags: [], profile: { city: 'Natal', langs: [] } },
  { _id: oid(3), customer_id: 'c', email: 'c@x', profile: { city: 'Recife' } },
];
const orders = [
  { _id: oid(10), customer_id: 'a', cart_id: oid(20).toHexString(), total: 10.5, at: new Date('2025-01-05T00:00:00Z') },
  { _id: oid(11), customer_id: 'a', cart_id: oid(21).toHexString(), total: 2.25, at: new Date('2025-11-30T23:59:59Z') },
  { _id: oid(12), customer_id: 'b', cart_id: oid(22).toHexString(), total: 7, at: new Date('2024-12-31T12:00:00Z') },
  { _id: oid(13), customer_id: 'zz', total: null, at: new Date('2025-06-01T00:00:00Z') },
];
const carts = [
  {
    _id: oid(20),
    lines: [
      { p: 'p1', q: 1 },
      { p: 'p2', q: 2 },
    ],
  },
  { _id: oid(21), lines: [{ p: 'p2', q: 1 }] },
  { _id: oid(22), lines: [] },
];
const data = { users, orders, carts };

const differential: { message: string; from: string; pipeline: Document[] }[] = [
  { message: '$match with operators', from: 'orders', pipeline: [{ $match: { total: { $gte: 5 }, customer_id: { $in: ['a', 'b'] } } }] },
  {
    message: '$project inclusion, exclusion of _id, computed paths',
    from: 'users',
    pipeline: [{ $project: { _id: 0, email: 1, city: '$profile.city', first: { $arrayElemAt: ['$tags', 0] } } }],
  },
  { message: '$project exclusion', from: 'users', pipeline: [{ $project: { profile: 0, tags: 0 } }] },
  {
    message: '$addFields and $set keep other fields',
    from: 'orders',
    pipeline: [{ $addFields: { year: { $year: '$at' }, cents: { $multiply: ['$total', 100] } } }, { $set: { total: '$$REMOVE' } }],
  },
  { message: '$unwind of a top-level array', from: 'users', pipeline: [{ $unwind: '$tags' }] },
  {
    message: '$unwind with includeArrayIndex and preserveNullAndEmptyArrays',
    from: 'users',
    pipeline: [{ $unwind: { path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } }],
  },
  { message: '$unwind of a dotted path', from: 'users', pipeline: [{ $unwind: '$profile.langs' }] },
  {
    message: '$group with every native accumulator',
    from: 'orders',
    pipeline: [
      {
        $group: {
          _id: '$customer_id',
          n: { $sum: 1 },
          total: { $sum: '$total' },
          avg: { $avg: '$total' },
          min: { $min: '$at' },
          max: { $max: '$total' },
          first: { $first: '$_id' },
          last: { $last: '$total' },
          set: { $addToSet: '$customer_id' },
          c: { $count: {} },
        },
      },
    ],
  },
  {
    message: '$group on a compound key',
    from: 'orders',
    pipeline: [{ $group: { _id: { c: '$customer_id', y: { $year: '$at' } }, n: { $sum: 1 } } }, { $sort: { '_id.c': 1, '_id.y': 1 } }],
  },
  {
    message: '$lookup on _id after $toObjectId',
    from: 'orders',
    pipeline: [{ $set: { cart_oid: { $toObjectId: '$cart_id' } } }, { $lookup: { from: 'carts', localField: 'cart_oid', foreignField: '_id', as: 'cart' } }],
  },
  {
    message: '$lookup on a plain field, missing local field',
    from: 'orders',
    pipeline: [{ $lookup: { from: 'users', localField: 'customer_id', foreignField: 'customer_id', as: 'user' } }],
  },
  {
    message: '$lookup then $unwind of its result (run as one stage)',
    from: 'orders',
    pipeline: [
      { $set: { cart_oid: { $toObjectId: '$cart_id' } } },
      { $lookup: { from: 'carts', localField: 'cart_oid', foreignField: '_id', as: 'cart' } },
      { $unwind: '$cart' },
    ],
  },
  {
    message: '$lookup then $unwind with options (two stages)',
    from: 'orders',
    pipeline: [
      { $lookup: { from: 'users', localField: 'customer_id', foreignField: 'customer_id', as: 'user' } },
      { $unwind: { path: '$user', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' } },
    ],
  },
  {
    message: '$unionWith then $group',
    from: 'orders',
    pipeline: [
      { $project: { k: '$customer_id' } },
      { $unionWith: { coll: 'users', pipeline: [{ $project: { k: '$customer_id' } }] } },
      { $group: { _id: '$k', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ],
  },
  {
    message: '$replaceWith, $limit, $skip, $count',
    from: 'orders',
    pipeline: [{ $replaceWith: { who: '$customer_id', t: '$total' } }, { $skip: 1 }, { $limit: 2 }, { $count: 'n' }],
  },
];

describe("native stages give mingo's results", () => {
  for (const { message, from, pipeline } of differential) {
    it(message, () => {
      expect(canonical(engine(data, from, pipeline))).toEqual(canonical(mingo(data, from, pipeline)));
    });
  }
});

describe('$group on a compound key', () => {
  // Many sub-keys under one first key (a node's short list, then its map), values of every
  // kind that groups apart or together (1 and '1' apart, 0 and -0 together, null and missing
  // apart in a compound _id), seen in an order that revisits earlier groups.
  const values: unknown[] = [
    'x',
    'y',
    1,
    '1',
    true,
    'true',
    0,
    -0,
    2.5,
    null,
    undefined,
    new Date(0),
    oid(1),
    { a: 1 },
    [1],
    ...Array.from({ length: 12 }, (_, i) => `m${i}`),
  ];
  const keys: Document[] = [];
  let id = 0;
  for (const round of [0, 1]) {
    for (const a of ['c1', 'c2', 3]) {
      for (const b of round === 0 ? values : [...values].reverse()) keys.push(b === undefined ? { _id: id++, a } : { _id: id++, a, b });
    }
  }
  it("gives mingo's groups, in first-seen order", () => {
    const pipeline = [{ $group: { _id: { a: '$a', b: '$b' }, n: { $sum: 1 }, ids: { $push: '$_id' } } }];
    const got = engine({ keys }, 'keys', pipeline);
    expect(got).toHaveLength(3 * (values.length - 1));
    expect(canonical(got)).toEqual(canonical(mingo({ keys }, 'keys', pipeline)));
  });
});

describe('where the engine follows MongoDB rather than mingo', () => {
  it('never writes into stored documents', () => {
    const catalog = catalogWith({ users });
    const before = JSON.stringify([...catalog.get('db', 'users')!.docs.values()]);
    const pipelines = [
      [{ $unwind: { path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } }],
      [{ $unwind: { path: '$profile.langs', preserveNullAndEmptyArrays: true } }],
      [
        { $lookup: { from: 'users', localField: 'customer_id', foreignField: 'customer_id', as: 'me' } },
        { $unwind: { path: '$me.tags', preserveNullAndEmptyArrays: true } },
      ],
      [{ $bucketAuto: { groupBy: '$customer_id', buckets: 2 } }],
    ];
    for (const pipeline of pipelines) {
      const it = runPipeline({ catalog, db: 'db', collection: catalog.get('db', 'users'), pipeline });
      while (!it.next().done);
    }
    expect(JSON.stringify([...catalog.get('db', 'users')!.docs.values()])).toBe(before);
  });

  it('puts _id first in $project output, then included fields in document order, then computed ones', () => {
    const [doc] = engine(data, 'users', [{ $project: { x: '$customer_id', email: 1, customer_id: 1 } }]);
    expect(Object.keys(doc!)).toEqual(['_id', 'customer_id', 'email', 'x']);
  });

  it('joins an array local field on each foreign document once, then unwinds them (mingo adds nulls for elements without a match)', () => {
    const docs = engine(data, 'orders', [
      { $project: { _id: 1, ids: ['$customer_id', 'c', '$customer_id'] } },
      { $lookup: { from: 'users', localField: 'ids', foreignField: 'customer_id', as: 'user' } },
      { $unwind: { path: '$user' } },
      { $project: { _id: 1, user: '$user.customer_id' } },
    ]);
    expect(docs.map((doc) => [(doc._id as ObjectId).toHexString().slice(-2), doc.user])).toEqual([
      ['0a', 'a'],
      ['0a', 'c'],
      ['0b', 'a'],
      ['0b', 'c'],
      ['0c', 'b'],
      ['0c', 'c'],
      ['0d', 'c'],
    ]);
  });

  it('skips missing values in $push', () => {
    const [group] = engine(data, 'users', [{ $group: { _id: null, tags: { $push: '$tags' } } }]);
    expect(group!.tags).toHaveLength(2);
  });

  it('rounds half to even on the decimal value, as MongoDB does', () => {
    const [doc] = engine({ n: [{ _id: 1, a: 2.51, b: 0.375, c: 2.5, d: 3.5, e: 267.49999999999994 }] }, 'n', [
      { $project: { a: { $round: ['$a', 0] }, b: { $round: ['$b', 2] }, c: { $round: ['$c', 0] }, d: { $round: ['$d', 0] }, e: { $round: ['$e', 0] } } },
    ]);
    expect(doc).toEqual({ _id: 1, a: 3, b: 0.38, c: 2, d: 4, e: 267 });
    expect(roundHalfEven(1250, -2)).toBe(1200);
    expect(roundHalfEven(0.1 + 0.2, 2)).toBe(0.3);
    expect(roundHalfEven(-2.5)).toBe(-2);
  });
});

describe("compiled expressions give mingo's values", () => {
  const docs: Document[] = [
    {
      _id: 1,
      a: 2.5,
      b: 4,
      s: 'x',
      d: new Date('2025-12-31T23:59:59.999Z'),
      arr: [1, 2, 3],
      nested: { n: 5, list: [{ v: 1 }, { v: 2 }] },
      hex: oid(7).toHexString(),
      z: 0,
    },
    { _id: 2, a: null, b: 'str', d: null, arr: 'notarray', nested: [{ n: 1 }, { n: 2 }], hex: 'nothex' },
    { _id: 3 },
  ];
  const expressions: unknown[] = [
    '$a',
    '$nested.n',
    '$nested.list.v',
    '$missing',
    'literal',
    7,
    null,
    { $literal: '$a' },
    { $add: ['$a', '$b', 1] },
    { $multiply: ['$a', '$b'] },
    { $subtract: ['$b', '$a'] },
    { $divide: ['$a', '$b'] },
    { $round: [{ $multiply: ['$a', 100] }, 0] },
    { $round: ['$a', 1] },
    { $month: '$d' },
    { $year: '$d' },
    { $toString: '$_id' },
    { $ifNull: ['$missing', '$a', 0] },
    { $ifNull: ['$a', 'none'] },
    { $concatArrays: ['$arr', [9, '$a']] },
    { $arrayElemAt: ['$arr', -1] },
    { $arrayElemAt: ['$arr', 5] },
    { k: '$s', v: { $divide: ['$b', 2] }, gone: '$missing' },
    ['$a', '$missing'],
    {
      $arrayElemAt: [{ $literal: ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'] }, { $subtract: [{ $month: '$d' }, 1] }],
    },
  ];
  for (const expr of expressions) {
    it(JSON.stringify(expr), () => {
      const pipeline = [{ $project: { _id: 0, v: expr } }];
      let compared = 0;
      for (const doc of docs) {
        let expected: Document[];
        try {
          expected = mingo({ t: [doc] }, 't', pipeline);
        } catch {
          continue; // mingo refuses this input (e.g. $month of null, where MongoDB gives null)
        }
        expect(canonical(engine({ t: [doc] }, 't', pipeline))).toEqual(canonical(expected));
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('falls back to mingo for values of other types, errors included', () => {
    expect(() => engine({ t: [{ _id: 1, a: 'x' }] }, 't', [{ $project: { v: { $multiply: ['$a', 2] } } }])).toThrow();
    const [doc] = engine({ t: [{ _id: 1, hex: oid(9).toHexString() }] }, 't', [{ $project: { v: { $toObjectId: '$hex' } } }]);
    expect(doc!.v).toEqual(oid(9));
    expect(() => engine({ t: [{ _id: 1, hex: 'nothex' }] }, 't', [{ $project: { v: { $toObjectId: '$hex' } } }])).toThrow(/objectId/i);
  });
});

describe('$unwind of values that are not arrays', () => {
  const docs = [
    { _id: 1, cart: { order: { id: 7 } } },
    { _id: 2, cart: { order: null } },
    { _id: 3, cart: {} },
    { _id: 4, cart: { order: [] } },
    { _id: 5, cart: { order: [{ id: 8 }, { id: 9 }] } },
    { _id: 6, cart: [{ order: { id: 10 } }] },
  ];
  for (const spec of ['$cart.order', { path: '$cart.order', preserveNullAndEmptyArrays: true }, { path: '$cart.order', includeArrayIndex: 'i' }]) {
    it(JSON.stringify(spec), () => {
      const pipeline = [{ $unwind: spec }];
      expect(canonical(engine({ t: docs }, 't', pipeline))).toEqual(canonical(mingo({ t: docs }, 't', pipeline)));
    });
  }
});
