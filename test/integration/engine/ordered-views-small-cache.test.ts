/**
 * Sorted pages and ranges on an indexed field of a collection far bigger than a durable
 * engine's document cache (16 KiB for about 1 MiB of documents): what the engine answers from
 * an ordered view of the index (query/ordered-view.ts, which keeps no documents and reads them
 * back through the cache) must be what a sort and a filter done here give, through inserts,
 * updates and deletes between the queries. The same queries run on the suite's server too
 * (a real MongoDB under MONGODB_URI), so the expected answers are MongoDB's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../../src/db/embedded/engine.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { seededRandom } from '../../helpers/random.js';

const CACHE = 16 * 1024;
const DOCS = 2500;
const PAD = 'x'.repeat(400);

type Value = number | string | null;

interface Item {
  _id: number;
  v?: Value;
  /** A second indexed value, at a dotted path (`n.x`). */
  n: { x?: Value };
  w: number;
  pad: string;
}

/** The indexed fields: a top-level one and a dotted path, whose views read only the top-level field `n`. */
const FIELDS = ['v', 'n.x'] as const;
type Field = (typeof FIELDS)[number];

const at = (doc: Item, field: Field): Value | undefined => (field === 'v' ? doc.v : doc.n.x);

type Rand = () => number;

/** Numbers with many ties, some fractions, strings, nulls and missing values: a view orders them by type, then value. */
function value(rand: Rand): Value | undefined {
  const r = rand();
  if (r < 0.05) return undefined;
  if (r < 0.1) return null;
  if (r < 0.25) return `k${Math.floor(rand() * 30)}`;
  if (r < 0.35) return Math.floor(rand() * 100) / 4 - 5;
  return Math.floor(rand() * 60) - 10;
}

function item(rand: Rand, id: number): Item {
  const v = value(rand);
  const x = value(rand);
  return { _id: id, ...(v === undefined ? {} : { v }), n: x === undefined ? {} : { x }, w: Math.floor(rand() * 8), pad: PAD };
}

/** MongoDB's sort order of the values above: null and missing alike first, then numbers, then strings. */
function rankOf(v: unknown): number {
  return v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : 2;
}

