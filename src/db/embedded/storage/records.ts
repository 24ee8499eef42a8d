/**
 * A collection's documents by `_id` key, in natural order (the order they were first
 * inserted; a replaced document keeps its place): what `Collection.docs` is. The in-memory
 * engine keeps them in a Map (MemoryRecords); a durable engine reads them from LMDB through a
 * bounded cache of decoded documents (persistence/lmdb-records.ts).
 */
import type { Document } from 'bson';
import type { IdKey } from './postings.js';

export interface Records {
  readonly size: number;
  get(id: IdKey): Document | undefined;
  has(id: IdKey): boolean;
  /** Every document in natural order. A write between two steps neither breaks nor repeats the walk. */
  values(): IterableIterator<Document>;
  /** Every document in natural order with only its top-level `fields` and `_id` (stored records: cheaper than decoding whole documents). */
  projected?(fields: readonly string[]): Iterable<Document>;
  /**
   * `projected`, each document with the number of its record: what `record` reads the whole
   * document back by, without the `_id` look-up `get` makes. Only records that number theirs
   * (stored ones) have these two.
   */
  numbered?(fields: readonly string[]): Iterable<[number, Document]>;
  /** The document of record `number` (from `numbered`); undefined once deleted. */
  record?(number: number): Document | undefined;
  /** Inserts a document under a new id, or replaces the document of an existing one in its place. `raw` is its BSON when the caller has it. */
  set(id: IdKey, doc: Document, raw?: Uint8Array): void;
  delete(id: IdKey): boolean;
  clear(): void;
}

export class MemoryRecords implements Records {
  private readonly map = new Map<IdKey, Document>();

  get size(): number {
    return this.map.size;
  }

  get(id: IdKey): Document | undefined {
    return this.map.get(id);
  }

  has(id: IdKey): boolean {
    return this.map.has(id);
  }

  values(): IterableIterator<Document> {
    return this.map.values();
  }

  set(id: IdKey, doc: Document): void {
    this.map.set(id, doc);
  }

  delete(id: IdKey): boolean {
    return this.map.delete(id);
  }

  clear(): void {
    this.map.clear();
  }
}
