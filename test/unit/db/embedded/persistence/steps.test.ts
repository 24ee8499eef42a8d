/**
 * Long writes in steps on the durable store: an $out fills its staging collection in several
 * transactions and swaps it in with the last; a drop outside a transaction deletes a step at
 * a time; and what such a write leaves when it is cut short (temporary collections) is
 * dropped at the next open.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Document } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { writeOut } from '../../../../../src/db/embedded/aggregate/write-stages.js';
import { LmdbStore } from '../../../../../src/db/embedded/persistence/lmdb-store.js';
import { Catalog } from '../../../../../src/db/embedded/storage/catalog.js';

const dirs: string[] = [];
const stores: LmdbStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  dir: string;
  store: LmdbStore;
  catalog: Catalog;
  /** The temporary collections the open left out of the catalog. */
  leftovers: number[];
}

function openStore(dir?: string): Opened {
  const at = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dd-steps-'));
  if (!dir) dirs.push(at);
  const store = new LmdbStore(at, { cacheSize: 1 << 20 });
  stores.push(store);
  const catalog = new Catalog(store);
  const leftovers = catalog.loadFromStore();
  return { dir: at, store, catalog, leftovers };
}

async function reopen(opened: { dir: string; store: LmdbStore }): Promise<Opened> {
  await opened.store.close();
  stores.splice(stores.indexOf(opened.store), 1);
  return openStore(opened.dir);
}

/** Every collection record the store holds, temporary ones included. */
function stored(store: LmdbStore): { name: string; temporary: boolean }[] {
  return [...store.load()].map((record) => ({ name: record.name, temporary: record.temporary === true }));
}

const docs = (n: number, from = 0): Document[] => Array.from({ length: n }, (_, i) => ({ _id: from + i, v: (from + i) % 7, filler: 'z'.repeat(200) }));

/** An iterator that counts the store's commits it sees (steps) and may fail after `failAt` documents. */
function source(list: Document[], store: LmdbStore, failAt = Infinity): { iterator: Iterator<Document>; steps: () => number } {
  let at = 0;
  let steps = 0;
  let lastPending = 0;
  return {
    steps: () => steps,
    iterator: {
      next: () => {
        if (store.pendingBytes < lastPending) steps++; // a commit started a new transaction
        lastPending = store.pendingBytes;
        if (at === failAt) throw new Error('the pipeline failed');
        return at < list.length ? { done: false, value: list[at++]! } : { done: true, value: undefined };
      },
    },
  };
}

describe('$out in steps', () => {
  it('commits its staging collection in several transactions and swaps in the whole result, with the target indexes', () => {
    const { store, catalog } = openStore();
    const target = store.transaction(() => {
      const old = catalog.create('shop', 'copy', {});
      old.insert({ _id: 'old' });
      old.addIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
      old.persistIndexes();
      return old;
    });
    const input = source(docs(3000), store);
    writeOut(catalog, { db: 'shop', coll: 'copy' }, input.iterator, 64 * 1024);
    expect(input.steps()).toBeGreaterThan(3);
    const copy = catalog.get('shop', 'copy')!;
    expect(copy.size).toBe(3000);
    expect(copy.findById(2999)).toMatchObject({ _id: 2999, v: 2999 % 7 });
    expect(copy.indexSpecs().map((spec) => spec.name)).toEqual(['_id_', 'v_1']);
    expect([...copy.secondaryIndexes()[0]!.lookup(3)].length).toBe(Math.ceil((3000 - 3) / 7));
    // the replaced target is gone from the store, records and all
    expect(store.recordIds(target.storeId)).toEqual([]);
    expect(stored(store)).toEqual([{ name: 'copy', temporary: false }]);
  });

  it('leaves the target as it was and no staging collection when the pipeline fails after some steps', () => {
    const { store, catalog } = openStore();
    store.transaction(() => catalog.create('shop', 'copy', {}).insert({ _id: 'old' }));
    const input = source(docs(3000), store, 2500);
    expect(() => writeOut(catalog, { db: 'shop', coll: 'copy' }, input.iterator, 64 * 1024)).toThrow('the pipeline failed');
    expect(input.steps()).toBeGreaterThan(3);
    expect([...catalog.get('shop', 'copy')!.docs.values()]).toEqual([{ _id: 'old' }]);
    expect(stored(store)).toEqual([{ name: 'copy', temporary: false }]);
  });
});

describe('temporary collections', () => {
  it('are dropped at the next open when a write was cut short, and are never listed', async () => {
    const opened = openStore();
    const staging = opened.store.transaction(() => {
      const temp = opened.catalog.create('shop', 'tmp.agg_out.1', {}, [], undefined, true);
      for (const doc of docs(500)) temp.insert(doc);
      return temp;
    });
    opened.store.transaction(() => opened.catalog.create('shop', 'kept', {}).insert({ _id: 1 }));
    const again = await reopen(opened); // as after kill -9 before the swap
    expect(again.catalog.get('shop', 'tmp.agg_out.1')).toBeUndefined();
    expect(again.leftovers).toEqual([staging.storeId]);
    expect(again.catalog.dropLeftovers(again.leftovers)).toEqual({ dropped: 1 });
    expect(again.store.recordIds(staging.storeId)).toEqual([]);
    expect(stored(again.store)).toEqual([{ name: 'kept', temporary: false }]);
    expect((await reopen(again)).leftovers).toEqual([]);
  });

  it('become kept collections when renamed', async () => {
    const opened = openStore();
    opened.store.transaction(() => {
      const temp = opened.catalog.create('shop', 'tmp.agg_out.2', {}, [], undefined, true);
      temp.insert({ _id: 1 });
      opened.catalog.replaceWith(temp, 'result');
    });
    const again = await reopen(opened);
    expect(again.leftovers).toEqual([]);
    expect([...again.catalog.get('shop', 'result')!.docs.values()]).toEqual([{ _id: 1 }]);
  });
});

describe('a drop outside a transaction', () => {
  it('deletes a collection larger than one step, its records, ids and postings, and its record', async () => {
    const opened = openStore();
    const big = opened.store.transaction(() => {
      const collection = opened.catalog.create('shop', 'big', {});
      collection.addIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
      collection.persistIndexes();
      for (const doc of docs(20_000)) collection.insert(doc);
      return collection;
    });
    opened.store.transaction(() => opened.catalog.create('shop', 'other', {}).insert({ _id: 'x', v: 1 }));
    opened.catalog.drop('shop', 'big');
    expect(opened.store.recordIds(big.storeId)).toEqual([]);
    const again = await reopen(opened);
    expect(stored(again.store)).toEqual([{ name: 'other', temporary: false }]);
    const other = again.catalog.get('shop', 'other')!;
    expect([...other.docs.values()]).toEqual([{ _id: 'x', v: 1 }]);
  });
});
