/**
 * The durable store: LMDB (lmdb-js) in `<data dir>/storage/`, the truth of the data. It holds
 * the catalog (collections with their options verbatim, uuid and index specs), every
 * document as the BSON the client sent, the `_id` index and the secondary indexes' postings
 * (keys: lmdb-keys.ts). Opening reads the catalog only: no replay, no index rebuild, so it
 * takes the same few milliseconds whatever the size. Decoded documents are kept in a bounded
 * cache (storage/doc-cache.ts); the rest stays in LMDB's memory map, cached by the OS.
 *
 * Durability, as mongod's journal gives it: one engine transaction (a write command) is one
 * LMDB write transaction, committed whole or not at all. Commits do not wait for the disk
 * (LMDB's noSync: the data reaches the OS at commit, so it survives the process being
 * killed); a background sync every SYNC_INTERVAL_MS puts it on the disk itself, and a write
 * with `j: true` (or `fsync: true`) is synced before its reply (`flush`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RootDatabase } from 'lmdb';
import { Binary, deserialize, serialize, UUID, type Document } from 'bson';
import { CommandError } from '../errors.js';
import { DocCache } from '../storage/doc-cache.js';
import type { IndexSpec } from '../storage/index-spec.js';
import type { IndexPostings } from '../storage/postings.js';
import { DESERIALIZE_OPTIONS } from '../wire/message.js';
import { openLmdb, type Bytes } from './lmdb-env.js';
import { collectionRange, indexRange, recordKey, ridOf } from './lmdb-keys.js';
import { LmdbPostings } from './lmdb-postings.js';
import { LmdbRecords } from './lmdb-records.js';
import type { CollectionRecord, Store, StoreCollectionId } from '../storage/store.js';

export const STORAGE_DIR = 'storage';
/** The bound on how long a default-concern write waits to be on the disk. */
export const SYNC_INTERVAL_MS = 100;

interface CatalogEntry extends CollectionRecord {
  /** Index name → the id its postings are stored under. */
  indexIds: Map<string, number>;
}

const META = {
  nextRid: Buffer.from('nextRid'),
  nextCid: Buffer.from('nextCid'),
  nextIndexId: Buffer.from('nextIndexId'),
  format: Buffer.from('format'),
};
const FORMAT = 1;
/**
 * Keys a step of a drop deletes in one transaction: LMDB copies every page a transaction
 * changes into memory until it commits, so a drop in steps holds a few tens of MiB, not the
 * whole collection.
 */
const DROP_STEP_KEYS = 16_384;

export interface LmdbStoreOptions {
  /** Bytes of decoded documents kept in memory. */
  cacheSize: number;
}

export class LmdbStore implements Store {
  readonly durable = true;
  readonly dir: string;
  readonly cache: DocCache;
  private readonly env: RootDatabase<Buffer, Buffer>;
  /** What each holds: lmdb-env.ts. */
  readonly recordsDb: Bytes;
  readonly idsDb: Bytes;
  readonly postingsDb: Bytes;
  private readonly catalogDb: Bytes;
  private readonly metaDb: Bytes;
  private readonly entries = new Map<StoreCollectionId, CatalogEntry>();
  private readonly recordsById = new Map<StoreCollectionId, LmdbRecords>();
  private readonly countsToWrite = new Set<LmdbRecords>();
  private readonly abortListeners: (() => void)[] = [];
  private nextRid: number;
  private nextCid: number;
  private nextIndexId: number;
  private countersChanged = false;
  private depth = 0;
  private pending = 0;
  private unsynced = false;
  private readonly syncTimer: NodeJS.Timeout;
  private readonly dataFile: number;
  private closed = false;

