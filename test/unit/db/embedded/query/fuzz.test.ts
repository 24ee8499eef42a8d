/**
 * Seeded fuzzing of the engine's query paths: random documents (missing fields, nulls,
 * arrays, nested documents, mixed types), random filters, sorts and projections. The same
 * query must give the same answer
 * - with and without indexes (the planner's candidates and the ordered index walks may narrow
 *   the work, never the answer), and
 * - through the engine's native stages and through mingo alone (the reference of the query
 *   language), for pipelines of `$match`, `$addFields`, `$project`, `$group`, `$sort`, `$limit`.
 * A failure prints its seed; `FUZZ_SEED=<n>` replays one.
 */
import type { Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../../../src/db/embedded/aggregate/run-pipeline.js';
import { MemoryStore } from '../../../../../src/db/embedded/persistence/memory-store.js';
import { findDocuments } from '../../../../../src/db/embedded/query/find.js';
import { Aggregator } from '../../../../../src/db/embedded/query/mingo-context.js';
import { Catalog } from '../../../../../src/db/embedded/storage/catalog.js';
import { cloneDocument } from '../../../../../src/db/embedded/storage/clone.js';
import { seededRandom } from '../../../../helpers/random.js';

type Random = ReturnType<typeof seededRandom>;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Random, n: number): number => Math.floor(r() * n);

const WORDS = ['apple', 'Apple', 'banana', 'cherry', 'date', ''];
const DAY = 86_400_000;
const BASE = Date.UTC(2024, 0, 1);

function value(r: Random, kind: 'a' | 'b' | 'e'): unknown {
  const roll = r();
  if (roll < 0.08) return undefined;
  if (roll < 0.14) return null;
  if (kind === 'a') return roll < 0.3 ? Array.from({ length: int(r, 4) }, () => int(r, 10)) : roll < 0.35 ? pick(r, WORDS) : int(r, 10) + (r() < 0.2 ? 0.5 : 0);
  if (kind === 'b') return roll < 0.25 ? [pick(r, WORDS), pick(r, WORDS)] : pick(r, WORDS);
  return new Date(BASE + int(r, 30) * DAY);
}

function randomDoc(r: Random, id: number): Document {
  const doc: Document = { _id: id };
  for (const field of ['a', 'b', 'e'] as const) {
    const v = value(r, field);
    if (v !== undefined) doc[field] = v;
  }
  if (r() < 0.8) doc.c = r() < 0.15 ? [{ d: int(r, 5) }, { d: int(r, 5) }] : { d: r() < 0.1 ? null : int(r, 5) };
  if (r() < 0.7) doc.f = r() < 0.5;
  return doc;
}

function condition(r: Random, field: string): unknown {
  const scalar = (): unknown => (field === 'b' ? pick(r, WORDS) : field === 'e' ? new Date(BASE + int(r, 30) * DAY) : field === 'f' ? r() < 0.5 : int(r, 10));
  switch (int(r, 9)) {
    case 0:
      return scalar();
    case 1:
      return { $gt: scalar() };
    case 2:
      return { $lte: scalar() };
    case 3:
      return { $gte: scalar(), $lt: scalar() };
    case 4:
      return { $in: [scalar(), scalar(), null] };
    case 5:
      return { $ne: scalar() };
    case 6:
      return { $exists: r() < 0.5 };
    case 7:
      return field === 'b' ? { $regex: pick(r, ['^a', 'an', '^$', 'E$']), $options: pick(r, ['', 'i']) } : { $nin: [scalar(), scalar()] };
    default:
      return { $eq: null };
  }
}

const FIELDS = ['a', 'b', 'c.d', 'e', 'f', '_id'];

function randomFilter(r: Random, depth = 0): Document {
  const roll = r();
  if (depth < 2 && roll < 0.15) return { [pick(r, ['$and', '$or', '$nor'])]: [randomFilter(r, depth + 1), randomFilter(r, depth + 1)] };
  const filter: Document = {};
  const n = 1 + int(r, 2);
  for (let i = 0; i < n; i++) {
    const field = pick(r, FIELDS);
    filter[field] = field === '_id' ? { $lt: int(r, 300) } : condition(r, field === 'c.d' ? 'a' : field);
  }
  return filter;
}

