/**
 * Picks the documents a filter can possibly match, using `_id` and single-field indexes for
 * equality (`{f: v}`, `{f: {$eq: v}}`, `{f: {$in: [...]}}`, also inside a top-level `$and`),
 * else the ordered view of an indexed field for a range (`$gt`, `$lte`...).
 * The result is only a candidate set: the caller still tests every document with mingo,
 * so the planner may be conservative but never too narrow.
 */
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { isPlainObject } from '../storage/index-spec.js';
import { valueKey } from '../storage/value-key.js';
import { conjuncts, fieldRange } from './field-range.js';
import { viewFor } from './ordered-find.js';

export type Candidates = { count: number; docs: () => Iterable<Document> };

/** Scalars an equality index can look up; null/undefined (which match missing fields), arrays, objects and regexes cannot. */
function isIndexableScalar(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== 'object') return true;
  if (value instanceof Date) return true;
  const type = (value as { _bsontype?: string })._bsontype;
  return type === 'ObjectId' || type === 'Long' || type === 'Int32' || type === 'Double' || type === 'Decimal128';
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

/**
 * Candidates from a range of an indexed field (field-range.ts) read from its ordered view,
 * in natural order (as a scan would give them). Views are built only when `build` says so.
 */
function rangeCandidates(collection: Collection, field: string, filter: Document, build: boolean): Candidates | undefined {
  const view = viewFor(collection, field, build);
  if (!view) return undefined;
  const range = fieldRange(filter, field);
  if (range === undefined) return undefined;
  if (range === 'empty') return { count: 0, docs: () => [] };
  const [start, end] = view.slots(range);
  return {
    count: end - start,
    // Read one at a time as the caller goes (through a durable engine's bounded cache): a wide
    // range must not hold its documents all at once. A write meanwhile behaves as in a scan
    // (Records.values): a deleted document is passed over, a replaced one read as it is now.
    docs: function* () {
      const positions = new Uint32Array(end - start);
      for (let slot = start; slot < end; slot++) positions[slot - start] = view.position(slot);
      positions.sort();
      for (const p of positions) {
        const doc = view.docAt(p);
        if (doc !== undefined) yield doc;
      }
    },
  };
}

/**
 * The narrowest candidates an index gives for `filter`: equality look-ups, else ranges of
 * fields with an ordered view (built on demand when `buildViews`). Equality wins whenever it
 * applies, so that finds keep the order they always had.
 */
export function indexCandidates(collection: Collection, filter: Document | undefined, buildViews = false): Candidates | undefined {
  if (!filter || Object.keys(filter).length === 0) return undefined;
  let best: Candidates | undefined;
  const parts = conjuncts(filter);
  for (const [field, condition] of parts) {
    const values = equalityValues(condition);
    if (!values) continue;
    const found = candidatesFor(collection, field, values);
    if (found && (!best || found.count < best.count)) best = found;
    if (best && best.count === 0) break;
  }
  if (best) return best;
  const seen = new Set<string>();
  for (const [field] of parts) {
    if (seen.has(field)) continue;
    seen.add(field);
    const found = rangeCandidates(collection, field, filter, buildViews);
    if (found && found.count < collection.size && (!best || found.count < best.count)) best = found;
  }
  return best;
}

/** Documents to test against `filter`: an index's matches when one applies, else the whole collection. */
export function candidateDocuments(collection: Collection, filter: Document | undefined, options: { buildViews?: boolean } = {}): Iterable<Document> {
  return indexCandidates(collection, filter, options.buildViews)?.docs() ?? collection.docs.values();
}
