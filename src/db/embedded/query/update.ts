/**
 * Update semantics on top of mingo's updater: operator updates, replacements and pipeline
 * updates, plus what mingo leaves to the server ($setOnInsert, upsert seeding, _id rules).
 * Stored documents are never mutated: the result is a new document, or null if nothing changed.
 */
import { ObjectId, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { CommandError } from '../errors.js';
import { cloneDocument } from '../storage/clone.js';
import { isPlainObject } from '../storage/index-spec.js';
import { Aggregator, engineFilter, mingoOptions } from './mingo-context.js';
import { checkOperatorUpdate } from './update-checks.js';

export type UpdateSpec = Document | Document[];

export interface UpdateOptions {
  arrayFilters?: Document[];
  /** The query, for the positional `$` operator. */
  query?: Document;
}

export function isOperatorUpdate(update: UpdateSpec): boolean {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new CommandError('FailedToParse', 'Update document mixes operators and fields; use only $-operators, or a whole replacement document');
  }
  return operators.length > 0;
}

function validateReplacement(replacement: Document): void {
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$')) throw new CommandError('FailedToParse', `The dollar ($) prefixed field '${key}' in replacement is not valid for storage.`);
  }
}

/** Applies `update` to `doc`; returns the new document, or null when nothing changed. */
export function applyUpdate(doc: Document, update: UpdateSpec, options: UpdateOptions = {}, upsertInsert = false): Document | null {
  if (Array.isArray(update)) {
    const [result] = new Aggregator(update).run([cloneDocument(doc)]);
    if (!result) throw new CommandError('BadValue', 'pipeline update removed the document');
    const next = { _id: doc._id, ...result } as Document;
    return sameDocument(doc, next) ? null : next;
  }
  if (!isOperatorUpdate(update)) {
    update = update as Document;
    validateReplacement(update);
    const next: Document = { _id: doc._id, ...update };
    if (update._id !== undefined && doc._id !== undefined && !sameValue(update._id, doc._id)) {
      throw new CommandError(
        'ImmutableField',
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${String(update._id)}`,
      );
    }
    next._id = doc._id ?? update._id;
    return sameDocument(doc, next) ? null : next;
  }
  const { $setOnInsert, ...rest } = update as Document;
  const modifier: Document = { ...rest };
  if (upsertInsert && $setOnInsert) modifier.$set = { ...(modifier.$set as Document | undefined), ...($setOnInsert as Document) };
  let next = cloneDocument(doc);
  const setId = takeSetId(modifier);
  if (setId !== undefined) {
    if (doc._id === undefined) next = { _id: setId, ...next };
    else if (!sameValue(setId, doc._id))
      throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  if (Object.keys(modifier).length === 0) return upsertInsert ? next : null;
  checkOperatorUpdate(next, modifier);
  let changed: string[];
  try {
    // mingo tests the query (for `$`), arrayFilters and $pull conditions with its own Query:
    // they go in as the engine's filters (patterns on RE2, numbers across BSON types).
    changed = mingoUpdate(
      next,
      engineModifier(modifier) as never,
      options.arrayFilters?.map(engineFilter),
      options.query ? engineFilter(options.query) : (options.query as never),
      {
        cloneMode: 'none',
        queryOptions: mingoOptions(),
      },
    );
  } catch (error) {
    // mingo refuses $inc/$unset/$rename... of _id with a plain error; MongoDB's code is 66.
    if (error instanceof Error && error.message.includes('would modify the immutable field'))
      throw new CommandError('ImmutableField', error.message.replace(/\.$/, ''));
    // Two operators on one path ({ $set: { x }, $inc: { x } }): MongoDB's code is 40.
    if (error instanceof Error && error.message.includes('would create a conflict'))
      throw new CommandError('ConflictingUpdateOperators', error.message.replace(/^u/, 'U'));
    throw error;
  }
  if (!upsertInsert && changed.length === 0) return null;
  if (doc._id !== undefined && !sameValue(next._id, doc._id)) {
    throw new CommandError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return next;
}

/** A `$pull` condition as the engine's filter: a value or operator condition as `{k: …}` (how mingo wraps it), a document condition as it is. */
function enginePull(spec: unknown): unknown {
  const isCondition =
    spec !== null && typeof spec === 'object' && Object.getPrototypeOf(spec) === Object.prototype && !Object.keys(spec).some((k) => k.startsWith('$'));
  return isCondition ? engineFilter(spec as Document) : engineFilter({ k: spec }).k;
}

function engineModifier(modifier: Document): Document {
  const pull = modifier.$pull as Document | undefined;
  if (!pull || typeof pull !== 'object') return modifier;
  return { ...modifier, $pull: Object.fromEntries(Object.entries(pull).map(([path, spec]) => [path, enginePull(spec)])) };
}

/**
 * Removes `_id` from the modifier's $set and returns its value. mingo refuses every update path
 * on _id, while MongoDB accepts `$set: { _id }` to the current value (a no-op) and, when an
 * upsert inserts, to any value.
 */
function takeSetId(modifier: Document): unknown {
  const $set = modifier.$set as Document | undefined;
  if (!isPlainObject($set) || !('_id' in $set)) return undefined;
  const { _id, ...others } = $set;
  if (Object.keys(others).length > 0) modifier.$set = others;
  else delete modifier.$set;
  return _id;
}

/** The document an upsert inserts: the query's equality fields, then the update. */
export function upsertDocument(query: Document, update: UpdateSpec, options: UpdateOptions): Document {
  const seed: Document = {};
  collectEqualities(query, seed);
  let doc: Document;
  if (Array.isArray(update) || isOperatorUpdate(update)) {
    // Without the query: mingo applies an update only to documents matching its condition, and the
    // seed need not match (e.g. {n: {$gt: 1}}). The positional $ has no match on an insert anyway.
    doc = applyUpdate(seed, update, { arrayFilters: options.arrayFilters }, true) ?? seed;
  } else {
    validateReplacement(update as Document);
    doc = { ...(update as Document) };
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  }
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  return doc;
}

function collectEqualities(query: Document, into: Document): void {
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) if (isPlainObject(part)) collectEqualities(part, into);
      continue;
    }
    if (key.startsWith('$')) continue;
    let v: unknown = value;
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (keys.some((k) => k.startsWith('$'))) {
        if (keys.length === 1 && keys[0] === '$eq') v = value.$eq;
        else continue;
      }
    }
    setPath(into, key, cloneDocument(v));
  }
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let at: Document = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(at[part])) at[part] = {};
    at = at[part] as Document;
  }
  at[parts[parts.length - 1]!] = value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if ('equals' in a && typeof (a as { equals: unknown }).equals === 'function') return (a as { equals(o: unknown): boolean }).equals(b);
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

function sameDocument(a: Document, b: Document): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => kb[i] === k && deepEqual(a[k], b[k]));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if ((a as { _bsontype?: unknown })._bsontype !== undefined || (b as { _bsontype?: unknown })._bsontype !== undefined) return sameValue(a, b);
  return sameDocument(a as Document, b as Document);
}
