/**
 * One collection's documents in LMDB (keys: lmdb-keys.ts), decoded on demand through the
 * store's document cache. Writes keep the BSON they are given (off the wire: the client's own
 * bytes) and encode only documents the engine built or changed.
 */
import { deserialize, serialize, type Document } from 'bson';
import type { IdKey } from '../storage/postings.js';
import type { Records } from '../storage/records.js';
import { DESERIALIZE_OPTIONS } from '../wire/message.js';
import { decodeFields } from './bson-fields.js';
import { collectionRange, idKey, recordKey, ridBytes, ridOf } from './lmdb-keys.js';
import type { LmdbStore } from './lmdb-store.js';

/** Records read per step of a scan: no LMDB cursor stays open while the caller works. */
const PAGE = 512;
const ZERO = Buffer.from([0]);

export class LmdbRecords implements Records {
  /**
   * The record ids in natural order, once a scan has read them: later scans walk this list
   * (8 bytes a document) and the cache instead of an LMDB cursor. Inserts append to it (record
   * ids only grow); a delete drops it, for the next scan to read again.
   */
  private rids: number[] | undefined;
  /**
   * The id `has` last found absent, until the next write: an insert asks `has` (duplicates)
   * and then `set`, which need not look the id up again (one `ids` read an insert less).
   */
  private lastAbsent: IdKey | undefined;

  constructor(
    private readonly store: LmdbStore,
    readonly cid: number,
    private count: number,
  ) {}

  get size(): number {
    return this.count;
  }

  private ridOf(id: IdKey): number | undefined {
    const bytes = this.store.idsDb.getBinaryFast(idKey(this.cid, id));
    return bytes === undefined ? undefined : ridOf(bytes, 0);
  }

  get(id: IdKey): Document | undefined {
    const rid = this.ridOf(id);
    return rid === undefined ? undefined : this.read(rid);
  }

  private read(rid: number): Document | undefined {
    const cached = this.store.cache.get(rid);
    if (cached !== undefined) return cached;
    const raw = this.store.recordsDb.getBinaryFast(recordKey(this.cid, rid));
    if (raw === undefined) return undefined;
    const doc = deserialize(raw, DESERIALIZE_OPTIONS);
    this.store.cache.set(rid, doc, raw.length);
    return doc;
  }

  has(id: IdKey): boolean {
    const found = this.ridOf(id) !== undefined;
    this.lastAbsent = found ? undefined : id;
    return found;
  }

  *values(): Generator<Document> {
    const rids = this.rids ?? this.readRids();
    const cache = this.store.cache;
    // A page at a time: no LMDB read is in flight while the caller works (and writes).
    for (let at = 0; at < rids.length; at += PAGE) {
      const page: Document[] = [];
      const end = Math.min(at + PAGE, rids.length);
      for (let i = at; i < end; i++) {
        const rid = rids[i]!;
        const doc = cache.get(rid) ?? this.read(rid);
        if (doc !== undefined) page.push(doc); // undefined: deleted since the list was read
      }
      yield* page;
    }
  }

  /**
   * Every document in natural order with only the top-level `fields` (and `_id`) decoded, read
   * straight from LMDB in key order: an index build's read. It neither fills nor reads the
   * cache (whose documents are the same as the stored ones: writes go through it).
   */
  *projected(fields: readonly string[]): Generator<Document> {
    const wanted = new Set(['_id', ...fields]);
    let start = recordKey(this.cid, 1);
    // Up to the last record now: what the caller inserts meanwhile (a $merge into this very
    // collection) is not read again.
    // (A reverse range runs from its start, the upper bound, down to its end.)
    const [lastNow] = this.store.recordsDb.getKeys({ start: collectionRange(this.cid).end, end: recordKey(this.cid, 0), reverse: true, limit: 1 });
    if (lastNow === undefined) return;
    const end = Buffer.concat([lastNow, ZERO]);
    for (;;) {
      // A page at a time, decoded before it is handed out: no LMDB read is in flight while the caller works.
      const page: Document[] = [];
      let last: Buffer | undefined;
      for (const { key, value } of this.store.recordsDb.getRange({ start, end, limit: PAGE })) {
        page.push(decodeFields(value, wanted));
        last = key;
      }
      yield* page;
      if (last === undefined || page.length < PAGE) return;
      start = Buffer.concat([last, ZERO]);
    }
  }

  /**
   * `projected`, each document with its record id (what `record` takes), walking the record
   * ids as `values` does: a document the cache holds is taken from it whole (decoded already,
   * a Map look-up), the others are decoded in part from their records.
   */
  *numbered(fields: readonly string[]): Generator<[number, Document]> {
    const wanted = new Set(['_id', ...fields]);
    const rids = this.rids ?? this.readRids();
    const cache = this.store.cache;
    // Up to the last record now; a page at a time, decoded before it is handed out.
    const count = rids.length;
    for (let at = 0; at < count; at += PAGE) {
      const page: [number, Document][] = [];
      const end = Math.min(at + PAGE, count);
      for (let i = at; i < end; i++) {
        const rid = rids[i]!;
        const cached = cache.get(rid);
        if (cached !== undefined) page.push([rid, cached]);
        else {
          const raw = this.store.recordsDb.getBinaryFast(recordKey(this.cid, rid));
          if (raw !== undefined) page.push([rid, decodeFields(raw, wanted)]); // undefined: deleted since the list was read
        }
      }
      yield* page;
    }
  }

  /** The document of record `rid` of this collection, through the cache. */
  record(rid: number): Document | undefined {
    return this.read(rid);
  }

  private readRids(): number[] {
    const { end } = collectionRange(this.cid);
    const rids: number[] = [];
    for (const key of this.store.recordsDb.getKeys({ start: recordKey(this.cid, 1), end })) rids.push(ridOf(key));
    this.rids = rids;
    return rids;
  }

  set(id: IdKey, doc: Document, raw?: Uint8Array): void {
    const absent = this.lastAbsent === id;
    this.lastAbsent = undefined;
    this.store.write(() => {
      let rid = absent ? undefined : this.ridOf(id);
      if (rid === undefined) {
        rid = this.store.newRid();
        this.store.idsDb.putSync(idKey(this.cid, id), ridBytes(rid));
        this.count++;
        this.store.countChanged(this);
        this.rids?.push(rid);
      }
      const bytes = raw ?? serialize(doc);
      this.store.recordsDb.putSync(recordKey(this.cid, rid), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      this.store.wrote(bytes.length);
      this.store.cache.set(rid, doc, bytes.length);
    });
  }

  delete(id: IdKey): boolean {
    this.lastAbsent = undefined;
    return this.store.write(() => {
      const key = idKey(this.cid, id);
      const bytes = this.store.idsDb.getBinaryFast(key);
      if (bytes === undefined) return false;
      const rid = ridOf(bytes, 0);
      this.store.idsDb.removeSync(key);
      this.store.recordsDb.removeSync(recordKey(this.cid, rid));
      this.store.cache.delete(rid);
      this.rids = undefined;
      this.count--;
      this.store.countChanged(this);
      return true;
    });
  }

  clear(): void {
    this.lastAbsent = undefined;
    this.store.write(() => {
      const range = collectionRange(this.cid);
      const cache = this.store.cache;
      this.store.removeRange(this.store.recordsDb, { start: recordKey(this.cid, 1), end: range.end }, (key) => cache.delete(ridOf(key)));
      this.store.removeRange(this.store.idsDb, range);
      this.rids = [];
      this.count = 0;
      this.store.countChanged(this);
    });
  }
}
