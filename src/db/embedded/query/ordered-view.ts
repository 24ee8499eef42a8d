/**
 * A collection's documents in the order of one field, as the engine's sort orders them
 * (sort-rank.ts): what lets a find walk an index in order instead of sorting the collection,
 * and narrow a range to the documents inside it.
 *
 * Built on demand and kept until the collection's next write (ordered-find.ts, `viewFor`):
 * reads between writes, such as pages of a crunched collection, share one view; inserts pay
 * nothing. Building is a counting sort by rank, then a stable radix sort of number keys (or a
 * comparison sort of strings), so a few million documents take well under a second.
 *
 * A view holds no documents: per document, what finds it again (its record id in a store, else
 * its `_id` key) and its sort key, about 20 bytes where a decoded document costs kilobytes.
 * A walk reads the documents it emits through the collection's records, so that a durable
 * engine's bounded document cache (storage/doc-cache.ts) bounds them too, and the view's scans
 * decode only the field they order by and `_id` where the records can (Records.numbered,
 * Records.projected).
 *
 * Documents with equal values keep their natural (insertion) order, as mingo's stable sort
 * keeps them. When a document's value is outside the ranked kinds (an array, NaN, a Long...)
 * there is no view: mingo's order for it cannot be reproduced.
 */
import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import type { IdKey } from '../storage/postings.js';
import type { Records } from '../storage/records.js';
import { valueKey } from '../storage/value-key.js';
import { isNumericRank, numericKey, Rank, RANKS, rankOf, textKey, UNRANKED } from './sort-rank.js';

/** One side of a range: documents whose key is beyond `key` (or equal, when inclusive). */
export interface Bound {
  key: number | string;
  inclusive: boolean;
}

/** The documents of one rank between two bounds (either may be open). */
export interface KeyRange {
  rank: number;
  lower?: Bound | undefined;
  upper?: Bound | undefined;
}

/** A field's value in a document as mingo's sort reads it. */
export function sortValue(doc: Document, path: string): unknown {
  return resolve(doc, path);
}

/** The top-level field a path starts with: a dotted path resolves the same in a document holding only that field, whole. */
function topLevel(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}

/** Every document of `records` in natural order, with at least `_id` and the top-level field of `path`: what a view's scans read. */
function scan(records: Records, path: string): Iterable<Document> {
  return records.projected ? records.projected([topLevel(path)]) : records.values();
}

/** `scan`, each document with the number of its record when `numbered` (else 0). */
function* numberedScan(records: Records, path: string, numbered: boolean): Iterable<[number, Document]> {
  if (numbered) yield* records.numbered!([topLevel(path)]);
  else for (const doc of scan(records, path)) yield [0, doc];
}

export class OrderedView {
  /** Slot (position in the order) → natural position. */
  private readonly order: Uint32Array;
  /** First slot of each rank; the segment of rank r is [segments[r], segments[r + 1]). */
  private readonly segments: Int32Array;
  /** Whether every document's value of a sort key is ranked (cached per key). */
  private readonly rankedKeys = new Map<string, boolean>();

  private constructor(
    /** Where the documents are read: the collection's. */
    private readonly records: Records,
    /** The document at a natural position, read from the records. */
    readonly docAt: (position: number) => Document | undefined,
    order: Uint32Array,
    segments: Int32Array,
    /** By natural position: the number a numeric-rank value sorts by. */
    private readonly numbers: Float64Array,
    /** By natural position: the string a text-rank value sorts by. */
    private readonly texts: (string | undefined)[] | undefined,
  ) {
    this.order = order;
    this.segments = segments;
  }

  /** The view of the documents of `records` by `field`; undefined when some value is unranked. */
  static build(records: Records, field: string): OrderedView | undefined {
    // Sized by the count of records: the scan must give exactly that many (no write runs
    // during the build), else the store is not what it says and no view is trusted.
    const n = records.size;
    // By natural position, what the records read a document back by: its record's number
    // where they have one (8 bytes), else its `_id` key.
    const record = records.numbered && records.record ? records.record.bind(records) : undefined;
    const recordNumbers = record ? new Float64Array(n) : undefined;
    const ids = record ? undefined : new Array<IdKey>(n);
    const ranks = new Uint8Array(n);
    const numbers = new Float64Array(n);
    let texts: (string | undefined)[] | undefined;
    const counts = new Int32Array(RANKS);
    let p = 0;
    let idsRanked = true;
    for (const [number, doc] of numberedScan(records, field, record !== undefined)) {
      if (p === n) return undefined;
      const value = resolve(doc, field);
      const rank = rankOf(value);
      if (rank === UNRANKED) return undefined;
      ranks[p] = rank;
      counts[rank]!++;
      if (isNumericRank(rank)) numbers[p] = numericKey(value);
      else if (rank !== Rank.Null) (texts ??= new Array<string | undefined>(n))[p] = textKey(value);
      if (recordNumbers) recordNumbers[p] = number;
      else ids![p] = valueKey(doc._id);
      p++;
      if (idsRanked && rankOf(doc._id) === UNRANKED) idsRanked = false;
    }
    if (p < n) return undefined;
    const segments = new Int32Array(RANKS + 1);
    for (let r = 0; r < RANKS; r++) segments[r + 1] = segments[r]! + counts[r]!;
    // A counting sort by rank keeps the natural order within each rank.
    const order = new Uint32Array(n);
    const next = segments.slice(0, RANKS);
    for (let q = 0; q < n; q++) order[next[ranks[q]!]!++] = q;
    for (let r = 0; r < RANKS; r++) {
      const start = segments[r]!;
      const end = segments[r + 1]!;
      if (end - start < 2 || r === Rank.Null) continue;
      if (isNumericRank(r)) sortByNumber(order.subarray(start, end), numbers);
      else sortByText(order.subarray(start, end), texts!);
    }
    const docAt = recordNumbers ? (position: number) => record!(recordNumbers[position]!) : (position: number) => records.get(ids![position]!);
    const view = new OrderedView(records, docAt, order, segments, numbers, texts);
    // `_id`, every scan's other field, is the usual tie-breaker of a sort (pages with cursors):
    // known now, it spares isRankedKey a scan of its own.
    view.rankedKeys.set('_id', idsRanked);
    view.rankedKeys.set(field, true);
    return view;
  }

