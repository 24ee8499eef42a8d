/**
 * $project, for flat specs (no dotted or nested inclusions). Output as MongoDB builds it:
 * `_id` first, included fields in the input's order, then computed fields in the spec's
 * order; a computed value that is missing is left out.
 */
import type { Document } from 'bson';
import { compileExpression } from './compile.js';
import { isPlainSpecObject, type StageFactory } from './types.js';

export const projectStage: StageFactory = (spec, { evaluate }) => {
  if (!isPlainSpecObject(spec)) return undefined;
  const included = new Set<string>();
  const excluded = new Set<string>();
  const computed: [string, unknown][] = [];
  let idIncluded = true;
  for (const [key, value] of Object.entries(spec)) {
    if (key.includes('.') || key.startsWith('$')) return undefined;
    if (value === 1 || value === true) included.add(key);
    else if (value === 0 || value === false) {
      if (key === '_id') idIncluded = false;
      else excluded.add(key);
    } else if (typeof value === 'number') return undefined;
    else if (isPlainSpecObject(value))
      return undefined; // nested projection
    else computed.push([key, value]);
  }
  // `{ _id: 0 }` alone excludes _id and keeps everything else, like any exclusion projection.
  if (excluded.size > 0 || (!idIncluded && included.size === 0 && computed.length === 0)) {
    if (included.size > 0 || computed.length > 0) return undefined; // mingo reports the error
    if (!idIncluded) excluded.add('_id');
    return function* (input) {
      for (const doc of input) {
        const out: Document = {};
        for (const key in doc) if (!excluded.has(key)) out[key] = doc[key];
        yield out;
      }
    };
  }
  const computedId = computed.find(([key]) => key === '_id');
  const idValue = computedId ? compileExpression(computedId[1], evaluate) : idIncluded ? (doc: unknown) => (doc as Document)._id : undefined;
  included.delete('_id');
  const compiled = computed.filter(([key]) => key !== '_id').map(([key, expr]) => [key, compileExpression(expr, evaluate)] as const);
  return function* (input) {
    for (const doc of input) {
      const out: Document = {};
      if (idValue) {
        const id = idValue(doc);
        if (id !== undefined) out._id = id;
      }
      for (const key in doc) if (included.has(key)) out[key] = doc[key];
      for (const [key, value] of compiled) {
        const v = value(doc);
        if (v !== undefined) out[key] = v;
      }
      yield out;
    }
  };
};
