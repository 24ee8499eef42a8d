/**
 * Which top-level fields of its input documents a pipeline can read: from its first stages
 * up to the first one that builds new documents (an inclusion `$project` or a `$group`). A
 * durable engine then decodes only those fields of each stored document
 * (persistence/bson-fields.ts) instead of whole documents. Conservative: whatever this does
 * not understand (an exclusion, `$$ROOT`, an unknown stage) means "every field".
 */
import type { Document } from 'bson';

/** Variables that do not stand for the whole input document. */
const HARMLESS_VARIABLES = new Set(['$$NOW', '$$REMOVE', '$$CLUSTER_TIME']);

/** The top-level fields the pipeline reads, `_id` included; undefined when it may read any. */
export function topLevelDependencies(pipeline: readonly Document[]): string[] | undefined {
  const fields = new Set<string>(['_id']);
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    const spec: unknown = stage[name!];
    switch (name) {
      case '$unwind': {
        const path = typeof spec === 'string' ? spec : (spec as { path?: unknown } | null)?.path;
        if (typeof path !== 'string' || !addReference(path, fields)) return undefined;
        break; // every other field flows through
      }
      case '$project': {
        if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
        for (const [key, value] of Object.entries(spec as Document)) {
          if (value === 0 || value === false) {
            if (key !== '_id') return undefined; // an exclusion keeps every other field
            continue;
          }
          // The key itself too: `{details: {name: 1}}` is a nested inclusion of `details`.
          fields.add(key.split('.')[0]!);
          if (!addReferences(value, fields)) return undefined;
        }
        return [...fields];
      }
      case '$group':
        return addReferences(spec, fields) ? [...fields] : undefined;
      default:
        return undefined;
    }
  }
  return undefined; // the documents themselves come out
}

/** Adds the top-level field of every `$field` path in an expression; false if it may read the whole document. */
function addReferences(expression: unknown, fields: Set<string>): boolean {
  if (typeof expression === 'string') return !expression.startsWith('$') || addReference(expression, fields);
  if (Array.isArray(expression)) return expression.every((element) => addReferences(element, fields));
  if (expression && typeof expression === 'object') {
    if ((expression as { _bsontype?: unknown })._bsontype !== undefined || expression instanceof Date || expression instanceof RegExp) return true;
    for (const [key, value] of Object.entries(expression as Document)) {
      // $literal's strings are not paths; $let, $map, $filter… bind variables ($$x): refused below.
      if (key === '$literal') continue;
      if (!addReferences(value, fields)) return false;
    }
    return true;
  }
  return true;
}

function addReference(path: string, fields: Set<string>): boolean {
  if (path.startsWith('$$')) return HARMLESS_VARIABLES.has(path);
  if (!path.startsWith('$') || path.length === 1) return false;
  fields.add(path.slice(1).split('.')[0]!);
  return true;
}
