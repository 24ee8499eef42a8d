/**
 * The engine's sort, for find, update/findAndModify, `$sort`, `$top`/`$bottom` and their N
 * forms. MongoDB sorts a document by one value per key: for an array (or a path through
 * arrays) the smallest element when ascending and the largest when descending, an empty array
 * before null and a missing field (MongoDB manual, "Comparison/Sort Order" and "$sort":
 * "Ascending/Descending Sort with Arrays"). mingo compares whole arrays instead, which puts a
 * descending `[1, 5]` after `[3]`.
 *
 * Scalars compare with mingo's `compare` (so the ordered index walks of ordered-find.ts, built
 * to reproduce it, give the same order), strings with the collation's collator when there is
 * one. The sort is stable, and a descending key reverses the order of keys, never that of
 * equal documents, as mingo's did.
 */
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { CommandError, location } from '../errors.js';
import { compareNumeric, isBsonNumber } from './numeric.js';

export type StringCompare = (a: string, b: string) => number;

/** Below every value: the sort value of an empty array. */
const EMPTY_ARRAY = Symbol('empty array');

const isPlainDocument = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof Date) &&
  (value as { _bsontype?: unknown })._bsontype === undefined;

/** Every candidate sort value of `value` at `parts` (from `i`); `undefined` for a missing one. */
function collect(value: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (!Array.isArray(value)) out.push(value);
    else if (value.length === 0) out.push(EMPTY_ARRAY);
    else for (const element of value) out.push(element);
    return;
  }
  const part = parts[i]!;
  if (Array.isArray(value)) {
    // `a.0` names an element; any other name reads the field of every document in the array.
    if (/^\d+$/.test(part) && Number(part) < value.length) collect(value[Number(part)], parts, i + 1, out);
    let found = false;
    for (const element of value) {
      if (isPlainDocument(element)) {
        collect(element, parts, i, out);
        found = true;
      }
    }
    if (!found && !/^\d+$/.test(part)) out.push(undefined);
    return;
  }
  if (isPlainDocument(value)) collect(value[part], parts, i + 1, out);
  else out.push(undefined);
}

function compareValues(a: unknown, b: unknown, strings: StringCompare | undefined): number {
  if (a === b) return 0;
  if (a === EMPTY_ARRAY) return -1;
  if (b === EMPTY_ARRAY) return 1;
  // Missing sorts as null.
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (typeof x === 'number' && typeof y === 'number' && x === x && y === y) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'string' && typeof y === 'string') {
    if (strings) return strings(x, y);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // Numbers of every BSON type in one exact order, NaN below the others (query/numeric.ts);
  // against another type, a Long or Decimal128 ranks as a number.
  const numbers = compareNumeric(x, y);
  if (numbers !== undefined) return numbers;
  return compare(isBsonNumber(x) ? 0 : x, isBsonNumber(y) ? 0 : y);
}

/** The one value a document sorts by for a key: the smallest (ascending) or largest (descending). */
export function sortValue(doc: unknown, parts: readonly string[], direction: 1 | -1, strings?: StringCompare): unknown {
  const values: unknown[] = [];
  collect(doc, parts, 0, values);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareValues(values[i], best, strings);
    if (direction === 1 ? c < 0 : c > 0) best = values[i];
  }
  return best;
}

export interface SortKey {
  parts: string[];
  direction: 1 | -1;
}

/** A sort specification's keys; mongod's refusal for anything but 1 and -1. */
export function parseSort(spec: Document): SortKey[] {
  const keys: SortKey[] = [];
  for (const [field, raw] of Object.entries(spec)) {
    const order = typeof raw === 'object' && raw !== null && 'toNumber' in raw ? (raw as { toNumber(): number }).toNumber() : raw;
    if (typeof raw === 'object' && raw !== null && '$meta' in raw) {
      throw new CommandError(
        location(17313),
        `$meta sort by '${String((raw as Document).$meta)}' needs a text search, which the datadragon engine does not have`,
      );
    }
    if (order !== 1 && order !== -1) throw new CommandError(location(15975), '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    keys.push({ parts: field.split('.'), direction: order });
  }
  if (keys.length === 0) throw new CommandError(location(15976), '$sort stage must have at least one sort key');
  return keys;
}

/** Sorts `docs` in place by `spec` (MongoDB's order; see the module comment) and returns them. */
export function sortDocuments<T>(docs: T[], spec: Document, strings?: StringCompare): T[] {
  const keys = parseSort(spec);
  if (docs.length < 2) return docs;
  const rows = docs.map((doc, at) => ({ doc, at, values: keys.map((key) => sortValue(doc, key.parts, key.direction, strings)) }));
  rows.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const c = compareValues(a.values[k], b.values[k], strings);
      if (c !== 0) return keys[k]!.direction === 1 ? c : -c;
    }
    return a.at - b.at;
  });
  for (let i = 0; i < rows.length; i++) docs[i] = rows[i]!.doc;
  return docs;
}
