/**
 * Reads of a durable engine's LMDB environment from a thread other than the one that owns
 * it (lmdb-store.ts): the front thread (host/front.ts) answers a find by `_id` here while the
 * executor thread runs a long command. LMDB readers take no lock and see the last committed
 * transaction, so a write the executor acknowledged is seen, and one still running is not.
 * Keys and the catalog's records are lmdb-store.ts's, read with the same encoders.
 */
import type { RootDatabase, Transaction } from 'lmdb';
import { deserialize, type Document } from 'bson';
import { DESERIALIZE_OPTIONS } from '../wire/message.js';
import { openLmdb, type Bytes } from './lmdb-env.js';
import { idKey, recordKey, ridOf } from './lmdb-keys.js';

/** What the reader knows of a namespace. */
export type ByIdRead =
  | { kind: 'found'; bytes: Buffer }
  | { kind: 'missing' }
  /** Not a plain collection the reader can answer for (absent, a view, a default collation): ask the executor. */
  | { kind: 'executor' };

export class LmdbReader {
  private readonly env: RootDatabase<Buffer, Buffer>;
  private readonly recordsDb: Bytes;
  private readonly idsDb: Bytes;
  private readonly catalogDb: Bytes;
  private closed = false;

  /** `dir`: the storage directory, already created by the engine that owns it. */
  constructor(dir: string) {
    // The owner's environment (lmdb-store.ts), shared within the process.
    const databases = openLmdb(dir);
    this.env = databases.env;
    this.recordsDb = databases.records;
    this.idsDb = databases.ids;
    this.catalogDb = databases.catalog;
  }

  /** The stored BSON of the document whose `_id` key (storage/value-key.ts) is `id`, in `db.name`. */
  readById(db: string, name: string, id: string): ByIdRead {
    if (this.closed) return { kind: 'executor' };
    // The latest committed snapshot, not the one this thread's last read used.
    this.env.resetReadTxn();
    const transaction = this.env.useReadTransaction();
    try {
      const cid = this.collectionId(db, name, transaction);
      if (cid === undefined) return { kind: 'executor' };
      const rid = this.idsDb.get(idKey(cid, id), { transaction });
      if (rid === undefined) return { kind: 'missing' };
      const bytes = this.recordsDb.get(recordKey(cid, ridOf(rid, 0)), { transaction });
      return bytes === undefined ? { kind: 'missing' } : { kind: 'found', bytes: Buffer.from(bytes) };
    } finally {
      transaction.done();
    }
  }

  /** The id of a plain collection without a default collation (those change what `_id` matches). */
  private collectionId(db: string, name: string, transaction: Transaction): number | undefined {
    for (const { key, value } of this.catalogDb.getRange({ transaction } as {
      transaction: Transaction;
    }) /* lmdb-js reads ranges in a given transaction; its types leave it out */) {
      const entry = deserialize(value, { ...DESERIALIZE_OPTIONS, promoteBuffers: false }) as Document;
      // A temporary collection (store.ts) is not one the catalog lists: the executor answers for it.
      if (entry.db !== db || entry.name !== name || entry.temporary === true) continue;
      const options = (entry.options ?? {}) as Document;
      if (options.viewOn !== undefined || options.collation !== undefined) return undefined;
      return key.readUInt32BE(0);
    }
    return undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.env.close();
  }
}
