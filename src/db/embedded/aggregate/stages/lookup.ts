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
import { isPlainSpecObject, type StageFactory } from './types.js';

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

export const lookupStage: StageFactory = (spec, { catalog, db }) => {
  if (!isPlainSpecObject(spec)) return undefined;
  const { from, localField, foreignField, as } = spec;
  if (typeof from !== 'string' || typeof localField !== 'string' || typeof foreignField !== 'string' || typeof as !== 'string') return undefined;
  if ('let' in spec || 'pipeline' in spec || as.includes('.')) return undefined;
  const localPath = localField.split('.');
  return function* (input) {
    // Resolved when the stage first runs, not when the pipeline is built.
    const match = matcherFor(catalog.get(db, from), foreignField);
    for (const doc of input) {
      const values = pathValues(doc, localPath);
      let joined: Document[];
      if (values.length === 1) joined = [...match(values[0])];
      else {
        const unique = new Set<Document>();
        for (const value of values) for (const foreign of match(value)) unique.add(foreign);
        joined = [...unique];
      }
      yield { ...doc, [as]: joined };
    }
  };
};
