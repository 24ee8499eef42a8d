/**
 * Where the engine keeps what it must not lose. The engine holds every document in memory
 * for queries; a Store only records changes (and gives them back at startup).
 * Every change of one command happens inside one `transaction`, so a command is durable
 * as a whole or not at all.
 */
import { serialize, type Document, type UUID } from 'bson';
import type { IndexSpec } from '../storage/index-spec.js';

export interface CollectionRecord {
  db: string;
  name: string;
  options: Document;
  indexes: IndexSpec[];
  uuid: UUID;
}

export interface StoredCollection extends CollectionRecord {
  /** The stored documents. */
  docs: Iterable<Document>;
}

/** A collection as the store knows it: opaque handle returned by `createCollection`. */
export type StoreCollectionId = number;

export interface Store {
  readonly durable: boolean;
  /** Everything stored, to rebuild the in-memory catalog at startup. */
  load(): Iterable<StoredCollection & { id: StoreCollectionId }>;
  transaction<T>(fn: () => T): T;
  createCollection(record: CollectionRecord): StoreCollectionId;
  setIndexes(id: StoreCollectionId, indexes: IndexSpec[]): void;
  /**
   * A document's BSON, made where the store will keep it: the caller measures it, then records
   * it with `putDocument` (or drops it). Only asked of a durable store.
   */
  encode(doc: Document): Uint8Array;
  /** Inserts or replaces documents by id key. `raw` is the document's BSON when the caller has it. */
  putDocument(id: StoreCollectionId, idKey: string, doc: Document, raw?: Uint8Array): void;
  deleteDocument(id: StoreCollectionId, idKey: string): void;
  dropCollection(id: StoreCollectionId): void;
  /** Renames a collection record (used by $out's atomic swap and renameCollection). */
  renameCollection(id: StoreCollectionId, db: string, name: string): void;
  /** Returns once every change so far is on disk (write concern `j: true`). */
  flush(): void;
  /** Bytes on disk, for dbStats/listDatabases; 0 in memory. */
  sizeOnDisk(): number;
  /** Flushes everything and releases the files; resolves once done. */
  close(): Promise<void>;
}

/** The in-memory store: nothing to keep, nothing to load. */
export class MemoryStore implements Store {
  readonly durable = false;
  private nextId = 1;
  load(): [] {
    return [];
  }
  transaction<T>(fn: () => T): T {
    return fn();
  }
  createCollection(): StoreCollectionId {
    return this.nextId++;
  }
  setIndexes(): void {}
  encode(doc: Document): Uint8Array {
    return serialize(doc);
  }
  putDocument(): void {}
  deleteDocument(): void {}
  dropCollection(): void {}
  renameCollection(): void {}
  flush(): void {}
  sizeOnDisk(): number {
    return 0;
  }
  async close(): Promise<void> {}
}
