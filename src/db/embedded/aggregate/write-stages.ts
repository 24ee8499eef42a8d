/**
 * $out and $merge, done by the engine rather than mingo: mingo's $out appends, while MongoDB's
 * replaces the target atomically. $out builds a temporary collection (with the target's
 * indexes) and swaps it in only when every document went in; on any error the target is intact.
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { Query } from '../query/mingo-context.js';
import { candidateDocuments } from '../query/planner.js';
import { applyUpdate } from '../query/update.js';
import type { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';
import { isPlainObject } from '../storage/index-spec.js';
import { valueKey } from '../storage/value-key.js';
import { Aggregator } from '../query/mingo-context.js';

let tempCounter = 0;

export interface Target {
  db: string;
  coll: string;
}

function targetOf(spec: unknown, db: string, stage: string): Target {
  if (typeof spec === 'string') return { db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string') return { db: typeof spec.db === 'string' ? spec.db : db, coll: spec.coll };
  throw new CommandError('FailedToParse', `${stage} needs a collection name or { db, coll }`);
}

export function outTarget(stage: Document, db: string): Target {
  return targetOf(stage.$out, db, '$out');
}

/**
 * Bytes of documents one step of an $out commits: LMDB keeps every page a transaction changes
 * in memory until it commits, so a step of this size bounds what a large $out holds.
 */
const OUT_STEP_BYTES = 32 * 2 ** 20;

/**
 * Fills a staging collection (with the target's options and indexes) and swaps it in when
 * every document went in; on any error the target is intact. On a durable store the staging
 * collection is filled in steps of OUT_STEP_BYTES, each its own transaction, and marked
 * temporary until the swap: a crash before the swap leaves the target as it was, and the
 * staging collection is dropped at the next open. The replaced target is dropped after the
 * swap, in steps too.
 */
export function writeOut(catalog: Catalog, target: Target, docs: Iterator<Document>, stepBytes = OUT_STEP_BYTES): void {
  const store = catalog.store;
  const temp = store.transaction(() => {
    const existing = catalog.get(target.db, target.coll);
    const staging = catalog.create(target.db, `tmp.agg_out.${process.pid}.${++tempCounter}`, existing?.options ?? {}, [], undefined, true);
    for (const spec of existing?.indexSpecs().slice(1) ?? []) staging.addIndex(spec);
    staging.persistIndexes(); // its postings are known to the catalog, for a drop after a crash
    return staging;
  });
  let replaced: number | undefined;
  try {
    let done = false;
    while (!done) {
      done = store.transaction(() => {
        for (let next = docs.next(); ; next = docs.next()) {
          if (next.done) return true;
          temp.insert(next.value);
          if (store.pendingBytes >= stepBytes) return false;
        }
      });
    }
    replaced = store.transaction(() => catalog.replaceWith(temp, target.coll, true));
  } catch (error) {
    dropStaging(catalog, temp);
    throw error;
  }
  // The $out is kept from here on: a drop that fails (a full disk) must not answer it with an
  // error. What is left of the old target is temporary, and the next open drops it.
  if (replaced !== undefined) ignoreFailure(() => store.dropCollection(replaced));
}

function ignoreFailure(fn: () => void): void {
  try {
    fn();
  } catch {
    // see the callers: what is left is marked temporary, for the next open
  }
}

/**
 * Drops an $out's staging collection after an error. A step the store undid reloaded the
 * catalog without it (temporary collections are not listed): then the store drops it, with
 * the steps it had committed. What cannot be dropped now (a full disk) is at the next open.
 */
function dropStaging(catalog: Catalog, temp: Collection): void {
  ignoreFailure(() => {
    if (catalog.get(temp.db, temp.name) === temp) catalog.drop(temp.db, temp.name);
    else catalog.store.dropCollection(temp.storeId);
  });
}

interface MergeSpec {
  target: Target;
  on: string[];
  whenMatched: 'replace' | 'keepExisting' | 'merge' | 'fail' | Document[];
  whenNotMatched: 'insert' | 'discard' | 'fail';
  let?: Document;
}

