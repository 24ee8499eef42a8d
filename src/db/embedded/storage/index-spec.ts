/**
 * Secondary indexes: index keys to document ids (postings.ts: in memory, or in LMDB for a
 * durable engine). They enforce `unique` and turn equality lookups into key reads.
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { Query } from '../query/mingo-context.js';
import { firstId, type IdKey, type IndexPostings, ValuePostings } from './postings.js';
import { valueKey, type ValueKey } from './value-key.js';

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

export type { IdKey };

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

/** What `simpleValue` answers when a document needs the general walk of `indexedValues`. */
const NOT_SIMPLE = Symbol('not simple');

export class SecondaryIndex {
  readonly spec: IndexSpec;
  readonly fields: readonly string[];
  readonly paths: readonly (readonly string[])[];
  readonly unique: boolean;
  private readonly sparse: boolean;
  private readonly partial: Query | undefined;
  /** Postings: of a single-field index by value, of a compound index by the fields' valueKeys joined. */
  private readonly values: IndexPostings;
  private readonly single: boolean;
  /** Set for single-field indexes on a top-level field, neither sparse nor partial. */
  private readonly simpleField: string | undefined;

  constructor(spec: IndexSpec, postings: IndexPostings = new ValuePostings()) {
    this.spec = spec;
    this.values = postings;
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((field) => field.split('.'));
    this.unique = spec.unique === true;
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
    this.single = this.fields.length === 1;
    this.simpleField = this.single && !this.fields[0]!.includes('.') && !this.sparse && !this.partial ? this.fields[0] : undefined;
  }

  /**
   * The top-level fields a build reads from each document, or undefined when it needs whole
   * documents (a partial index's filter may read any field; special index types).
   */
  buildFields(): string[] | undefined {
    if (this.partial || Object.values(this.spec.key).some((direction) => typeof direction !== 'number')) return undefined;
    return [...new Set(this.paths.map((path) => path[0]!))];
  }

  /** Whether equality lookups on `field` can be answered by this index alone. */
  servesEquality(field: string): boolean {
    return this.single && this.fields[0] === field && !this.sparse && !this.partial;
  }

  /**
   * The one value a single-field index keys a document by when its field is a top-level
   * scalar (the common case), or NOT_SIMPLE. Allocates nothing: this runs for every index on
   * every insert.
   */
  private simpleValue(doc: Document): unknown {
    if (this.simpleField === undefined) return NOT_SIMPLE;
    const value = doc[this.simpleField];
    if (value === null || typeof value !== 'object' || value instanceof Date || (value as { _bsontype?: unknown })._bsontype !== undefined) return value;
    return NOT_SIMPLE;
  }

  /** The values a single-field index keys a document by (several for an array; none when sparse or partial leave it out). */
  private indexedValues(doc: Document): unknown[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const values = pathValues(doc, this.paths[0]!);
    if (this.sparse && values.every((v) => v === undefined)) return [];
    return values;
  }

  /** The keys of a document in a compound index (several when a field is an array); none if it is not indexed. */
  keysOf(doc: Document): { key: ValueKey; values: unknown[] }[] {
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
        for (const combo of combos)
          next.push({ key: combo.key === '' && combo.values.length === 0 ? k : combo.key + '\u0001' + k, values: [...combo.values, value ?? null] });
      }
      combos = next;
    }
    return combos;
  }

  /** Throws DuplicateKey if adding `doc` (as `id`) would break uniqueness. */
  checkUnique(doc: Document, id: IdKey, ns: string): void {
    if (!this.unique) return;
    if (!this.single) {
      for (const { key, values } of this.keysOf(doc)) {
        const holder = this.values.get(key);
        if (holder !== undefined && firstId(holder) !== id) throw this.duplicateKeyError(ns, values);
      }
      return;
    }
    const simple = this.simpleValue(doc);
    if (simple !== NOT_SIMPLE) return this.checkValue(simple, id, ns);
    for (const value of this.indexedValues(doc)) this.checkValue(value, id, ns);
  }

  private checkValue(value: unknown, id: IdKey, ns: string): void {
    const holder = this.values.get(value);
    if (holder !== undefined && firstId(holder) !== id) throw this.duplicateKeyError(ns, [value ?? null]);
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
   * map read per key. A DuplicateKey leaves the index half-built: the caller discards it.
   */
  build(doc: Document, id: IdKey, ns: string): void {
    if (!this.unique) return this.add(doc, id);
    if (!this.single) {
      this.checkUnique(doc, id, ns);
      return this.add(doc, id);
    }
    const simple = this.simpleValue(doc);
    if (simple !== NOT_SIMPLE) {
      // A document posts its one simple value once, so a value that is not new is another
      // document's: a duplicate (the half-built index is thrown away).
      if (!this.values.addFresh(simple, id)) throw this.duplicateKeyError(ns, [simple ?? null]);
      return;
    }
    for (const value of this.indexedValues(doc)) {
      if (this.values.addUnique(value, id) !== undefined) throw this.duplicateKeyError(ns, [value ?? null]);
    }
  }

  add(doc: Document, id: IdKey): void {
    if (!this.single) {
      for (const { key } of this.keysOf(doc)) this.values.add(key, id);
      return;
    }
    const simple = this.simpleValue(doc);
    if (simple !== NOT_SIMPLE) return this.values.add(simple, id);
    for (const value of this.indexedValues(doc)) this.values.add(value, id);
  }

  /**
   * Moves a replaced document's entries. When its value did not change (most updates leave
   * indexed fields alone) nothing moves: it is cheaper, and the document keeps its place in
   * its posting, which is the order equality look-ups hand documents out in.
   */
  replace(oldDoc: Document, newDoc: Document, id: IdKey): void {
    const before = this.simpleValue(oldDoc);
    if (before !== NOT_SIMPLE) {
      const after = this.simpleValue(newDoc);
      if (after === before || (after !== NOT_SIMPLE && valueKey(after) === valueKey(before))) return;
    } else if (this.single) {
      const keys = (doc: Document): string =>
        this.indexedValues(doc)
          .map((value) => valueKey(value))
          .join('\u0001');
      if (keys(oldDoc) === keys(newDoc)) return;
    }
    this.remove(oldDoc, id);
    this.add(newDoc, id);
  }

  remove(doc: Document, id: IdKey): void {
    if (!this.single) {
      for (const { key } of this.keysOf(doc)) this.values.remove(key, id);
      return;
    }
    const simple = this.simpleValue(doc);
    if (simple !== NOT_SIMPLE) return this.values.remove(simple, id);
    for (const value of this.indexedValues(doc)) this.values.remove(value, id);
  }

  /** Builds the index over `docs` (a new index): DuplicateKey leaves it empty, for the caller to discard. */
  buildAll(docs: Iterable<Document>, ns: string): void {
    this.values.startBulk?.();
    try {
      for (const doc of docs) this.build(doc, valueKey(doc._id), ns);
    } catch (error) {
      this.clear();
      throw error;
    }
    this.values.finishBulk?.();
  }

  /** Ids whose indexed value equals `value` (a scalar; single-field indexes): a live view, to copy before changing the collection. */
  lookup(value: unknown): Iterable<IdKey> {
    const holder = this.single ? this.values.get(value) : undefined;
    if (holder === undefined) return [];
    return typeof holder === 'string' ? [holder] : holder;
  }

  clear(): void {
    this.values.clear();
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