function randomSort(r: Random): Document | undefined {
  if (r() < 0.25) return undefined;
  const sort: Document = {};
  for (let i = 0; i < 1 + int(r, 2); i++) sort[pick(r, ['a', 'b', 'c.d', 'e', 'f'])] = pick(r, [1, -1]);
  sort._id = pick(r, [1, -1]); // ties have no defined order in MongoDB
  return sort;
}

const PROJECTIONS: (Document | undefined)[] = [undefined, { a: 1, b: 1 }, { c: 0 }, { 'c.d': 1, e: 1, _id: 0 }];

function collections(docs: Document[]): { plain: Catalog; indexed: Catalog } {
  const plain = new Catalog(new MemoryStore());
  const indexed = new Catalog(new MemoryStore());
  const p = plain.create('db', 'docs', {});
  const i = indexed.create('db', 'docs', {});
  const specs: Record<string, number>[] = [{ a: 1 }, { b: 1 }, { e: -1 }, { 'c.d': 1 }, { f: 1 }];
  for (const spec of specs) i.addIndex({ v: 2, key: spec, name: Object.keys(spec)[0]! });
  for (const doc of docs) {
    p.insert(cloneDocument(doc));
    i.insert(cloneDocument(doc));
  }
  return { plain, indexed };
}

const all = (iterator: Iterator<Document>): Document[] => {
  const out: Document[] = [];
  for (let next = iterator.next(); !next.done; next = iterator.next()) out.push(next.value);
  return out;
};

const seeds = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [1, 2, 3, 4, 5, 6, 7, 8];

describe('find: the same answer with and without indexes (manual: Indexes; Comparison/Sort Order)', () => {
  it.each(seeds)('seed %i', (seed) => {
    const r = seededRandom(seed);
    const docs = Array.from({ length: 300 }, (_, id) => randomDoc(r, id));
    const { plain, indexed } = collections(docs);
    for (let q = 0; q < 150; q++) {
      const spec = {
        filter: randomFilter(r),
        sort: randomSort(r),
        projection: pick(r, PROJECTIONS),
        skip: r() < 0.2 ? int(r, 20) : undefined,
        limit: r() < 0.4 ? 1 + int(r, 30) : undefined,
      };
      const expected = all(findDocuments(plain.get('db', 'docs'), spec));
      const actual = all(findDocuments(indexed.get('db', 'docs'), spec));
      expect(actual, `seed ${seed}, query ${q}: ${JSON.stringify(spec)}`).toEqual(expected);
    }
  });
});

function randomPipeline(r: Random): Document[] {
  const pipeline: Document[] = [{ $match: randomFilter(r) }];
  if (r() < 0.5) pipeline.push({ $addFields: { g: { $cond: [{ $gt: ['$c.d', 2] }, 'high', 'low'] }, n: { $ifNull: ['$a', 0] } } });
  if (r() < 0.5) {
    pipeline.push({ $group: { _id: pick(r, ['$b', '$f', '$c.d']), count: { $sum: 1 }, first: { $min: '$_id' }, ids: { $push: '$_id' } } });
    pipeline.push({ $sort: { _id: 1 } });
  } else {
    pipeline.push({ $project: { a: 1, b: 1, 'c.d': 1, e: 1 } });
    pipeline.push({ $sort: randomSort(r) ?? { _id: 1 } });
  }
  if (r() < 0.3) pipeline.push({ $limit: 1 + int(r, 20) });
  return pipeline;
}

describe('aggregate: the native stages give mingo’s answers (manual: Aggregation Pipeline)', () => {
  it.each(seeds)('seed %i', (seed) => {
    const r = seededRandom(seed * 7919);
    const docs = Array.from({ length: 200 }, (_, id) => randomDoc(r, id));
    const { indexed } = collections(docs);
    for (let q = 0; q < 60; q++) {
      const pipeline = randomPipeline(r);
      const native = all(runPipeline({ catalog: indexed, db: 'db', collection: indexed.get('db', 'docs'), pipeline }));
      const reference = new Aggregator(pipeline).run(docs.map((d) => cloneDocument(d)));
      expect(native, `seed ${seed}, pipeline ${q}: ${JSON.stringify(pipeline)}`).toEqual(reference);
    }
  });
});