function compareValues(a: unknown, b: unknown): number {
  const ra = rankOf(a);
  const rb = rankOf(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}

type Sort = Record<string, 1 | -1>;

function sortItems(items: Item[], sort: Sort): Item[] {
  const keys = Object.entries(sort);
  const get = (doc: Item, key: string): unknown => (key === 'v' || key === 'n.x' ? at(doc, key) : doc[key as '_id' | 'w']);
  return [...items].sort((a, b) => {
    for (const [key, direction] of keys) {
      const order = compareValues(get(a, key), get(b, key));
      if (order !== 0) return order * direction;
    }
    return 0;
  });
}

/**
 * A filter and its test here: a range of numbers or of strings on an indexed field
 * (comparisons match one type only), maybe with a condition on `w`.
 */
function randomFilter(rand: Rand, field: Field): { filter: Record<string, unknown>; test: (doc: Item) => boolean } {
  const r = rand();
  if (r < 0.2) return { filter: {}, test: () => true };
  if (r < 0.35) {
    const low = `k${Math.floor(rand() * 30)}`;
    const high = `k${Math.floor(rand() * 30)}`;
    return {
      filter: { [field]: { $gte: low, $lt: high } },
      test: (doc) => {
        const v = at(doc, field);
        return typeof v === 'string' && v >= low && v < high;
      },
    };
  }
  const low = Math.floor(rand() * 50) - 12;
  const high = low + Math.floor(rand() * 30);
  const above = (doc: Item): boolean => {
    const v = at(doc, field);
    return typeof v === 'number' && v > low;
  };
  const range = (doc: Item): boolean => above(doc) && (at(doc, field) as number) <= high;
  if (r < 0.7) return { filter: { [field]: { $gt: low, $lte: high } }, test: range };
  if (r < 0.85) return { filter: { [field]: { $gt: low }, w: { $ne: 3 } }, test: (doc) => above(doc) && doc.w !== 3 };
  return { filter: { $and: [{ [field]: { $gt: low } }, { [field]: { $lte: high } }, { w: { $lt: 5 } }] }, test: (doc) => range(doc) && doc.w < 5 };
}

/** Sorts on an indexed field first, ties broken by `_id` (MongoDB leaves the order of ties open), sometimes by `w` before that. */
function randomSort(rand: Rand, field: Field): Sort {
  const direction = rand() < 0.5 ? 1 : -1;
  if (rand() < 0.3) return { [field]: direction, w: rand() < 0.5 ? 1 : -1, _id: direction };
  return { [field]: direction, _id: rand() < 0.5 ? 1 : -1 };
}

/** The same random writes on `collection` and on `items` (the expected state). */
async function churn(rand: Rand, collection: Collection<Item>, items: Map<number, Item>, nextId: { n: number }): Promise<void> {
  const fresh = Array.from({ length: 150 }, () => item(rand, nextId.n++));
  await collection.insertMany(fresh.map((doc) => structuredClone(doc)));
  for (const doc of fresh) items.set(doc._id, doc);
  const ids = [...items.keys()];
  for (let i = 0; i < 40; i++) {
    const id = ids[Math.floor(rand() * ids.length)]!;
    const v = value(rand);
    const x = value(rand);
    await collection.updateOne({ _id: id }, v === undefined ? { $unset: { v: '' } } : { $set: { v } });
    await collection.updateOne({ _id: id }, x === undefined ? { $unset: { 'n.x': '' } } : { $set: { 'n.x': x } });
    const doc = items.get(id)!;
    if (v === undefined) delete doc.v;
    else doc.v = v;
    if (x === undefined) delete doc.n.x;
    else doc.n.x = x;
  }
  const threshold = Math.floor(rand() * 8);
  const victims = ids.filter((id) => id % 17 === threshold);
  await collection.deleteMany({ _id: { $in: victims } });
  for (const id of victims) items.delete(id);
}

const ids = (docs: readonly { _id: number }[]): number[] => docs.map((doc) => doc._id);

/** Four rounds of pages, ranges and counts, with writes between them, checked against `items`. */
async function exercise(db: Db, seed: number): Promise<number> {
  const rand = seededRandom(seed);
  const collection = db.collection<Item>('items');
  for (const field of FIELDS) await collection.createIndex({ [field]: 1 });
  const items = new Map<number, Item>();
  const first = Array.from({ length: DOCS }, (_, i) => item(rand, i));
  for (let from = 0; from < first.length; from += 500) await collection.insertMany(first.slice(from, from + 500).map((doc) => structuredClone(doc)));
  for (const doc of first) items.set(doc._id, doc);
  const nextId = { n: DOCS };
  let checked = 0;
  for (let round = 0; round < 4; round++) {
    if (round > 0) await churn(rand, collection, items, nextId);
    for (let q = 0; q < 16; q++) {
      const field = FIELDS[Math.floor(rand() * FIELDS.length)]!;
      const { filter, test } = randomFilter(rand, field);
      const sort = randomSort(rand, field);
      const skip = rand() < 0.5 ? Math.floor(rand() * 300) : 0;
      const limit = 1 + Math.floor(rand() * 40);
      const context = JSON.stringify({ seed, round, q, filter, sort, skip, limit });
      const matches = [...items.values()].filter(test);
      const page = await collection.find(filter, { sort, skip, limit }).toArray();
      expect(ids(page), context).toEqual(ids(sortItems(matches, sort).slice(skip, skip + limit)));
      // The whole documents, not only their ids: read back through the cache, not the view's keys.
      expect(page, context).toEqual(sortItems(matches, sort).slice(skip, skip + limit));
      // A range without a sort: the same documents, in an order MongoDB leaves open.
      const all = await collection.find(filter).toArray();
      expect(
        ids(all).sort((a, b) => a - b),
        context,
      ).toEqual(ids(matches).sort((a, b) => a - b));
      expect(await collection.countDocuments(filter), context).toBe(matches.length);
      checked += page.length;
    }
  }
  return checked;
}

describe('sorted pages and ranges on an indexed field, with far more data than the cache', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-ordered-views-'));
  let engine: EmbeddedEngine;
  let client: MongoClient;
  let shared: TestDatabase;

  beforeAll(async () => {
    engine = new EmbeddedEngine({ dataDir, cacheSize: CACHE });
    await engine.start();
    client = await MongoClient.connect(engine.uri);
    shared = await openTestDatabase('ordered-views');
  });

  afterAll(async () => {
    await client?.close();
    await engine?.stop();
    await shared?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('give the documents a sort and a filter give, through writes, on a durable engine with a 16 KiB cache', async () => {
    const checked = await exercise(client.db('views'), 5);
    expect(checked).toBeGreaterThan(300); // pages that hold documents, not only empty ones
  }, 120_000);

  it("give the same on the suite's server", async () => {
    const checked = await exercise(shared.db, 5);
    expect(checked).toBeGreaterThan(300);
  }, 120_000);
});
