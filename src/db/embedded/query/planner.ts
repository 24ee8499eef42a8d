/**
 * Picks the documents a filter can possibly match, using `_id` and single-field indexes for
 * equality (`{f: v}`, `{f: {$eq: v}}`, `{f: {$in: [...]}}`, also inside a top-level `$and`).
 * The result is only a candidate set: the caller still tests every document with mingo,
 * so the planner may be conservative but never too narrow.
 */
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { isPlainObject } from '../storage/index-spec.js';
import { valueKey } from '../storage/value-key.js';

type Candidates = { count: number; docs: () => Iterable<Document> };

/** Scalars an equality index can look up; null/undefined (which match missing fields), arrays, objects and regexes cannot. */
function isIndexableScalar(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== 'object') return true;
  if (value instanceof Date) return true;
  const type = (value as { _bsontype?: string })._bsontype;
  return type === 'ObjectId' || type === 'Long' || type === 'Int32' || type === 'Double';
}

/** The values `{field: condition}` requires by equality, or undefined when it is not such a condition. */
function equalityValues(condition: unknown): unknown[] | undefined {
  if (isIndexableScalar(condition)) return [condition];
  if (!isPlainObject(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1) return undefined;
  const op = keys[0];
  const operand = condition[op!];
  if (op === '$eq' && isIndexableScalar(operand)) return [operand];
  if (op === '$in' && Array.isArray(operand) && operand.every(isIndexableScalar)) return operand;
  return undefined;
}

function candidatesFor(collection: Collection, field: string, values: unknown[]): Candidates | undefined {
  if (field === '_id') {
    const docs = values.map((v) => collection.docs.get(valueKey(v))).filter((d): d is Document => d !== undefined);
    return { count: docs.length, docs: () => docs };
  }
  const index = collection.secondaryIndexes().find((i) => i.servesEquality(field));
  if (!index) return undefined;
  const ids = new Set<string>();
  for (const value of values) for (const id of index.lookup(value)) ids.add(id);
  return {
    count: ids.size,
    docs: function* () {
      for (const id of ids) {
        const doc = collection.docs.get(id);
        if (doc) yield doc;
      }
    },
  };
}

function conjuncts(filter: Document): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) if (isPlainObject(part)) out.push(...conjuncts(part));
    } else if (!key.startsWith('$')) {
      out.push([key, value]);
    }
  }
  return out;
}

/** Documents to test against `filter`: an index's matches when one applies, else the whole collection. */
export function candidateDocuments(collection: Collection, filter: Document | undefined): Iterable<Document> {
  if (filter && Object.keys(filter).length > 0) {
    let best: Candidates | undefined;
    for (const [field, condition] of conjuncts(filter)) {
      const values = equalityValues(condition);
      if (!values) continue;
      const found = candidatesFor(collection, field, values);
      if (found && (!best || found.count < best.count)) best = found;
      if (best && best.count === 0) break;
    }
    if (best) return best.docs();
  }
  return collection.docs.values();
}
