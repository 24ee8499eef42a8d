/**
 * Sorted and range finds answered from an index's ordered view must give exactly what the
 * scan and mingo's sort give: the same documents in the same order, for random documents of
 * mixed types, random range filters and random sorts (ties included: no `_id` tie-breaker
 * unless drawn), through inserts, updates and deletes.
 */
import { Decimal128, type Document, Int32, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../../../src/db/embedded/persistence/memory-store.js';
import { findDocuments } from '../../../../../src/db/embedded/query/find.js';
import { Query } from '../../../../../src/db/embedded/query/mingo-context.js';
import { viewFor } from '../../../../../src/db/embedded/query/ordered-find.js';
import { OrderedView } from '../../../../../src/db/embedded/query/ordered-view.js';
import { candidateDocuments } from '../../../../../src/db/embedded/query/planner.js';
import { compareRanked } from '../../../../../src/db/embedded/query/sort-rank.js';
import { Catalog } from '../../../../../src/db/embedded/storage/catalog.js';
import { MemoryRecords } from '../../../../../src/db/embedded/storage/records.js';
import { valueKey } from '../../../../../src/db/embedded/storage/value-key.js';
import { cloneDocument } from '../../../../../src/db/embedded/storage/clone.js';
import type { Collection } from '../../../../../src/db/embedded/storage/collection.js';
import { seededRandom } from '../../../../helpers/random.js';

const random = seededRandom;

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const oid = (n: number): ObjectId => new ObjectId(n.toString(16).padStart(24, '0'));

/** A value MongoDB and mingo order plainly: numbers (few distinct, for ties), null, strings, dates, booleans, ObjectIds. */
function rankedValue(rand: Rand): unknown {
  switch (Math.floor(rand() * 10)) {
    case 0:
      return null;
    case 1:
      return pick(rand, ['a', 'b', 'ab', 'B', '', 'é']);
    case 2:
      return new Date(Date.UTC(2025, 0, 1 + Math.floor(rand() * 5)));
    case 3:
      return rand() < 0.5;
    case 4:
      return oid(1 + Math.floor(rand() * 4));
    case 5:
      return pick(rand, [-0, 0, Infinity, -Infinity, 2.5, -2.5]);
    default:
      return Math.floor(rand() * 12) - 3;
  }
}

/** Also values mingo orders in ways an index cannot follow: arrays, NaN, Long, Decimal128, documents. */
function mixedValue(rand: Rand): unknown {
  switch (Math.floor(rand() * 8)) {
    case 0:
      return [rankedValue(rand), rankedValue(rand)];
    case 1:
      return [];
    case 2:
      return pick(rand, [NaN, new Long(3), new Int32(2), new Decimal128('1.5'), { x: 1 }]);
    default:
      return rankedValue(rand);
  }
}

function makeDoc(rand: Rand, id: unknown, value: (rand: Rand) => unknown): Document {
  const doc: Document = { _id: id };
  if (rand() > 0.1) doc.v = value(rand);
  if (rand() > 0.1) doc.w = rankedValue(rand);
  doc.n = Math.floor(rand() * 4);
  return doc;
}

/** A range operand: mostly numbers near the data, sometimes another type. */
function operand(rand: Rand): unknown {
  return rand() < 0.75 ? Math.floor(rand() * 14) - 4 + (rand() < 0.2 ? 0.5 : 0) : rankedValue(rand);
}

function randomFilter(rand: Rand): Document {
  const parts: Document[] = [];
  const conditions = Math.floor(rand() * 3);
  for (let i = 0; i < conditions; i++) {
    const op = pick(rand, ['$gt', '$gte', '$lt', '$lte', '$eq', 'literal']);
    parts.push(op === 'literal' ? { v: operand(rand) } : { v: { [op]: operand(rand) } });
  }
  if (rand() < 0.3) parts.push({ n: { $ne: 1 } });
  if (rand() < 0.2) parts.push({ $or: [{ w: { $gte: 2 } }, { w: null }] });
  if (rand() < 0.15) parts.push({ n: 2 });
  if (parts.length === 0) return {};
  if (parts.length === 1 && rand() < 0.5) return parts[0]!;
  return { $and: parts };
}

function randomSort(rand: Rand): Document {
  const sort: Document = { v: rand() < 0.5 ? 1 : -1 };
  if (rand() < 0.5) sort.w = rand() < 0.5 ? 1 : -1;
  if (rand() < 0.3) sort.n = rand() < 0.5 ? 1 : -1;
  if (rand() < 0.5) sort._id = rand() < 0.5 ? 1 : -1;
  return sort;
}

function recordsOf(docs: readonly Document[]): MemoryRecords {
  const records = new MemoryRecords();
  for (const doc of docs) records.set(valueKey(doc._id), doc);
  return records;
}

function run(collection: Collection, spec: Parameters<typeof findDocuments>[1]): Document[] {
  const out: Document[] = [];
  const it = findDocuments(collection, spec);
  for (let next = it.next(); !next.done; next = it.next()) out.push(next.value);
  return out;
}

/** Two collections with the same documents in the same order: one indexed on `v`, one not. */
function twins(docs: Document[]): { indexed: Collection; plain: Collection } {
  const catalog = new Catalog(new MemoryStore());
  const indexed = catalog.create('db', 'indexed', {});
  const plain = catalog.create('db', 'plain', {});
  indexed.addIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
  for (const doc of docs) {
    indexed.insert(cloneDocument(doc));
    plain.insert(cloneDocument(doc));
  }
  return { indexed, plain };
}

/**
 * Applies the same random writes to both: deletes, inserts, and updates of the other fields.
 * (An update that changes `v` moves the document to the end of its equality posting, which
 * orders equality look-ups differently from the scan; those finds are not what this tests.)
 */
function churn(rand: Rand, collections: Collection[], value: (rand: Rand) => unknown, nextId: () => number): void {
  const ids = [...collections[0]!.docs.values()].map((doc) => doc._id);
  for (let i = 0; i < 15; i++) {
    const id = pick(rand, ids);
    const action = rand();
    const fresh = makeDoc(rand, nextId(), value);
    for (const collection of collections) {
      const doc = collection.findById(id);
      if (action < 0.25) collection.insert(cloneDocument(fresh));
      else if (!doc) continue;
      else if (action < 0.5) collection.delete(doc);
      else {
        const { v: _v, ...rest } = fresh;
        collection.replace(doc, { ...rest, _id: id, ...('v' in doc ? { v: doc.v } : {}) });
      }
    }
  }
}

function compareQueries(seed: number, value: (rand: Rand) => unknown, expectView: boolean): void {
  const rand = random(seed);
  const docs = Array.from({ length: 120 }, (_, i) => makeDoc(rand, rand() < 0.5 ? i : oid(1000 + i), value));
  const { indexed, plain } = twins(docs);
  let id = 10_000;
  let sorted = 0;
  let viewed = 0;
  for (let round = 0; round < 4; round++) {
    if (round > 0) churn(rand, [indexed, plain], value, () => id++);
    for (let q = 0; q < 40; q++) {
      const filter = randomFilter(rand);
      const sort = rand() < 0.85 ? randomSort(rand) : undefined;
      // Skips past several groups of ties too (a find without a filter leaves them unread).
      const skip = rand() < 0.3 ? Math.floor(rand() * (rand() < 0.5 ? 5 : 60)) : undefined;
      const limit = rand() < 0.7 ? 1 + Math.floor(rand() * 25) : undefined;
      const spec = { filter, sort, skip, limit, projection: rand() < 0.2 ? { w: 0 } : undefined };
      const context = JSON.stringify({ seed, round, q, spec });
      expect(run(indexed, spec), context).toEqual(run(plain, spec));
      // The candidates a count or a delete tests hold every match (in posting order when
      // an equality index gives them, as before).
      const test = new Query(filter);
      expect(new Set([...candidateDocuments(indexed, filter, { buildViews: true })].filter((doc) => test.test(doc))), context).toEqual(
        new Set([...plain.docs.values()].filter((doc) => test.test(doc))),
      );
      if (sort) {
        sorted++;
        const view = viewFor(indexed, 'v', false);
        if (view) viewed++;
        if (!expectView) expect(view, context).toBeFalsy();
      }
    }
  }
  // With ranked values most sorted finds walk the view (the others use an equality look-up).
  if (expectView) expect(viewed / sorted).toBeGreaterThan(0.5);
}

describe('finds over an ordered view of an index', () => {
  it('return what the scan and mingo sort return, for ranked values of every kind, with ties, through writes', () => {
    for (let seed = 1; seed <= 8; seed++) compareQueries(seed, rankedValue, true);
  });

  it('leave arrays, NaN, Longs and documents to mingo, with the same results', () => {
    for (let seed = 100; seed <= 106; seed++) compareQueries(seed, mixedValue, false);
  });

  it('keep the view between reads and drop it on a write', () => {
    const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: i, v: i % 250, w: i }));
    const { indexed } = twins(docs);
    const seen = new Set<unknown>();
    // A filter that records what it is asked about: only the top of the range.
    const filter = { $and: [{ v: { $gte: 10 } }, { w: { $gte: 0 } }] };
    const spec = { filter, sort: { v: -1, _id: -1 }, limit: 5 };
    const result = run(indexed, spec);
    expect(result.map((doc) => doc._id)).toEqual([999, 749, 499, 249, 998]);
    const view = viewFor(indexed, 'v', false)!;
    expect(view).toBeTruthy();
    seen.add(view);
    // The same query again reuses the view; an insert drops it.
    run(indexed, spec);
    expect(seen.has(viewFor(indexed, 'v', false))).toBe(true);
    indexed.insert({ _id: 5000, v: 249, w: 0 });
    expect(viewFor(indexed, 'v', false)).toBeUndefined();
    expect(run(indexed, spec).map((doc) => doc._id)).toEqual([5000, 999, 749, 499, 249]);
  });

  it("orders thousands of values of every rank as a stable sort by mingo's comparison does", () => {
    const rand = random(42);
    const numbers = [-0, 0, Infinity, -Infinity, Number.MAX_VALUE, -Number.MIN_VALUE, Number.MIN_VALUE, 2 ** 53 + 2, -(2 ** 40)];
    const docs = Array.from({ length: 3000 }, (_, i) => {
      const r = rand();
      const v =
        r < 0.5
          ? (rand() - 0.5) * 10 ** Math.floor(rand() * 12)
          : r < 0.6
            ? pick(rand, numbers)
            : r < 0.7
              ? Math.floor(rand() * 5)
              : r < 0.8
                ? new Date(Math.floor((rand() - 0.3) * 4e12))
                : rankedValue(rand);
      return { _id: i, v };
    });
    const view = OrderedView.build(recordsOf(docs), 'v')!;
    const walked = Array.from({ length: view.size }, (_, slot) => view.doc(slot)!);
    const expected = [...docs].sort((a, b) => compareRanked(a.v, b.v)); // stable: ties keep natural order
    expect(walked.map((doc) => doc._id)).toEqual(expected.map((doc) => doc._id));
    expect(walked.map((doc) => doc._id)).toEqual(
      new Query({})
        .find<Document>(docs)
        .sort({ v: 1 })
        .all()
        .map((doc) => doc._id),
    ); // mingo itself
    expect(OrderedView.build(recordsOf([...docs, { _id: 'x', v: [1] }]), 'v')).toBeUndefined();
  });
  it("page by `_id` from the collection's own view, as mingo sorts every match, through writes", () => {
    const rand = random(7);
    const catalog = new Catalog(new MemoryStore());
    const collection = catalog.create('db', 'ids', {});
    // _ids of several ranks (numbers, strings, ObjectIds, dates), as a collection may hold.
    const idOf = (i: number): unknown => [i, `k${(i * 7919) % 1000}`, oid(5000 + i), new Date(Date.UTC(2025, 0, 1) + i * 1000)][i % 4];
    for (let i = 0; i < 400; i++) collection.insert({ _id: idOf(i), n: Math.floor(rand() * 4) });
    let next = 400;
    for (let round = 0; round < 5; round++) {
      for (let q = 0; q < 30; q++) {
        const bound = idOf(Math.floor(rand() * 400));
        const filter: Document = rand() < 0.5 ? { _id: { [pick(rand, ['$gt', '$gte', '$lt', '$lte'])]: bound } } : rand() < 0.5 ? { n: { $ne: 1 } } : {};
        const sort = { _id: rand() < 0.5 ? 1 : -1 };
        const skip = Math.floor(rand() * 3);
        const limit = 1 + Math.floor(rand() * 20);
        const expected = new Query(filter)
          .find<Document>([...collection.docs.values()])
          .sort(sort)
          .all()
          .slice(skip, skip + limit);
        expect(run(collection, { filter, sort, skip, limit }), JSON.stringify({ round, q, filter, sort })).toEqual(expected);
        expect(viewFor(collection, '_id', false), 'a sorted page builds the view').toBeTruthy();
      }
      // Writes drop the view; the next page sees them.
      const victim = [...collection.docs.values()][Math.floor(rand() * collection.size)]!;
      collection.delete(victim);
      expect(viewFor(collection, '_id', false)).toBeUndefined();
      collection.insert({ _id: idOf(next++), n: 0 });
      collection.replace(collection.findById(idOf(3))!, { _id: idOf(3), n: 3 });
      expect(viewFor(collection, '_id', false)).toBeUndefined();
    }
  });
});
