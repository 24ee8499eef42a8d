/**
 * The postings of an index: from an indexed value to the ids of the documents holding it.
 *
 * Values are kept in one map per kind so that the common keys need no string building: a
 * string is its own map key (no allocation, and V8 caches its hash in the string), a number
 * or a date is a number key, an ObjectId its flat 13-character key. Everything else (null,
 * booleans, embedded documents, non-finite decimals...) goes by `valueKey`. The maps never
 * share a key space, so two values share a posting exactly when their `valueKey`s are equal:
 * the equality MongoDB uses (1, 1.0, Long(1) and Int32(1) alike; -0 and 0; null and missing).
 */
import { NULL_KEY, objectIdKey, valueKey, type ValueKey } from './value-key.js';

export type IdKey = ValueKey;

/**
 * A key's ids: most keys of most indexes hold one id (kept as the string itself), many hold a
 * few (an array: a tenth of a Set's memory, which matters with a million keys), some hold many
 * (a Set, for removals in constant time).
 */
export type Holder = IdKey | IdKey[] | Set<IdKey>;
/** Ids a posting holds in an array before it becomes a Set. */
const ARRAY_POSTINGS = 16;

export function firstId(holder: Holder): IdKey {
  if (typeof holder === 'string') return holder;
  return Array.isArray(holder) ? holder[0]! : (holder.values().next().value as IdKey);
}

/** Records `id` under `key` in `map`, whose current holder for it is `holder`. */
export function post<K>(map: Map<K, Holder>, key: K, id: IdKey, holder: Holder | undefined): void {
  if (holder === undefined) map.set(key, id);
  else if (typeof holder === 'string') {
    if (holder !== id) map.set(key, [holder, id]);
  } else if (!Array.isArray(holder)) holder.add(id);
  else if (!holder.includes(id)) {
    if (holder.length < ARRAY_POSTINGS) holder.push(id);
    else map.set(key, new Set([...holder, id]));
  }
}

export function unpost<K>(map: Map<K, Holder>, key: K, id: IdKey): void {
  const holder = map.get(key);
  if (holder === undefined) return;
  if (typeof holder === 'string') {
    if (holder === id) map.delete(key);
    return;
  }
  if (Array.isArray(holder)) {
    const at = holder.indexOf(id);
    if (at >= 0) holder.splice(at, 1);
  } else holder.delete(id);
  const size = Array.isArray(holder) ? holder.length : holder.size;
  if (size === 1) map.set(key, firstId(holder));
  else if (size === 0) map.delete(key);
}

const NUMERIC_BSON = new Set(['Long', 'Int32', 'Double', 'Decimal128']);

/**
 * Where an index keeps its postings: in memory (ValuePostings) or in LMDB
 * (persistence/lmdb-postings.ts). A value is an indexed scalar, or a compound index's joined key.
 */
export interface IndexPostings {
  /** The ids holding `value`, if any. */
  get(value: unknown): Holder | undefined;
  add(value: unknown, id: IdKey): void;
  /** Adds `id` under `value` unless another document holds it: then adds nothing and returns that document's id. */
  addUnique(value: unknown, id: IdKey): IdKey | undefined;
  /** Adds `id` under `value` when no document holds it yet, answering whether it did (building a unique index). */
  addFresh(value: unknown, id: IdKey): boolean;
  remove(value: unknown, id: IdKey): void;
  clear(): void;
  /** Building a new index over many documents: `add`s gathered, then written at once by `finishBulk`. */
  startBulk?(): void;
  finishBulk?(): void;
}

/** Postings kept in memory, keyed by the indexed values themselves. */
export class ValuePostings implements IndexPostings {
  private readonly strings = new Map<string, Holder>();
  private readonly numbers = new Map<number, Holder>();
  private readonly dates = new Map<number, Holder>();
  private readonly others = new Map<ValueKey, Holder>();
  /**
   * The key `mapOf` chose for its value: returning it beside the map would allocate a pair
   * on every call, and this runs for every entry of every index.
   */
  private key: unknown;

  /** The map `value` (null for missing) is kept in; its key in that map is left in `this.key`. */
  private mapOf(value: unknown): Map<unknown, Holder> {
    switch (typeof value) {
      case 'string':
        this.key = value;
        return this.strings as Map<unknown, Holder>;
      case 'number':
        this.key = value === 0 ? 0 : value; // -0 and 0 are one key; NaN is one key (SameValueZero), as "nNaN" was
        return this.numbers as Map<unknown, Holder>;
      case 'bigint':
        return this.numeric(valueKey(value));
      case 'undefined':
        this.key = NULL_KEY;
        return this.others as Map<unknown, Holder>;
      case 'object': {
        if (value === null) {
          this.key = NULL_KEY;
          return this.others as Map<unknown, Holder>;
        }
        if (value instanceof Date) {
          this.key = value.getTime();
          return this.dates as Map<unknown, Holder>;
        }
        const type = (value as { _bsontype?: string })._bsontype;
        if (type === 'ObjectId') {
          this.key = objectIdKey(value as never);
          return this.others as Map<unknown, Holder>;
        }
        if (type !== undefined && NUMERIC_BSON.has(type)) return this.numeric(valueKey(value));
        break;
      }
    }
    this.key = valueKey(value);
    return this.others as Map<unknown, Holder>;
  }

  /**
   * A BSON number by its exact key (numeric-key.ts): one a double holds goes with the doubles,
   * any other (a Long beyond 2^53, a Decimal128 no double holds) by its key.
   */
  private numeric(key: ValueKey): Map<unknown, Holder> {
    if (key.charCodeAt(0) === 110 /* 'n' */) {
      const n = Number(key.slice(1));
      this.key = n === 0 ? 0 : n;
      return this.numbers as Map<unknown, Holder>;
    }
    this.key = key;
    return this.others as Map<unknown, Holder>;
  }

  /** The ids holding `value`, if any. */
  get(value: unknown): Holder | undefined {
    return this.mapOf(value).get(this.key);
  }

  add(value: unknown, id: IdKey): void {
    const map = this.mapOf(value);
    const key = this.key;
    post(map, key, id, map.get(key));
  }

  /**
   * Adds `id` under `value` unless another document holds it already: then adds nothing and
   * returns that document's id (one map read for the check and the insertion together).
   */
  addUnique(value: unknown, id: IdKey): IdKey | undefined {
    const map = this.mapOf(value);
    const key = this.key;
    const holder = map.get(key);
    if (holder !== undefined) {
      const other = firstId(holder);
      if (other !== id) return other;
    }
    post(map, key, id, holder);
    return undefined;
  }

  /**
   * Adds `id` under `value` in one map write, answering whether the value was new. When it
   * was not, the holder it had is lost: only for building a unique index from documents that
   * each post one value, where an old holder means a duplicate and the index is discarded.
   */
  addFresh(value: unknown, id: IdKey): boolean {
    const map = this.mapOf(value);
    const size = map.size;
    map.set(this.key, id);
    return map.size !== size;
  }

  remove(value: unknown, id: IdKey): void {
    const map = this.mapOf(value);
    unpost(map, this.key, id);
  }

  clear(): void {
    this.strings.clear();
    this.numbers.clear();
    this.dates.clear();
    this.others.clear();
  }
}
