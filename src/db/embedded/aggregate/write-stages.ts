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
import { isPlainObject } from '../storage/index-spec.js';
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

export function writeOut(catalog: Catalog, target: Target, docs: Iterator<Document>): void {
  const existing = catalog.get(target.db, target.coll);
  const temp = catalog.create(target.db, `tmp.agg_out.${process.pid}.${++tempCounter}`, existing?.options ?? {});
  try {
    for (const spec of existing?.indexSpecs().slice(1) ?? []) temp.addIndex(spec);
    for (let next = docs.next(); !next.done; next = docs.next()) temp.insert(next.value);
    temp.persistIndexes();
    catalog.replaceWith(temp, target.coll);
  } catch (error) {
    catalog.drop(target.db, temp.name);
    throw error;
  }
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

export function writeMerge(catalog: Catalog, spec: MergeSpec, docs: Iterator<Document>): void {
  const target = catalog.getOrCreate(spec.target.db, spec.target.coll);
  for (let next = docs.next(); !next.done; next = docs.next()) {
    const doc = next.value;
    const filter: Document = {};
    for (const field of spec.on) {
      const value = pick(doc, field);
      if (value === undefined || Array.isArray(value)) {
        throw new CommandError('FailedToParse', `$merge write error: 'on' field '${field}' cannot be missing, null or an array`);
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
      else if (spec.whenNotMatched === 'fail') throw new CommandError('BadValue', '$merge could not find a matching document in the target collection for at least one document in the source collection');
      continue;
    }
    const wm = spec.whenMatched;
    if (wm === 'keepExisting') continue;
    if (wm === 'fail') throw matchFailure(target.ns, doc);
    let replacement: Document | null;
    if (wm === 'replace') replacement = { ...doc, _id: matched._id };
    else if (wm === 'merge') replacement = applyUpdate(matched, { $set: withoutId(doc) });
    else {
      const variables = { ...(spec.let ?? {}), new: doc };
      const [result] = new Aggregator(wm, { variables }).run([matched]);
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
