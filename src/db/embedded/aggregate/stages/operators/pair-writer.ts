/**
 * `$arrayToObject` of `{k, v}` documents, written into a target document rather than returned:
 * `$arrayToObject` writes into a new one, `$mergeObjects` into the document it is merging.
 *
 * When the list is `{ $map: { input, as, in: { k: K, v: V } } }`, the pairs are never built:
 * K and V are evaluated per element and written straight away (the crunch turns every month's
 * and every year's category sums into documents this way). The result is the one of the
 * expression as written: keys in first-seen place, the last value of a repeated key; a null or
 * missing list gives null. Anything `$arrayToObject` would not take here (a list that is not
 * an array, an element that is not a `{k: string, v}` document, a missing v) is SLOW, and
 * mingo evaluates the enclosing operator.
 */
import { isSumByKey } from './sum-by-key.js';
import { type Compiled, type Compiler, isNullish, isPlainObject, objectOperand, SLOW, variableName } from './support.js';

/** Writes the pairs of `doc` into `out`: true, null for a null or missing list, or SLOW. */
export type PairWriter = (doc: unknown, out: Record<string, unknown>) => true | null | typeof SLOW;

/** The writer for `operand`, the operand of `$arrayToObject` (a list literal is not handled: mingo reads it as `[k, v]` pairs). */
export function compilePairWriter(operand: unknown, compiler: Compiler): PairWriter | undefined {
  if (Array.isArray(operand)) return undefined;
  return mappedPairs(operand, compiler) ?? listedPairs(compiler.compile(operand));
}

function listedPairs(list: Compiled): PairWriter {
  return (doc, out) => {
    const items = list(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    for (const item of items) {
      if (!isPlainObject(item) || !Object.hasOwn(item, 'k') || typeof item.k !== 'string' || item.v === undefined) return SLOW;
    }
    // A repeated key keeps its first place and takes the last value, as in mingo.
    for (const item of items as { k: string; v: unknown }[]) out[item.k] = item.v;
    return true;
  };
}

/** `{ $map: { input, as, in: { k, v } } }` (an object literal of exactly k and v), or undefined. */
function mappedPairs(operand: unknown, compiler: Compiler): PairWriter | undefined {
  if (!isPlainObject(operand) || Object.keys(operand).length !== 1 || !Object.hasOwn(operand, '$map')) return undefined;
  const spec = objectOperand(operand.$map, ['input', 'in'], ['input', 'as', 'in']);
  const name = spec && variableName(spec.as);
  const pair = spec?.in;
  if (!spec || !name || !isPlainObject(pair) || Object.keys(pair).length !== 2 || !Object.hasOwn(pair, 'k') || !Object.hasOwn(pair, 'v')) return undefined;
  // The one-pass sum by key (sum-by-key.ts) has this shape too, and must stay itself.
  if (isSumByKey(operand.$map)) return undefined;
  const input = compiler.compile(spec.input);
  const scope = compiler.bind([name]);
  const keyOf = scope.compile(pair.k);
  const valueOf = scope.compile(pair.v);
  return (doc, out) => {
    const items = input(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    for (const item of items) {
      scope.set(0, item);
      const k = keyOf(doc);
      if (typeof k !== 'string') return SLOW;
      const v = valueOf(doc);
      if (v === undefined) return SLOW;
      out[k] = v;
    }
    return true;
  };
}
