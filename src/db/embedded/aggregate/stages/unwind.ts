/**
 * $unwind of a top-level array field. Documents whose field is missing, null, empty or not an
 * array take mingo's path (on a copy), so those edge cases keep mingo's semantics.
 */
import type { Document } from 'bson';
import { Aggregator } from '../../query/mingo-context.js';
import { cloneDocument } from '../../storage/clone.js';
import { isPlainSpecObject, type StageFactory } from './types.js';

export const unwindStage: StageFactory = (spec) => {
  const options = typeof spec === 'string' ? { path: spec } : isPlainSpecObject(spec) ? spec : undefined;
  if (!options || typeof options.path !== 'string' || !options.path.startsWith('$')) return undefined;
  const field = options.path.slice(1);
  if (field.includes('.') || field.startsWith('$')) return undefined;
  const indexField = typeof options.includeArrayIndex === 'string' ? options.includeArrayIndex : undefined;
  if (indexField?.includes('.')) return undefined;
  const fallback = new Aggregator([{ $unwind: spec as Document }]);
  return function* (input) {
    for (const doc of input) {
      const value = doc[field];
      if (Array.isArray(value) && value.length > 0) {
        for (let i = 0; i < value.length; i++) {
          const out: Document = { ...doc };
          out[field] = value[i];
          if (indexField) out[indexField] = i;
          yield out;
        }
      } else {
        yield* fallback.run([cloneDocument(doc)]) as Document[];
      }
    }
  };
};