  get size(): number {
    return this.order.length;
  }

  /**
   * The document in `slot`, read from the records (through a durable engine's cache):
   * undefined only when a write deleted it since the view was built (the collection drops its
   * view at a write, but a caller may still hold it).
   */
  doc(slot: number): Document | undefined {
    return this.docAt(this.order[slot]!);
  }

  /** The natural position of the document in `slot`. */
  position(slot: number): number {
    return this.order[slot]!;
  }

  /** Whether every document's value of `key` is ranked, so that mingo's order on it is the rank order. */
  isRankedKey(key: string): boolean {
    let ranked = this.rankedKeys.get(key);
    if (ranked === undefined) {
      ranked = true;
      for (const [, doc] of numberedScan(this.records, key, this.records.numbered !== undefined)) {
        if (rankOf(resolve(doc, key)) === UNRANKED) {
          ranked = false;
          break;
        }
      }
      this.rankedKeys.set(key, ranked);
    }
    return ranked;
  }

  /** The slots [start, end) of the documents within `range` (all of them when undefined). */
  slots(range: KeyRange | undefined): [number, number] {
    if (!range) return [0, this.order.length];
    let start = this.segments[range.rank]!;
    let end = this.segments[range.rank + 1]!;
    if (range.rank === Rank.Null) return [start, end];
    if (range.lower) start = this.search(start, end, range.lower.key, !range.lower.inclusive);
    if (range.upper) end = this.search(start, end, range.upper.key, range.upper.inclusive);
    return [start, Math.max(start, end)];
  }

  /** The first slot of [start, end) of the group of equal values holding `slot`. */
  groupStart(slot: number, start: number): number {
    const rank = this.rankOfSlot(slot);
    const from = Math.max(start, this.segments[rank]!);
    if (rank === Rank.Null) return from;
    return this.search(from, slot, this.key(slot), false);
  }

  /** The slot after the group of equal values holding `slot`, at most `end`. */
  groupEnd(slot: number, end: number): number {
    const rank = this.rankOfSlot(slot);
    const to = Math.min(end, this.segments[rank + 1]!);
    if (rank === Rank.Null) return to;
    return this.search(slot, to, this.key(slot), true);
  }

  private rankOfSlot(slot: number): number {
    let rank = 0;
    while (slot >= this.segments[rank + 1]!) rank++;
    return rank;
  }

  private key(slot: number): number | string {
    const p = this.order[slot]!;
    return this.texts?.[p] ?? this.numbers[p]!;
  }

  /**
   * The first slot of [start, end) (one rank's slots, sorted) whose key is above `key`, or
   * at least `key` when `after` is false.
   */
  private search(start: number, end: number, key: number | string, after: boolean): number {
    let lo = start;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.key(mid);
      if (k < key || (after && k === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Comparison sorts are faster than radix passes below this many keys. */
const RADIX_MIN = 64;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Sorts natural positions by their number keys, stably (equal keys keep their order): an LSD
 * radix sort on the keys' bits made unsigned-sortable, 16 bits a pass, skipping passes where
 * every key has the same digit (the low bits of whole numbers, say).
 */
function sortByNumber(positions: Uint32Array, numbers: Float64Array): void {
  const m = positions.length;
  if (m < RADIX_MIN) {
    const sorted = Array.from(positions).sort((a, b) => numbers[a]! - numbers[b]! || a - b);
    positions.set(sorted);
    return;
  }
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);
  const [low, high] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  let pos = Uint32Array.from(positions);
  let hi = new Uint32Array(m);
  let lo = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    scratch[0] = numbers[pos[i]!]!;
    let h = words[high]!;
    let l = words[low]!;
    // IEEE 754 to an unsigned order: negatives flip every bit, positives flip the sign bit.
    if (h >>> 31) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    hi[i] = h;
    lo[i] = l;
  }
  let pos2 = new Uint32Array(m);
  let hi2 = new Uint32Array(m);
  let lo2 = new Uint32Array(m);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const source = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < m; i++) count[(source[i]! >>> shift) & 0xffff]!++;
    if (count[(source[0]! >>> shift) & 0xffff] === m) continue; // one digit: nothing moves
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const at = count[(source[i]! >>> shift) & 0xffff]!++;
      pos2[at] = pos[i]!;
      hi2[at] = hi[i]!;
      lo2[at] = lo[i]!;
    }
    [pos, pos2] = [pos2, pos];
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  positions.set(pos);
}

/** Sorts natural positions by their string keys (UTF-16 code units, as mingo compares), stably. */
function sortByText(positions: Uint32Array, texts: readonly (string | undefined)[]): void {
  const sorted = Array.from(positions).sort((a, b) => {
    const x = texts[a]!;
    const y = texts[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  positions.set(sorted);
}
