/**
 * Secondary indexes: a hash of canonical keys to document ids. They enforce `unique` and
 * turn equality lookups into map reads; ranges and sorts still scan (mingo does those).
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { Query } from '../query/mingo-context.js';
import { NULL_KEY, valueKey, type ValueKey } from './value-key.js';

/** An index as listIndexes shows it. */
export interface IndexSpec {
  v: number;
  key: Record<string, number | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

export type IdKey = ValueKey;

/** Every value a (dotted) path reaches in a document, arrays expanded one level as MongoDB does. */
export function pathValues(doc: unknown, path: readonly string[]): unknown[] {
  const out: unknown[] = [];
  collect(doc, path, 0, out);
  return out.length === 0 ? [undefined] : out;
}

function collect(value: unknown, path: readonly string[], i: number, out: unknown[]): void {
  if (i === path.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const element of value) out.push(element);
    } else {
      out.push(value);
    }
    return;
  }
  if (Array.isArray(value)) {
    const part = path[i]!;
    if (/^\d+$/.test(part)) collect(value[Number(part)], path, i + 1, out);
    for (const element of value) {
      if (isPlainObject(element)) collect(element, path, i, out);
    }
    return;
  }
  if (isPlainObject(value)) {
    collect((value as Record<string, unknown>)[path[i]!], path, i + 1, out);
    return;
  }
  out.push(undefined);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return false;
  return (value as { _bsontype?: unknown })._bsontype === undefined && !(value instanceof RegExp) && !(value instanceof Uint8Array);
}

/**
 * A multi-map from key to its ids: most keys of most indexes hold one id (kept as the string
 * itself), many hold a few (an array: a tenth of a Set's memory, which matters with a million
 * keys), some hold many (a Set, for removals in constant time).
 */
type Holder = IdKey | IdKey[] | Set<IdKey>;
type Postings = Map<ValueKey, Holder>;
/** Ids a posting holds in an array before it becomes a Set. */
const ARRAY_POSTINGS = 16;

function firstId(holder: Holder): IdKey {
  if (typeof holder === 'string') return holder;
  return Array.isArray(holder) ? holder[0]! : (holder.values().next().value as IdKey);
}

