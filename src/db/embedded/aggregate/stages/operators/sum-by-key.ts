/**
 * Idiom: "sum the values of a list of `{k, v}` pairs per distinct key", as plain MongoDB
 * operators write it (no `$getField`, no `$accumulator`):
 *
 *   { $map: { input: { $setUnion: [{ $map: { input: L, in: '$$this.k' } }] }, as: K,
 *             in: { k: '$$K', v: { $sum: { $map: { input: { $filter: { input: L,
 *                   cond: { $eq: ['$$this.k', '$$K'] } } }, in: '$$this.v' } } } } } }
 *
 * with L a variable or a field path (the same one twice). Evaluated as written, that is
 * (distinct keys) × (pairs) steps, each through the interpreter; recognized here, it is one
 * plain pass (a Map for long lists), giving the same
 * result: keys in first-seen order (the order `$setUnion` gives them), each with the `$sum` of
 * its values (numbers other than NaN, in order; 0 when none). Inputs outside the fast path
 * (a pair that is not a document, a key that is not a string, a list that is not an array)
 * answer SLOW: mingo then evaluates the expression as written.
 */
import { type Compiled, type Compiler, isPlainObject, SLOW } from './support.js';

const hasOnly = (value: unknown, keys: readonly string[]): value is Record<string, unknown> =>
  isPlainObject(value) && Object.keys(value).length === keys.length && keys.every((key) => Object.hasOwn(value, key));

/** The `{ $op: operand }` operand, when `expr` is exactly that operator. */
function operandOf(expr: unknown, op: string): unknown {
  return hasOnly(expr, [op]) ? expr[op] : undefined;
}

/** L, when `spec` (a `$map` operand) is the idiom; undefined otherwise. */
function listOf(spec: unknown): string | undefined {
  if (!hasOnly(spec, ['input', 'as', 'in']) || typeof spec.as !== 'string' || spec.as === '' || spec.as === 'this') return undefined;
  const key = `$$${spec.as}`;
  const union = operandOf(spec.input, '$setUnion');
  if (!Array.isArray(union) || union.length !== 1) return undefined;
  const keys = operandOf(union[0], '$map');
  if (!hasOnly(keys, ['input', 'in']) || keys.in !== '$$this.k' || typeof keys.input !== 'string' || !keys.input.startsWith('$')) return undefined;
  const list = keys.input;
  if (!hasOnly(spec.in, ['k', 'v']) || spec.in.k !== key) return undefined;
  const values = operandOf(operandOf(spec.in.v, '$sum'), '$map');
  if (!hasOnly(values, ['input', 'in']) || values.in !== '$$this.v') return undefined;
  const filter = operandOf(values.input, '$filter');
  if (!hasOnly(filter, ['input', 'cond']) || filter.input !== list) return undefined;
  const eq = operandOf(filter.cond, '$eq');
  if (!Array.isArray(eq) || eq.length !== 2 || eq[0] !== '$$this.k' || eq[1] !== key) return undefined;
  return list;
}

/** Whether `spec` (a `$map` operand) is the idiom. */
export function isSumByKey(spec: unknown): boolean {
  return listOf(spec) !== undefined;
}

/** A fast function for the idiom, or undefined when `spec` is not it. */
export function compileSumByKey(spec: unknown, compiler: Compiler): Compiled | undefined {
  const list = listOf(spec);
  if (list === undefined) return undefined;
  const pairsOf = compiler.compile(list);
  return (doc) => {
    const pairs = pairsOf(doc);
    if (!Array.isArray(pairs)) return SLOW;
    // A few dozen pairs at most, as a rule: a scan of the sums so far beats a Map's allocation.
    const out: { k: string; v: number }[] = [];
    const index = pairs.length > 64 ? new Map<string, { k: string; v: number }>() : undefined;
    for (const pair of pairs) {
      if (!isPlainObject(pair) || typeof pair.k !== 'string') return SLOW;
      const k = pair.k;
      let sum = index ? index.get(k) : undefined;
      if (!index) for (let i = 0; i < out.length && !sum; i++) if (out[i]!.k === k) sum = out[i];
      if (!sum) {
        sum = { k, v: 0 };
        out.push(sum);
        index?.set(k, sum);
      }
      const v = pair.v;
      if (typeof v === 'number' && !Number.isNaN(v)) sum.v += v;
    }
    return out;
  };
}
