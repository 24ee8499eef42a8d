/**
 * The bounded cache of decoded documents of a durable engine, shared by all its collections:
 * a CLOCK (second-chance) cache by bytes. A hit only sets the entry's reference bit; when the
 * cache is over its budget, the hand goes round the entries (in the order they came in),
 * evicting those not referenced since it last passed them and clearing the bit of the others. The documents themselves live in LMDB (whose pages
 * the OS caches): an evicted document is decoded again from its BSON when next read.
 *
 * Entries are keyed by record id, unique across the store (persistence/lmdb-keys.ts).
 */
import type { Document } from 'bson';

interface Entry {
  doc: Document;
  bytes: number;
  referenced: boolean;
}

/**
 * What a decoded document costs the heap, from its BSON size: measured at about 2.5–3.5 times
 * the BSON bytes for the app's documents (objects, strings, boxed BSON values), plus the
 * entry itself.
 */
export function decodedBytes(bsonBytes: number): number {
  return bsonBytes * 3 + 64;
}

export class DocCache {
  private readonly entries = new Map<number, Entry>();
  private used = 0;
  /** The CLOCK's hand: see evict. */
  private hand: IterableIterator<[number, Entry]> = this.entries.entries();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  get bytes(): number {
    return this.used;
  }

  get count(): number {
    return this.entries.size;
  }

  get(rid: number): Document | undefined {
    const entry = this.entries.get(rid);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    entry.referenced = true;
    return entry.doc;
  }

  set(rid: number, doc: Document, bsonBytes: number): void {
    const bytes = decodedBytes(bsonBytes);
    const old = this.entries.get(rid);
    if (old !== undefined) {
      this.used -= old.bytes;
      this.entries.delete(rid); // a new version goes to the back
    }
    if (bytes > this.capacity) return; // would evict everything else and then itself
    this.entries.set(rid, { doc, bytes, referenced: false });
    this.used += bytes;
    if (this.used > this.capacity) this.evict();
  }

  delete(rid: number): void {
    const entry = this.entries.get(rid);
    if (entry === undefined) return;
    this.used -= entry.bytes;
    this.entries.delete(rid);
  }

  clear(): void {
    this.entries.clear();
    this.hand = this.entries.entries();
    this.used = 0;
  }

  private evict(): void {
    // The hand is one live Map iterator kept between evictions: it resumes where it stopped.
    // Starting a fresh iteration each time would walk again over the holes the deletions left
    // at the front of the Map (V8 compacts them only when it rehashes): with tens of thousands
    // of entries, that made every insert past the budget cost a walk over the whole cache.
    // A referenced entry keeps its place and loses its bit as the hand passes; it goes at the
    // next pass unless read again. Every entry passed is cleared or evicted, so this ends.
    while (this.used > this.capacity) {
      let next = this.hand.next();
      if (next.done) {
        this.hand = this.entries.entries();
        next = this.hand.next();
        if (next.done) return;
      }
      const [rid, entry] = next.value;
      if (entry.referenced) entry.referenced = false;
      else {
        this.entries.delete(rid);
        this.used -= entry.bytes;
      }
    }
  }
}