export class SecondaryIndex {
  readonly spec: IndexSpec;
  readonly fields: readonly string[];
  readonly paths: readonly (readonly string[])[];
  readonly unique: boolean;
  private readonly sparse: boolean;
  private readonly partial: Query | undefined;
  private readonly postings: Postings = new Map();
  /** Set for single-field indexes on a top-level field. */
  private readonly simpleField: string | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((field) => field.split('.'));
    this.unique = spec.unique === true;
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
    this.simpleField = this.fields.length === 1 && !this.fields[0]!.includes('.') ? this.fields[0] : undefined;
  }

  /** Whether equality lookups on `field` can be answered by this index alone. */
  servesEquality(field: string): boolean {
    return this.fields.length === 1 && this.fields[0] === field && !this.sparse && !this.partial;
  }

  /**
   * The one key of a document whose indexed field is a top-level scalar (the common case), or
   * undefined when the general walk of `keysOf` is needed. Allocates nothing but the key: this
   * runs for every index on every insert.
   */
  private simpleKey(doc: Document): ValueKey | undefined {
    if (this.simpleField === undefined || this.sparse || this.partial) return undefined;
    const value = doc[this.simpleField];
    if (value === null || value === undefined) return NULL_KEY;
    if (typeof value !== 'object' || value instanceof Date || (value as { _bsontype?: unknown })._bsontype !== undefined) return valueKey(value);
    return undefined;
  }

  /** The index keys of a document (several when a field is an array); none if it is not indexed. */
  keysOf(doc: Document): { key: ValueKey; values: unknown[] }[] {
    const simple = this.simpleKey(doc);
    if (simple !== undefined) return [{ key: simple, values: [doc[this.simpleField!] ?? null] }];
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.paths.map((path) => pathValues(doc, path));
    if (this.sparse && perField.every((values) => values.every((v) => v === undefined))) return [];
    let combos: { key: ValueKey; values: unknown[] }[] = [{ key: '', values: [] }];
    for (const values of perField) {
      const next: { key: ValueKey; values: unknown[] }[] = [];
      const seen = new Set<ValueKey>();
      for (const value of values) {
        const k = valueKey(value ?? null);
        if (seen.has(k)) continue;
        seen.add(k);
        for (const combo of combos) next.push({ key: combo.key === '' && combo.values.length === 0 ? k : combo.key + '\u0001' + k, values: [...combo.values, value ?? null] });
      }
      combos = next;
    }
    return combos;
  }

  /** Throws DuplicateKey if adding `doc` (as `id`) would break uniqueness. */
  checkUnique(doc: Document, id: IdKey, ns: string): void {
    if (!this.unique) return;
    const simple = this.simpleKey(doc);
    if (simple !== undefined) return this.checkKey(simple, id, ns, doc);
    for (const { key } of this.keysOf(doc)) this.checkKey(key, id, ns, doc);
  }

  private checkKey(key: ValueKey, id: IdKey, ns: string, doc: Document): void {
    const holder = this.postings.get(key);
    if (holder === undefined) return;
    if (firstId(holder) !== id) throw this.duplicateKeyError(ns, this.keysOf(doc).find((entry) => entry.key === key)!.values);
  }

  duplicateKeyError(ns: string, values: unknown[]): CommandError {
    const keyValue: Record<string, unknown> = {};
    this.fields.forEach((field, i) => (keyValue[field] = values[i]));
    const shown = this.fields.map((field, i) => `${field}: ${formatValue(values[i])}`).join(', ');
    return new CommandError('DuplicateKey', `E11000 duplicate key error collection: ${ns} index: ${this.spec.name} dup key: { ${shown} }`, {
      keyPattern: { ...this.spec.key },
      keyValue,
    });
  }

  /**
   * Adds a document while building the index: the uniqueness check and the insertion in one
   * pass over its keys. A DuplicateKey leaves the index half-built: the caller discards it.
   */
  build(doc: Document, id: IdKey, ns: string): void {
    const simple = this.simpleKey(doc);
    if (simple !== undefined) return this.buildKey(simple, id, ns, doc);
    for (const { key } of this.keysOf(doc)) this.buildKey(key, id, ns, doc);
  }

  private buildKey(key: ValueKey, id: IdKey, ns: string, doc: Document): void {
    if (this.unique) this.checkKey(key, id, ns, doc);
    this.post(key, id, this.postings.get(key));
  }

  add(doc: Document, id: IdKey): void {
    const simple = this.simpleKey(doc);
    if (simple !== undefined) return this.post(simple, id, this.postings.get(simple));
    for (const { key } of this.keysOf(doc)) this.post(key, id, this.postings.get(key));
  }

  /** Records `id` under `key`, whose current postings are `holder`. */
  private post(key: ValueKey, id: IdKey, holder: Holder | undefined): void {
    if (holder === undefined) this.postings.set(key, id);
    else if (typeof holder === 'string') {
      if (holder !== id) this.postings.set(key, [holder, id]);
    } else if (!Array.isArray(holder)) holder.add(id);
    else if (!holder.includes(id)) {
      if (holder.length < ARRAY_POSTINGS) holder.push(id);
      else this.postings.set(key, new Set([...holder, id]));
    }
  }

  remove(doc: Document, id: IdKey): void {
    const simple = this.simpleKey(doc);
    if (simple !== undefined) return this.unpost(simple, id);
    for (const { key } of this.keysOf(doc)) this.unpost(key, id);
  }

  private unpost(key: ValueKey, id: IdKey): void {
    const holder = this.postings.get(key);
    if (holder === undefined) return;
    if (typeof holder === 'string') {
      if (holder === id) this.postings.delete(key);
      return;
    }
    if (Array.isArray(holder)) {
      const at = holder.indexOf(id);
      if (at >= 0) holder.splice(at, 1);
    } else holder.delete(id);
    const size = Array.isArray(holder) ? holder.length : holder.size;
    if (size === 1) this.postings.set(key, firstId(holder));
    else if (size === 0) this.postings.delete(key);
  }

  /** Ids whose indexed value equals `value` (a scalar): a live view, to copy before changing the collection. */
  lookup(value: unknown): Iterable<IdKey> {
    const holder = this.postings.get(valueKey(value));
    if (holder === undefined) return [];
    return typeof holder === 'string' ? [holder] : holder;
  }

  clear(): void {
    this.postings.clear();
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value && typeof value === 'object' && 'toHexString' in value) return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value === undefined || value === null) return 'null';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
