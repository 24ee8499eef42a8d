/**
 * $unwind of a field reached through embedded documents ('$a' or '$a.b'). Arrays are unwound
 * here, and so are MongoDB's plain cases (a missing, null or empty field drops the document; a
 * single value is a one-element array) and preserveNullAndEmptyArrays (a missing or null field
 * or a single value keeps the document as it is, an empty array is removed; the index field, if
 * any, is null). The rest — an index field on a single value without preserve, a path under an
 * array — takes mingo's path on a copy, so those edge cases keep mingo's semantics; mingo's own
 * $unwind writes into its input, which must never be a stored document.
 */
import type { Document } from 'bson';
import { Aggregator } from '../../query/mingo-context.js';
import { cloneDocument } from '../../storage/clone.js';
import { isPlainContainer } from './compile.js';
import { isPlainSpecObject, type StageFactory } from './types.js';

/** A copy of `doc` with `path` set to `value`, copying only the documents on the path. */
function withPath(doc: Document, path: readonly string[], value: unknown, depth = 0): Document {
  const out: Document = { ...doc };
  const key = path[depth]!;
  out[key] = depth === path.length - 1 ? value : withPath(doc[key] as Document, path, value, depth + 1);
  return out;
}

/** A copy of `doc` without the field at `path` (which exists), copying only the documents on the path. */
function withoutPath(doc: Document, path: readonly string[], depth = 0): Document {
  const out: Document = { ...doc };
  const key = path[depth]!;
  if (depth === path.length - 1) delete out[key];
  else out[key] = withoutPath(doc[key] as Document, path, depth + 1);
  return out;
}

export const unwindStage: StageFactory = (spec) => {
  const options = typeof spec === 'string' ? { path: spec } : isPlainSpecObject(spec) ? spec : undefined;
  if (!options || typeof options.path !== 'string' || !options.path.startsWith('$') || options.path.startsWith('$$')) return undefined;
  const path = options.path.slice(1).split('.');
  const indexField = typeof options.includeArrayIndex === 'string' ? options.includeArrayIndex : undefined;
  if (indexField?.includes('.') || indexField?.startsWith('$')) return undefined;
  const preserve = options.preserveNullAndEmptyArrays === true;
  const fallback = new Aggregator([{ $unwind: spec as Document }]);
  return function* (input) {
    for (const doc of input) {
      let value: unknown = doc;
      let underArray = false;
      for (const part of path) {
        if (Array.isArray(value)) {
          underArray = true;
          break;
        }
        value = isPlainContainer(value) ? value[part] : undefined;
      }
      if (underArray) {
        yield* fallback.run([cloneDocument(doc)]) as Document[];
      } else if (Array.isArray(value) && value.length > 0) {
        for (let i = 0; i < value.length; i++) {
          const out = path.length === 1 ? { ...doc, [path[0]!]: value[i] } : withPath(doc, path, value[i]);
          if (indexField) out[indexField] = i;
          yield out;
        }
      } else if (preserve) {
        // Kept as it is; an empty array is removed (mingo and MongoDB agree); the index is null.
        const out = Array.isArray(value) ? withoutPath(doc, path) : indexField ? { ...doc } : doc;
        if (indexField) out[indexField] = null;
        yield out;
      } else if (value === null || value === undefined || Array.isArray(value)) {
        // MongoDB drops a document whose field is missing, null or an empty array.
      } else if (!indexField) {
        // A value that is not an array counts as a one-element array: the document as it is.
        yield doc;
      } else {
        yield* fallback.run([cloneDocument(doc)]) as Document[];
      }
    }
  };
};
