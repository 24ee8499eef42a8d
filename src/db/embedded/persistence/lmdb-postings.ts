/**
 * One index's postings in LMDB: for each indexed value's key (value-key.ts), the `_id` keys
 * of the documents holding it, as keys sharing one prefix (lmdb-keys.ts). Equality look-ups
 * and uniqueness checks read one short key range; nothing is rebuilt at open.
 */
import type { Holder, IdKey, IndexPostings } from '../storage/postings.js';
import { valueKey } from '../storage/value-key.js';
import { indexRange, postingKey, postingPrefix, prefixEnd } from './lmdb-keys.js';
import type { LmdbStore } from './lmdb-store.js';

/**
 * A bulk build's entries, kept in memory until written in key order. Each entry is one string:
 * the value key's UTF-8 length (one character), the value key, the id, the value key's length
 * in characters (one character). Sorted as strings, they come in the order of their LMDB keys
 * (lmdb-keys.ts: by the value key's byte length, its bytes, then the id's) whenever UTF-16
 * order is UTF-8 byte order: no surrogates nor characters past U+D7FF, and no key long
 * enough to be hashed. `byteOrder` says whether that holds for every entry.
 */
interface Bulk {
  entries: string[];
  byteOrder: boolean;
  /** Value key → the first id holding it: uniqueness while building. */
  first: Map<string, IdKey>;
}

/** Characters whose UTF-16 order differs from UTF-8 byte order. */
const ASTRAL_OR_PRIVATE = /[\uD800-\uFFFF]/;
/** Value and id keys longer than this may be hashed (lmdb-keys.ts): not in string order. */
const LONGEST_SORTED = 300;

function entryParts(entry: string): { value: string; id: IdKey } {
  const valueLength = entry.charCodeAt(entry.length - 1);
  return { value: entry.slice(1, 1 + valueLength), id: entry.slice(1 + valueLength, entry.length - 1) };
}

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
    this.bulk = { entries: [], byteOrder: true, first: new Map() };
  }

  finishBulk(): void {
    const bulk = this.bulk;
    this.bulk = undefined;
    if (!bulk) return;
    const entries = bulk.entries;
    const db = this.store.postingsDb;
    if (bulk.byteOrder) {
      entries.sort();
      // One scratch key: LMDB copies the key it is given.
      const scratch = Buffer.allocUnsafe(6 + 4 * 2 * LONGEST_SORTED);
      scratch.writeUInt32BE(this.indexId, 0);
      this.write(entries.length === 0 ? undefined : this.keyOf(entries[0]!), () => {
        for (const entry of entries) {
          const { value, id } = entryParts(entry);
          scratch.writeUInt16BE(entry.charCodeAt(0), 4);
          const length = 6 + scratch.write(value, 6, 'utf8');
          const end = length + scratch.write(id, length, 'utf8');
          db.putSync(scratch.subarray(0, end), Buffer.from(id, 'utf8'), this.appending);
        }
      });
      return;
    }
    const pairs = entries.map((entry) => ({ id: entryParts(entry).id, key: this.keyOf(entry) })).sort((a, b) => Buffer.compare(a.key, b.key));
    this.write(pairs[0]?.key, () => {
      for (const { id, key } of pairs) db.putSync(key, Buffer.from(id, 'utf8'), this.appending);
    });
  }

  private keyOf(entry: string): Buffer {
    const { value, id } = entryParts(entry);
    return postingKey(postingPrefix(this.indexId, value), id);
  }

  /** The put options of the running bulk write. */
  private appending: { append?: boolean } = {};

  /** Writes a bulk build's keys, from `first` on, in order: appended when all come after every key stored. */
  private write(first: Buffer | undefined, puts: () => void): void {
    const db = this.store.postingsDb;
    this.store.write(() => {
      // Appending needs every key past the last one stored: true of a new index (the newest
      // index id), unless entries of this one were left behind; then plain puts.
      const [last] = db.getKeys({ reverse: true, limit: 1 });
      this.appending = first === undefined || last === undefined || Buffer.compare(last, first) < 0 ? { append: true } : {};
      puts();
    });
  }

  private addToBulk(bulk: Bulk, value: unknown, id: IdKey, unique: 'unique' | 'fresh' | false): IdKey | boolean | undefined {
    const key = valueKey(value);
    const first = bulk.first.get(key);
    if (unique === 'fresh' && first !== undefined) return false;
    if (unique === 'unique' && first !== undefined && first !== id) return first;
    if (first === undefined) bulk.first.set(key, id);
    if (bulk.byteOrder && (key.length > LONGEST_SORTED || id.length > LONGEST_SORTED || ASTRAL_OR_PRIVATE.test(key) || ASTRAL_OR_PRIVATE.test(id)))
      bulk.byteOrder = false;
    bulk.entries.push(String.fromCharCode(Buffer.byteLength(key, 'utf8')) + key + id + String.fromCharCode(key.length));
    return unique === 'fresh' ? true : undefined;
  }

  private prefix(value: unknown): Buffer {
    return postingPrefix(this.indexId, valueKey(value));
  }

  private idsUnder(prefix: Buffer, limit?: number): IdKey[] {
    const ids: IdKey[] = [];
    for (const { value } of this.store.postingsDb.getRange({ start: prefix, end: prefixEnd(prefix), ...(limit ? { limit } : {}) }))
      ids.push(value.toString('utf8'));
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
