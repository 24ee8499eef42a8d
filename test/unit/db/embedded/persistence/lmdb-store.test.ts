/**
 * The storage layer on its own: the document cache's eviction, records in LMDB (natural
 * order, replacement in place, counts and postings kept across a reopen, nothing decoded at
 * open), undone transactions, and the cache size settings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serialize, type Document } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { LmdbStore } from '../../../../../src/db/embedded/persistence/lmdb-store.js';
import { defaultCacheSize, parseCacheSize } from '../../../../../src/db/embedded/storage/cache-size.js';
import { Catalog } from '../../../../../src/db/embedded/storage/catalog.js';
import { DocCache, decodedBytes } from '../../../../../src/db/embedded/storage/doc-cache.js';

const dirs: string[] = [];
const stores: LmdbStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-storage-'));
  dirs.push(dir);
  return dir;
}

function openStore(dir: string, cacheSize = 1 << 20): { store: LmdbStore; catalog: Catalog } {
  const store = new LmdbStore(dir, { cacheSize });
  stores.push(store);
  const catalog = new Catalog(store);
  catalog.loadFromStore();
  return { store, catalog };
}

async function reopen(dir: string, store: LmdbStore, cacheSize?: number): Promise<{ store: LmdbStore; catalog: Catalog }> {
  await store.close();
  stores.splice(stores.indexOf(store), 1);
  return openStore(dir, cacheSize);
}

describe('DocCache', () => {
  it('stays within its bytes, evicting the oldest entries not read since they came round', () => {
    const per = decodedBytes(100);
    const cache = new DocCache(per * 3);
    for (const rid of [1, 2, 3]) cache.set(rid, { rid }, 100);
    expect(cache.get(1)).toEqual({ rid: 1 }); // referenced: gets a second chance
    cache.set(4, { rid: 4 }, 100);
    expect(cache.bytes).toBeLessThanOrEqual(per * 3);
    expect(cache.get(2)).toBeUndefined(); // the oldest unreferenced one went
    expect([1, 3, 4].map((rid) => cache.get(rid)?.rid)).toEqual([1, 3, 4]);
  });

  it('replaces a new version in place of the old, and refuses an entry larger than itself', () => {
    const cache = new DocCache(decodedBytes(100) * 2);
    cache.set(1, { v: 1 }, 100);
    cache.set(1, { v: 2 }, 100);
    expect(cache.count).toBe(1);
    expect(cache.get(1)).toEqual({ v: 2 });
    cache.set(2, { big: true }, 10_000);
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toEqual({ v: 2 });
  });
});

describe('LMDB records', () => {
  it('keeps natural order, replaces in place, and gives it all back after a reopen without decoding at open', async () => {
    const dir = tempDir();
    let { store, catalog } = openStore(dir);
    store.transaction(() => {
      const orders = catalog.create('shop', 'orders', { validator: { total: { $gte: 0 } } });
      for (const id of ['c', 'a', 'b', 'd']) orders.insert({ _id: id, total: 1 });
      orders.addIndex({ v: 2, key: { total: 1 }, name: 'total_1' });
      orders.persistIndexes();
    });
    store.transaction(() => {
      const orders = catalog.get('shop', 'orders')!;
      orders.replace(orders.findById('a')!, { _id: 'a', total: 5 });
      orders.delete(orders.findById('d')!);
      orders.insert({ _id: 'e', total: 5 });
    });
    ({ store, catalog } = await reopen(dir, store));
    const orders = catalog.get('shop', 'orders')!;
    expect(store.cache.count + store.cache.misses).toBe(0); // opening read the catalog only
    expect(orders.options).toEqual({ validator: { total: { $gte: 0 } } });
    expect(orders.size).toBe(4);
    expect([...orders.docs.values()]).toEqual([
      { _id: 'c', total: 1 },
      { _id: 'a', total: 5 },
      { _id: 'b', total: 1 },
      { _id: 'e', total: 5 },
    ]);
    const byTotal = orders.secondaryIndexes()[0]!;
    expect([...byTotal.lookup(5)].sort()).toEqual(['sa', 'se']);
    expect([...byTotal.lookup(1)].sort()).toEqual(['sb', 'sc']);
  });

  it('stores the BSON it is given, byte for byte', () => {
    const { store, catalog } = openStore(tempDir());
    const raw = serialize({ _id: 1, n: 2.5, s: 'x' });
    store.transaction(() => catalog.getOrCreate('shop', 'raw').insert({ _id: 1, n: 2.5, s: 'x' }, raw));
    const stored = [...store.recordsDb.getRange({})].map((entry) => entry.value).filter((value) => value.length === raw.length);
    expect(stored.map((value) => Buffer.compare(value, Buffer.from(raw)))).toEqual([0]);
  });

  it('undoes a failed transaction whole: documents, postings, collections and counts', async () => {
    const dir = tempDir();
    let { store, catalog } = openStore(dir);
    store.transaction(() => {
      const users = catalog.create('shop', 'users', {});
      users.addIndex({ v: 2, key: { email: 1 }, name: 'email_1', unique: true });
      users.persistIndexes();
      users.insert({ _id: 1, email: 'a@x' });
    });
    expect(() =>
      store.transaction(() => {
        catalog.get('shop', 'users')!.insert({ _id: 2, email: 'b@x' });
        catalog.create('shop', 'other', {});
        catalog.get('shop', 'users')!.insert({ _id: 3, email: 'a@x' }); // DuplicateKey
      }),
    ).toThrow(/E11000/);
    const check = (c: Catalog): void => {
      const users = c.get('shop', 'users')!;
      expect(c.get('shop', 'other')).toBeUndefined();
      expect(users.size).toBe(1);
      expect([...users.docs.values()]).toEqual([{ _id: 1, email: 'a@x' }]);
      expect([...users.secondaryIndexes()[0]!.lookup('b@x')]).toEqual([]);
    };
    check(catalog);
    store.transaction(() => catalog.get('shop', 'users')!.insert({ _id: 2, email: 'b@x' }));
    ({ store, catalog } = await reopen(dir, store));
    expect(catalog.get('shop', 'users')!.size).toBe(2);
    expect(() => store.transaction(() => catalog.get('shop', 'users')!.insert({ _id: 9, email: 'b@x' }))).toThrow(/E11000/);
  });

  it('reads every document through a cache far smaller than the collection', async () => {
    const dir = tempDir();
    let { store, catalog } = openStore(dir, 16 * 1024);
    const docs: Document[] = Array.from({ length: 3000 }, (_, i) => ({ _id: i, name: `customer ${i}`, tags: ['a', 'b'], n: i % 7 }));
    store.transaction(() => {
      const users = catalog.create('shop', 'users', {});
      for (const doc of docs) users.insert(doc);
    });
    ({ store, catalog } = await reopen(dir, store, 16 * 1024));
    const users = catalog.get('shop', 'users')!;
    expect([...users.docs.values()]).toEqual(docs);
    expect(store.cache.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(users.findById(2999)).toEqual(docs[2999]);
    expect(users.docs.get('n12345')).toBeUndefined();
  });

  it('drops a collection with its documents and postings, and clears one keeping its indexes', () => {
    const { store, catalog } = openStore(tempDir());
    store.transaction(() => {
      for (const name of ['kept', 'gone']) {
        const c = catalog.create('shop', name, {});
        c.addIndex({ v: 2, key: { n: 1 }, name: 'n_1' });
        c.persistIndexes();
        for (let i = 0; i < 5000; i++) c.insert({ _id: i, n: i % 10 });
      }
    });
    const entries = (): number => [...store.recordsDb.getKeys({})].length + [...store.postingsDb.getKeys({})].length;
    const before = entries();
    store.transaction(() => catalog.drop('shop', 'gone'));
    expect(entries()).toBe((before - 2) / 2 + 1); // each collection: 5,000 records + a count, 5,000 postings
    store.transaction(() => catalog.get('shop', 'kept')!.clear());
    expect(catalog.get('shop', 'kept')!.size).toBe(0);
    expect([...catalog.get('shop', 'kept')!.secondaryIndexes()[0]!.lookup(3)]).toEqual([]);
    store.transaction(() => catalog.get('shop', 'kept')!.insert({ _id: 'x', n: 3 }));
    expect([...catalog.get('shop', 'kept')!.secondaryIndexes()[0]!.lookup(3)]).toEqual(['sx']);
  });
});

describe('index builds in LMDB', () => {
  it('find every value, long and astral ones included, and leave nothing behind on a duplicate', async () => {
    const dir = tempDir();
    let { store, catalog } = openStore(dir);
    const values = ['b', 'a', 'émile', '😀 smile', '\uE000 private', 'x'.repeat(2000), 'x'.repeat(2001), 7, 7.5, null];
    store.transaction(() => {
      const c = catalog.create('shop', 'c', {});
      values.forEach((v, i) => c.insert({ _id: i, v }));
      c.insert({ _id: 'dup', v: 'a' });
      c.addIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
      c.persistIndexes();
    });
    ({ store, catalog } = await reopen(dir, store));
    const index = catalog.get('shop', 'c')!.secondaryIndexes()[0]!;
    values.forEach((v, i) =>
      expect(
        [...index.lookup(v)].filter((id) => id !== 'sdup'),
        String(v).slice(0, 10),
      ).toEqual([`n${i}`]),
    );
    expect([...index.lookup('a')].sort()).toEqual(['n1', 'sdup']);
    const before = [...store.postingsDb.getKeys({})].length;
    expect(() =>
      store.transaction(() => {
        const c = catalog.get('shop', 'c')!;
        c.addIndex({ v: 2, key: { v: 1 }, name: 'v_unique', unique: true });
      }),
    ).toThrow(/E11000.*v_unique/);
    expect([...store.postingsDb.getKeys({})].length).toBe(before);
    expect(
      catalog
        .get('shop', 'c')!
        .indexSpecs()
        .map((spec) => spec.name),
    ).toEqual(['_id_', 'v_1']);
  });
});

describe('the cache size', () => {
  it('reads bytes and sizes with units, refusing what is not a size', () => {
    expect(parseCacheSize('512MB')).toBe(512 * 2 ** 20);
    expect(parseCacheSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseCacheSize('16KiB')).toBe(16 * 1024);
    expect(parseCacheSize(65536)).toBe(65536);
    expect(() => parseCacheSize('lots')).toThrow(/not a size of at least 4 KiB.*512MB/);
    expect(() => parseCacheSize('10')).toThrow(/at least 4 KiB/);
  });

  it('defaults to half of the memory less 1 GiB, and no less than 256 MiB', () => {
    expect(defaultCacheSize(16 * 2 ** 30)).toBe(7.5 * 2 ** 30);
    expect(defaultCacheSize(1 * 2 ** 30)).toBe(256 * 2 ** 20);
  });
});