export function mergeSpec(stage: Document, db: string): MergeSpec {
  const raw = stage.$merge;
  const spec: Document = typeof raw === 'string' || (isPlainObject(raw) && raw.into === undefined) ? { into: raw } : (raw as Document);
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on.map(String) : [String(spec.on)];
  const whenMatched = (spec.whenMatched ?? 'merge') as MergeSpec['whenMatched'];
  const whenNotMatched = (spec.whenNotMatched ?? 'insert') as MergeSpec['whenNotMatched'];
  if (!Array.isArray(whenMatched) && !['replace', 'keepExisting', 'merge', 'fail'].includes(whenMatched)) {
    throw new CommandError('BadValue', `Enumeration value '${String(whenMatched)}' for field '$merge.whenMatched' is not a valid value.`);
  }
  if (!['insert', 'discard', 'fail'].includes(whenNotMatched)) {
    throw new CommandError('BadValue', `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`);
  }
  return { target: targetOf(spec.into, db, '$merge'), on, whenMatched, whenNotMatched, let: spec.let as Document | undefined };
}

function pick(doc: Document, path: string): unknown {
  let at: unknown = doc;
  for (const part of path.split('.')) at = isPlainObject(at) ? at[part] : undefined;
  return at;
}

/**
 * `on` fields other than _id need a unique index on exactly those fields in an existing target,
 * as mongod requires, so that a pipeline refused by MongoDB is refused here too.
 */
function checkOnIndex(target: Collection | undefined, on: readonly string[]): void {
  if (on.length === 1 && on[0] === '_id') return;
  const wanted = [...on].sort().join('\0');
  const found = target
    ?.indexSpecs()
    .some((spec) => spec.unique === true && !spec.partialFilterExpression && Object.keys(spec.key).sort().join('\0') === wanted);
  if (!found) throw new CommandError('MergeOnFieldsNotUnique', 'Cannot find index to verify that join fields will be unique');
}

/** A $merge $$new and `let` variables: `let` expressions are evaluated against the source document. */
function mergeVariables(spec: MergeSpec, doc: Document): Document {
  if (!spec.let) return { new: doc };
  const [values] = new Aggregator([{ $replaceWith: spec.let }]).run([doc]);
  return { new: doc, ...values };
}

export function writeMerge(catalog: Catalog, spec: MergeSpec, docs: Iterator<Document>): void {
  checkOnIndex(catalog.get(spec.target.db, spec.target.coll), spec.on);
  const target = catalog.getOrCreate(spec.target.db, spec.target.coll);
  for (let next = docs.next(); !next.done; next = docs.next()) {
    const doc = next.value;
    const filter: Document = {};
    for (const field of spec.on) {
      const value = pick(doc, field);
      if (value === undefined || value === null || Array.isArray(value)) {
        throw new CommandError('MergeOnFieldMissing', `$merge write error: 'on' field '${field}' cannot be missing, null, undefined or an array`);
      }
      filter[field] = value;
    }
    const query = new Query(filter);
    let matched: Document | undefined;
    for (const candidate of candidateDocuments(target, filter)) {
      if (query.test(candidate)) {
        matched = candidate;
        break;
      }
    }
    if (!matched) {
      if (spec.whenNotMatched === 'insert') target.insert(doc);
      else if (spec.whenNotMatched === 'fail') {
        throw new CommandError(
          'MergeStageNoMatchingDocument',
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      }
      continue;
    }
    const wm = spec.whenMatched;
    if (wm === 'keepExisting') continue;
    if (wm === 'fail') throw matchFailure(target.ns, doc);
    if ((wm === 'replace' || wm === 'merge') && doc._id !== undefined && valueKey(doc._id) !== valueKey(matched._id)) {
      // The source document would change the target's _id (e.g. `on` is not _id and _id was not projected out).
      throw new CommandError(
        'ImmutableField',
        "$merge failed to update the matching document, did you attempt to modify the _id or the shard key? :: caused by :: Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    let replacement: Document | null;
    if (wm === 'replace') replacement = { ...doc, _id: matched._id };
    else if (wm === 'merge') replacement = applyUpdate(matched, { $set: withoutId(doc) });
    else {
      const [result] = new Aggregator(wm, { variables: mergeVariables(spec, doc) }).run([matched]);
      replacement = result ? { ...result, _id: matched._id } : null;
    }
    if (replacement) target.replace(matched, replacement);
  }
}

function withoutId(doc: Document): Document {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}

function matchFailure(ns: string, doc: Document): CommandError {
  return new CommandError('DuplicateKey', `E11000 duplicate key error collection: ${ns} index: _id_ dup key: { _id: ${JSON.stringify(doc._id)} }`, {
    keyPattern: { _id: 1 },
    keyValue: { _id: doc._id },
  });
}
