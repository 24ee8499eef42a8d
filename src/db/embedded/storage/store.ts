/**
 * What a collection writes through: where its documents and index postings live, in memory
 * (persistence/memory-store.ts: nothing kept) or in LMDB (persistence/lmdb-store.ts: a
 * durable data directory). Every change of one command happens inside one `transaction`, so a
 * durable command is kept as a whole or not at all (except a write in steps: `pendingBytes`).
 */
import type { Document, UUID } from 'bson';
import type { IndexSpec } from './index-spec.js';
import type { IndexPostings } from './postings.js';
import type { Records } from './records.js';

export interface CollectionRecord {
  db: string;
  name: string;
  /** The collection's creation options, kept verbatim. */
  options: Document;
  indexes: IndexSpec[];
  uuid: UUID;
  /**
   * A collection that exists only until a long write is done with it ($out's staging, the
   * target it replaced): a durable store drops it at its next open, so that a write stopped
   * half-way (kill -9, power loss) leaves nothing of itself. Renaming keeps it.
   */
  temporary?: boolean;
}

/** A collection as the store knows it: opaque handle returned by `createCollection`. */
export type StoreCollectionId = number;

export interface Store {
  readonly durable: boolean;
  /** The collections stored, to rebuild the catalog at startup (their documents stay in the store). */
  load(): Iterable<CollectionRecord & { id: StoreCollectionId }>;
  transaction<T>(fn: () => T): T;
  /**
   * Bytes of documents the running transaction has written: how a long write ($out) decides
   * to commit a step and begin the next, so that what it holds in memory stays bounded. Always
   * 0 where transactions cost nothing (in memory).
   */
  readonly pendingBytes: number;
  /** Called once a transaction was undone: what the engine keeps in memory must be read again. */
  onAbort(listener: () => void): void;
  createCollection(record: CollectionRecord): StoreCollectionId;
  setIndexes(id: StoreCollectionId, indexes: IndexSpec[]): void;
  /** A collection's documents (the same object each time for a collection). */
  records(id: StoreCollectionId): Records;
  /** Where an index of a collection keeps its postings (those it had, for an index already stored). */
  postings(id: StoreCollectionId, spec: IndexSpec): IndexPostings;
  /**
   * Drops a collection and everything stored for it. Called outside a transaction, a durable
   * store does it in several (its record marked temporary by the first): a large collection's
   * drop never holds all of its pages in memory, and one cut short is finished at the next open.
   */
  dropCollection(id: StoreCollectionId): void;
  /**
   * Renames a collection record (used by $out's atomic swap and renameCollection): kept, or
   * `temporary` (a target $out replaced, to be dropped once the swap is committed).
   */
  renameCollection(id: StoreCollectionId, db: string, name: string, temporary?: boolean): void;
  /** Returns once every change so far is on disk (write concern `j: true`). */
  flush(): void;
  /** Bytes on disk, for dbStats/listDatabases; 0 in memory. */
  sizeOnDisk(): number;
  /** Flushes everything and releases the files; resolves once done. */
  close(): Promise<void>;
}
