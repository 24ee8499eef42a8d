/**
 * $lookup with localField/foreignField (no let/pipeline): an equality join that reads the
 * foreign collection's `_id` or a single-field index when there is one, and otherwise builds
 * one hash of the foreign collection. Matching follows MongoDB: array values match by
 * element, a missing local field matches foreign documents whose field is null or missing.
 */
import type { Document } from 'bson';
import type { Collection } from '../../storage/collection.js';
import { pathValues } from '../../storage/index-spec.js';
import { valueKey } from '../../storage/value-key.js';
import { isPlainSpecObject, type StageContext, type StageFactory, type StageFn } from './types.js';

type Matcher = (value: unknown) => Iterable<Document>;

function matcherFor(foreign: Collection | undefined, foreignField: string): Matcher {
  if (!foreign) return () => [];
  if (foreignField === '_id') {
    return (value) => {
      const doc = value === null || value === undefined ? undefined : foreign.findById(value);
      return doc ? [doc] : [];
    };
  }
  const index = foreign.secondaryIndexes().find((i) => i.servesEquality(foreignField));
  if (index) {
    return (value) => {
      const out: Document[] = [];
      for (const id of index.lookup(value ?? null)) {
        const doc = foreign.docs.get(id);
        if (doc) out.push(doc);
      }
      return out;
    };
  }
  const path = foreignField.split('.');
  const hash = new Map<string, Document[]>();
  for (const doc of foreign.docs.values()) {
    const seen = new Set<string>();
    for (const value of pathValues(doc, path)) {
      const key = valueKey(value ?? null);
      if (seen.has(key)) continue;
      seen.add(key);
      const bucket = hash.get(key);
      if (bucket) bucket.push(doc);
      else hash.set(key, [doc]);
    }
  }
  return (value) => hash.get(valueKey(value ?? null)) ?? [];
}

interface LookupSpec {
  from: string;
  localPath: string[];
  foreignField: string;
  as: string;
}

function parseSpec(spec: unknown): LookupSpec | undefined {
  if (!isPlainSpecObject(spec)) return undefined;
  const { from, localField, foreignField, as } = spec;
  if (typeof from !== 'string' || typeof localField !== 'string' || typeof foreignField !== 'string' || typeof as !== 'string') return undefined;
  if ('let' in spec || 'pipeline' in spec || as.includes('.')) return undefined;
  return { from, localPath: localField.split('.'), foreignField, as };
}

/** The foreign documents matching `doc`, each once, in order of first match. */
function joinedDocuments(doc: Document, localPath: readonly string[], match: Matcher): Document[] {
  const values = pathValues(doc, localPath);
  if (values.length === 1) return [...match(values[0])];
  const out: Document[] = [];
  // A few values (a cart's products): a scan of the matches so far beats a Set.
  const unique = values.length > 16 ? new Set<Document>() : undefined;
  for (const value of values) {
    for (const foreign of match(value)) {
      if (unique ? unique.has(foreign) : out.includes(foreign)) continue;
      unique?.add(foreign);
      out.push(foreign);
    }
  }
  return out;
}

export const lookupStage: StageFactory = (spec, { catalog, db }) => {
  const lookup = parseSpec(spec);
  if (!lookup) return undefined;
  const { from, localPath, foreignField, as } = lookup;
  return function* (input) {
    // Resolved when the stage first runs, not when the pipeline is built.
    const match = matcherFor(catalog.get(db, from), foreignField);
    for (const doc of input) yield { ...doc, [as]: joinedDocuments(doc, localPath, match) };
  };
};

/**
 * `$lookup` followed by `{ $unwind: '$<as>' }` (no options), as one stage, as MongoDB itself
 * coalesces them: one document per joined foreign document (none when nothing matches),
 * without building the array in between. `unwind` is the next stage's spec.
 */
export function lookupUnwindStage(spec: unknown, unwind: unknown, { catalog, db }: StageContext): StageFn | undefined {
  const lookup = parseSpec(spec);
  const path = typeof unwind === 'string' ? unwind : isPlainSpecObject(unwind) && Object.keys(unwind).length === 1 ? unwind.path : undefined;
  if (!lookup || path !== `$${lookup.as}`) return undefined;
  const { from, localPath, foreignField, as } = lookup;
  return function* (input) {
    const match = matcherFor(catalog.get(db, from), foreignField);
    for (const doc of input) {
      for (const foreign of joinedDocuments(doc, localPath, match)) yield { ...doc, [as]: foreign };
    }
  };
}
