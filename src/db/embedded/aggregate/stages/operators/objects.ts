/**
 * Compiled object operators: `$mergeObjects` (the expression form, with a list of documents).
 *
 * An argument that is `{ $arrayToObject: pairs }` is merged straight from its `{k, v}` pairs,
 * without building the document in between (the crunch fills 12 months this way): same keys,
 * same places (first occurrence), same values (the last one). A pair list outside that path
 * (not an array, a pair that is not a `{k: string, v}` document, a missing `v`) is SLOW, and
 * mingo evaluates the whole `$mergeObjects`.
 */
import { type Compiled, isNullish, isPlainObject, type Operator, SLOW } from './support.js';

type Part = { pairs: boolean; value: Compiled };

/** Merges `value` into `out` as mingo does: a field keeps its first place, takes the last defined value. */
function mergeDocument(out: Record<string, unknown>, value: unknown): boolean {
  if (isNullish(value)) return true;
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return true;
}

/** Merges `{k, v}` pairs into `out`, as `$arrayToObject` then the merge would. */
function mergePairs(out: Record<string, unknown>, pairs: unknown): boolean {
  if (isNullish(pairs)) return true; // $arrayToObject gives null: nothing to merge
  if (!Array.isArray(pairs)) return false;
  for (const pair of pairs) {
    if (!isPlainObject(pair) || !Object.hasOwn(pair, 'k') || typeof pair.k !== 'string' || pair.v === undefined) return false;
  }
  for (const pair of pairs as { k: string; v: unknown }[]) out[pair.k] = pair.v;
  return true;
}

const $mergeObjects: Operator = (operand, { compile }) => {
  if (!Array.isArray(operand)) return undefined;
  const parts: Part[] = operand.map((arg) => {
    const pairs = isPlainObject(arg) && Object.keys(arg).length === 1 && Object.hasOwn(arg, '$arrayToObject') && !Array.isArray(arg.$arrayToObject);
    return { pairs, value: compile(pairs ? (arg as { $arrayToObject: unknown }).$arrayToObject : arg) };
  });
  return (doc) => {
    const out: Record<string, unknown> = {};
    for (const { pairs, value } of parts) {
      if (!(pairs ? mergePairs(out, value(doc)) : mergeDocument(out, value(doc)))) return SLOW;
    }
    return out;
  };
};

export const OBJECT_OPERATORS: Record<string, Operator> = { $mergeObjects };