  /** `dir`: the storage directory (a data directory's STORAGE_DIR). */
  constructor(dir: string, options: LmdbStoreOptions) {
    this.dir = dir;
    fs.mkdirSync(this.dir, { recursive: true });
    this.cache = new DocCache(options.cacheSize);
    // One engine owns the directory (persistence/lock.ts); noSync: see the header.
    const databases = openLmdb(this.dir);
    this.env = databases.env;
    this.recordsDb = databases.records;
    this.idsDb = databases.ids;
    this.postingsDb = databases.postings;
    this.catalogDb = databases.catalog;
    this.metaDb = databases.meta;
    const format = this.readNumber(META.format);
    if (format !== undefined && format > FORMAT) {
      throw new Error(`${this.dir} was written by a newer datadragon (storage format ${format}; this one reads ${FORMAT}): upgrade datadragon to open it`);
    }
    this.nextRid = this.readNumber(META.nextRid) ?? 1;
    this.nextCid = this.readNumber(META.nextCid) ?? 1;
    this.nextIndexId = this.readNumber(META.nextIndexId) ?? 1;
    if (format === undefined) this.env.transactionSync(() => this.metaDb.putSync(META.format, numberBytes(FORMAT)));
    this.dataFile = fs.openSync(path.join(this.dir, 'data.mdb'), 'r');
    this.syncTimer = setInterval(() => this.backgroundSync(), SYNC_INTERVAL_MS);
    this.syncTimer.unref();
  }

  *load(): Iterable<CollectionRecord & { id: StoreCollectionId }> {
    for (const { key, value } of this.catalogDb.getRange({})) {
      const id = key.readUInt32BE(0);
      const stored = deserialize(value, { ...DESERIALIZE_OPTIONS, promoteBuffers: false });
      const indexes = (stored.indexes ?? []) as { id: number; spec: IndexSpec }[];
      const entry: CatalogEntry = {
        db: stored.db as string,
        name: stored.name as string,
        options: (stored.options ?? {}) as Document,
        uuid: stored.uuid instanceof Binary ? new UUID(stored.uuid.buffer) : new UUID(),
        indexes: indexes.map((index) => index.spec),
        indexIds: new Map(indexes.map((index) => [index.spec.name, index.id])),
        ...(stored.temporary === true ? { temporary: true } : {}),
      };
      this.entries.set(id, entry);
      yield { id, db: entry.db, name: entry.name, options: entry.options, uuid: entry.uuid, indexes: entry.indexes, temporary: entry.temporary };
    }
  }

