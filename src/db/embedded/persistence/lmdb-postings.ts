/**
 * One index's postings in LMDB: for each indexed value's key (value-key.ts), the `_id` keys
 * of the documents holding it, as keys sharing one prefix (lmdb-keys.ts). Equality look-ups
 * and uniqueness checks read one short key range; nothing is rebuilt at open.
 */
import type { Holder, IdKey, IndexPostings } from '../storage/postings.js';
import { valueKey } from '../storage/value-key.js';
import { indexRange, postingKey, postingPrefix, prefixEnd } from './lmdb-keys.js';
import type { LmdbStore } from './lmdb-store.js';

/** A bulk build's entries, kept in memory until written in key order. */
interface Bulk {
  /** Value key and id, as strings: the key bytes are made once, in order, when written. */
  entries: { value: string; id: IdKey }[];
  /** Value key → the first id holding it: uniqueness while building. */
  first: Map<string, IdKey>;
}

/** Characters whose UTF-16 order differs from UTF-8 byte order. */
const ASTRAL_OR_PRIVATE = /[\uD800-\uFFFF]/;

export class LmdbPostings implements IndexPostings {
  private bulk: Bulk | undefined;

  constructor(
    private readonly store: LmdbStore,
    readonly indexId: number,
  ) {}

  /**
   * Builds a new index over many documents: entries are gathered in memory, then written
   * sorted, appended (LMDB then fills pages in order instead of splitting them at random).
   */
  startBulk(): void {
    this.bulk = { entries: [], first: new Map() };
  }

  finishBulk(): void {
    const bulk = this.bulk;
    this.bulk = undefined;
    if (!bulk) return;
    const entries = bulk.entries;
    const inByteOrder = entries.every(({ value, id }) => value.length <= 300 && id.length <= 300 && !ASTRAL_OR_PRIVATE.test(value) && !ASTRAL_OR_PRIVATE.test(id));
    const keyOf = (entry: { value: string; id: IdKey }): Buffer => postingKey(postingPrefix(this.indexId, entry.value), entry.id);
    let keys: Buffer[];
    if (inByteOrder) {
      // Keys order by the value key's byte length (lmdb-keys.ts), then its bytes, then the id's:
      // for strings without surrogates or private-use characters, UTF-16 order is UTF-8 byte order.
      const lengths = new Map<string, number>();
      const lengthOf = (value: string): number => lengths.get(value) ?? (lengths.set(value, Buffer.byteLength(value)), lengths.get(value)!);
      entries.sort((a, b) => lengthOf(a.value) - lengthOf(b.value) || (a.value < b.value ? -1 : a.value > b.value ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      keys = entries.map(keyOf);
    } else {
      const pairs = entries.map((entry) => ({ entry, key: keyOf(entry) })).sort((a, b) => Buffer.compare(a.key, b.key));
      pairs.forEach((pair, i) => (entries[i] = pair.entry));
      keys = pairs.map((pair) => pair.key);
    }
    const db = this.store.postingsDb;
    this.store.write(() => {
      // Appending needs every key past the last one stored: true of a new index (the newest
      // index id), unless entries of this one were left behind; then plain puts.
      const [last] = db.getKeys({ reverse: true, limit: 1 });
      const append = last === undefined || keys.length === 0 || Buffer.compare(last, keys[0]!) < 0;
      const options = append ? { append: true } : {};
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        db.putSync(key, Buffer.from(entries[i]!.id, 'utf8'), options);
      }
    });
  }

  private addToBulk(bulk: Bulk, value: unknown, id: IdKey, unique: 'unique' | 'fresh' | false): IdKey | boolean | undefined {
    const key = valueKey(value);
    const first = bulk.first.get(key);
    if (unique === 'fresh' && first !== undefined) return false;
    if (unique === 'unique' && first !== undefined && first !== id) return first;
    if (first === undefined) bulk.first.set(key, id);
    bulk.entries.push({ value: key, id });
    return unique === 'fresh' ? true : undefined;
  }

  private prefix(value: unknown): Buffer {
    return postingPrefix(this.indexId, valueKey(value));
  }

  private idsUnder(prefix: Buffer, limit?: number): IdKey[] {
    const ids: IdKey[] = [];
    for (const { value } of this.store.postingsDb.getRange({ start: prefix, end: prefixEnd(prefix), ...(limit ? { limit } : {}) })) ids.push(value.toString('utf8'));
    return ids;
  }

  get(value: unknown): Holder | undefined {
    if (this.bulk) return this.bulk.first.get(valueKey(value));
    const ids = this.idsUnder(this.prefix(value));
    return ids.length === 0 ? undefined : ids;
  }

  add(value: unknown, id: IdKey): void {
    if (this.bulk) {
      this.addToBulk(this.bulk, value, id, false);
      return;
    }
    const key = postingKey(this.prefix(value), id);
    this.store.write(() => this.store.postingsDb.putSync(key, Buffer.from(id, 'utf8')));
  }

  addUnique(value: unknown, id: IdKey): IdKey | undefined {
    if (this.bulk) return this.addToBulk(this.bulk, value, id, 'unique') as IdKey | undefined;
    const prefix = this.prefix(value);
    const other = this.idsUnder(prefix, 2).find((holder) => holder !== id);
    if (other !== undefined) return other;
    this.store.write(() => this.store.postingsDb.putSync(postingKey(prefix, id), Buffer.from(id, 'utf8')));
    return undefined;
  }

  addFresh(value: unknown, id: IdKey): boolean {
    if (this.bulk) return this.addToBulk(this.bulk, value, id, 'fresh') as boolean;
    const prefix = this.prefix(value);
    if (this.idsUnder(prefix, 1).length > 0) return false;
    this.store.write(() => this.store.postingsDb.putSync(postingKey(prefix, id), Buffer.from(id, 'utf8')));
    return true;
  }

  remove(value: unknown, id: IdKey): void {
    const key = postingKey(this.prefix(value), id);
    this.store.write(() => this.store.postingsDb.removeSync(key));
  }

  clear(): void {
    this.bulk = undefined;
    this.store.write(() => this.store.removeRange(this.store.postingsDb, indexRange(this.indexId)));
  }
}