  onAbort(listener: () => void): void {
    this.abortListeners.push(listener);
  }

  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    if (this.closed) throw new CommandError('InternalError', 'the engine is shutting down: its data directory is closed');
    this.depth++;
    this.pending = 0;
    try {
      const result = this.env.transactionSync(() => {
        const value = fn();
        this.writeCounters();
        return value;
      });
      this.unsynced = true;
      return result;
    } catch (error) {
      this.undone();
      throw refusal(error, this.dir) ?? error;
    } finally {
      this.depth--;
      this.pending = 0;
    }
  }

  get pendingBytes(): number {
    return this.pending;
  }

  /** A record's bytes written in the running transaction (pendingBytes). */
  wrote(bytes: number): void {
    this.pending += bytes;
  }

  /** Runs a change inside the running transaction, or in one of its own. */
  write<T>(fn: () => T): T {
    return this.depth > 0 ? fn() : this.transaction(fn);
  }

  /** After an undone transaction: what is kept in memory is read again from LMDB. */
  private undone(): void {
    this.cache.clear();
    this.countsToWrite.clear();
    this.countersChanged = false;
    this.nextRid = this.readNumber(META.nextRid) ?? 1;
    this.nextCid = this.readNumber(META.nextCid) ?? 1;
    this.nextIndexId = this.readNumber(META.nextIndexId) ?? 1;
    this.entries.clear();
    this.recordsById.clear();
    for (const listener of this.abortListeners) listener();
  }

  newRid(): number {
    this.countersChanged = true;
    return this.nextRid++;
  }

  countChanged(records: LmdbRecords): void {
    this.countsToWrite.add(records);
  }

  private writeCounters(): void {
    for (const records of this.countsToWrite) {
      if (this.entries.has(records.cid)) this.recordsDb.putSync(recordKey(records.cid, 0), numberBytes(records.size));
    }
    this.countsToWrite.clear();
    if (!this.countersChanged) return;
    this.metaDb.putSync(META.nextRid, numberBytes(this.nextRid));
    this.metaDb.putSync(META.nextCid, numberBytes(this.nextCid));
    this.metaDb.putSync(META.nextIndexId, numberBytes(this.nextIndexId));
    this.countersChanged = false;
  }

  createCollection(record: CollectionRecord): StoreCollectionId {
    return this.write(() => {
      const id = this.nextCid++;
      this.countersChanged = true;
      const entry: CatalogEntry = { ...record, indexes: [...record.indexes], indexIds: new Map() };
      this.entries.set(id, entry);
      for (const spec of record.indexes) this.indexId(id, spec);
      this.putEntry(id, entry);
      return id;
    });
  }

  setIndexes(id: StoreCollectionId, indexes: IndexSpec[]): void {
    const entry = this.entry(id);
    this.write(() => {
      entry.indexes = [...indexes];
      const names = new Set(indexes.map((spec) => spec.name));
      for (const name of entry.indexIds.keys()) if (!names.has(name)) entry.indexIds.delete(name);
      this.putEntry(id, entry);
    });
  }

  records(id: StoreCollectionId): LmdbRecords {
    let records = this.recordsById.get(id);
    if (!records) {
      records = new LmdbRecords(this, id, this.readCount(id));
      this.recordsById.set(id, records);
    }
    return records;
  }

  postings(id: StoreCollectionId, spec: IndexSpec): IndexPostings {
    return new LmdbPostings(this, this.indexId(id, spec));
  }

  /** The id an index's postings are stored under, given when first asked for. */
  private indexId(id: StoreCollectionId, spec: IndexSpec): number {
    const entry = this.entry(id);
    let indexId = entry.indexIds.get(spec.name);
    if (indexId === undefined) {
      indexId = this.nextIndexId++;
      this.countersChanged = true;
      entry.indexIds.set(spec.name, indexId);
    }
    return indexId;
  }

  dropCollection(id: StoreCollectionId): void {
    const entry = this.entry(id);
    if (this.depth === 0) {
      // In steps, marked temporary first: an interrupted drop is finished at the next open.
      if (!entry.temporary) this.transaction(() => this.renameCollection(id, entry.db, entry.name, true));
      while (this.transaction(() => this.removeKeysOf(id, entry, DROP_STEP_KEYS)));
    }
    this.write(() => {
      this.removeKeysOf(id, entry, Infinity);
      this.recordsDb.removeSync(recordKey(id, 0));
      this.catalogDb.removeSync(cidKey(id));
      this.entries.delete(id);
      this.recordsById.delete(id);
    });
  }

  /**
   * Deletes a collection's records (and their cached documents), ids and postings, up to
   * `limit` keys of each; true when some are left.
   */
  private removeKeysOf(id: StoreCollectionId, entry: CatalogEntry, limit: number): boolean {
    const cache = this.cache;
    const ranges: [Bytes, { start: Buffer; end: Buffer }, ((key: Buffer) => void)?][] = [
      [this.recordsDb, { start: recordKey(id, 1), end: collectionRange(id).end }, (key) => cache.delete(ridOf(key))],
      [this.idsDb, collectionRange(id)],
      ...[...entry.indexIds.values()].map((indexId): [Bytes, { start: Buffer; end: Buffer }] => [this.postingsDb, indexRange(indexId)]),
    ];
    for (const [db, range, removed] of ranges) if (this.removeRange(db, range, removed, limit)) return true;
    return false;
  }

  renameCollection(id: StoreCollectionId, db: string, name: string, temporary = false): void {
    const entry = this.entry(id);
    this.write(() => {
      entry.db = db;
      entry.name = name;
      if (temporary) entry.temporary = true;
      else delete entry.temporary;
      this.putEntry(id, entry);
    });
  }

  /**
   * Deletes the keys in [start, end), a page at a time (no cursor stays open across writes),
   * up to `limit` of them; true when some are left. `removed` sees each key deleted.
   */
  removeRange(db: Bytes, range: { start: Buffer; end: Buffer }, removed?: (key: Buffer) => void, limit = Infinity): boolean {
    let start = range.start;
    for (let left = limit; left > 0;) {
      const page = Math.min(4096, left);
      const keys = [...db.getKeys({ start, end: range.end, limit: page })];
      for (const key of keys) {
        removed?.(key);
        db.removeSync(key);
      }
      if (keys.length < page) return false;
      left -= keys.length;
      start = Buffer.concat([keys[keys.length - 1]!, Buffer.from([0])]);
    }
    return true;
  }

  /** Returns once every committed change is on the disk (write concern `j: true`). */
  flush(): void {
    if (this.closed) return;
    fs.fsyncSync(this.dataFile);
    this.unsynced = false;
  }

  private backgroundSync(): void {
    if (!this.unsynced || this.closed) return;
    this.unsynced = false;
    try {
      fs.fdatasync(this.dataFile, () => undefined); // on libuv's threads: the engine's thread does not wait
    } catch {
      // the next j: true write reports the disk's error
    }
  }

  sizeOnDisk(): number {
    try {
      return fs.statSync(path.join(this.dir, 'data.mdb')).blocks * 512;
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.syncTimer);
    fs.closeSync(this.dataFile);
    await this.env.close();
  }

  private entry(id: StoreCollectionId): CatalogEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`collection ${id} is not in the catalog`);
    return entry;
  }

  private putEntry(id: StoreCollectionId, entry: CatalogEntry): void {
    const indexes = entry.indexes.map((spec) => ({ id: this.indexId(id, spec), spec }));
    const bytes = serialize({
      db: entry.db,
      name: entry.name,
      options: entry.options,
      uuid: entry.uuid,
      indexes,
      ...(entry.temporary ? { temporary: true } : {}),
    });
    this.catalogDb.putSync(cidKey(id), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  private readCount(id: StoreCollectionId): number {
    const bytes = this.recordsDb.getBinaryFast(recordKey(id, 0));
    return bytes === undefined ? 0 : Number(bytes.readBigUInt64BE(0));
  }

  private readNumber(key: Buffer): number | undefined {
    const bytes = this.metaDb.getBinaryFast(key);
    return bytes === undefined ? undefined : Number(bytes.readBigUInt64BE(0));
  }

  /** Every record id of `cid`, for tests and checks. */
  recordIds(id: StoreCollectionId): number[] {
    const range = collectionRange(id);
    return [...this.recordsDb.getKeys({ start: recordKey(id, 1), end: range.end })].map((key) => ridOf(key));
  }
}

function cidKey(id: number): Buffer {
  const key = Buffer.allocUnsafe(4);
  key.writeUInt32BE(id, 0);
  return key;
}

function numberBytes(n: number): Buffer {
  const bytes = Buffer.allocUnsafe(8);
  bytes.writeBigUInt64BE(BigInt(n), 0);
  return bytes;
}

const DISK_FULL = /ENOSPC|No space left|MDB_MAP_FULL|EDQUOT|quota/i;

/** A write the disk refused, as the error the client gets: the cause and what to do. */
function refusal(error: unknown, dir: string): CommandError | undefined {
  if (error instanceof CommandError) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  // LMDB reports a write the file system refused as the errno's text ("Input/output error" on a full tmpfs).
  if (!DISK_FULL.test(message) && !/EIO|Input\/output error|EROFS|Read-only file system|EACCES|EPERM|Permission denied/.test(message)) return undefined;
  return new CommandError(
    'InternalError',
    `the data directory ${dir} could not be written (${message}; is the disk full?): this write is refused and nothing of it was kept; reads keep working. Free disk space (or fix the permissions) and write again; restarting the engine also recovers every write acknowledged before this one.`,
  );
}
