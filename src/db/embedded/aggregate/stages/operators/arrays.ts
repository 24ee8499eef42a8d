/**
 * Compiled array operators: `$concatArrays`, `$arrayElemAt`, `$map`, `$filter`, `$reduce`,
 * `$arrayToObject`. Inputs that are arrays of the expected items run here; null or missing
 * inputs give null (as in mingo and MongoDB); anything else is SLOW and goes to mingo, which
 * raises its own error. The iterating operators bind their variables in the compiler's frame
 * (see support.ts), so their bodies are compiled too.
 */
import { truthy } from './control.js';
import { compileSumByKey } from './sum-by-key.js';
import { type Compiled, type Compiler, isNullish, isPlainObject, objectOperand, type Operator, SLOW } from './support.js';

/** Whether `expr` mentions `$$CURRENT` anywhere (mingo binds it differently inside `$reduce`). */
function mentionsCurrent(expr: unknown): boolean {
  if (typeof expr === 'string') return expr === '$$CURRENT' || expr.startsWith('$$CURRENT.');
  if (Array.isArray(expr)) return expr.some(mentionsCurrent);
  if (isPlainObject(expr)) return Object.values(expr).some(mentionsCurrent);
  return false;
}

function variableName(as: unknown): string | undefined {
  if (as === undefined) return 'this';
  return typeof as === 'string' ? as || 'this' : undefined;
}

const $map: Operator = (operand, compiler) => {
  const idiom = compileSumByKey(operand, compiler);
  if (idiom) return idiom;
  const spec = objectOperand(operand, ['input', 'in'], ['input', 'as', 'in']);
  const name = spec && variableName(spec.as);
  if (!spec || !name) return undefined;
  const input = compiler.compile(spec.input);
  const scope = compiler.bind([name]);
  const body = scope.compile(spec.in);
  return (doc) => {
    const items = input(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      scope.set(0, items[i]);
      out[i] = body(doc);
    }
    return out;
  };
};

const $filter: Operator = (operand, compiler) => {
  const spec = objectOperand(operand, ['input', 'cond'], ['input', 'as', 'cond']);
  const name = spec && variableName(spec.as);
  if (!spec || !name) return undefined;
  const input = compiler.compile(spec.input);
  const scope = compiler.bind([name]);
  const cond = scope.compile(spec.cond);
  return (doc) => {
    const items = input(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    const out: unknown[] = [];
    for (const item of items) {
      scope.set(0, item);
      if (truthy(cond(doc))) out.push(item);
    }
    return out;
  };
};

const $reduce: Operator = (operand, compiler) => {
  const spec = objectOperand(operand, ['input', 'initialValue', 'in'], ['input', 'initialValue', 'in']);
  // mingo lets an enclosing `$$this` win over the reduced element, and binds `$$CURRENT` to
  // the element: those cases stay with mingo.
  if (!spec || compiler.bound('this') || mentionsCurrent(spec.in)) return undefined;
  const input = compiler.compile(spec.input);
  const initialValue = compiler.compile(spec.initialValue);
  const scope = compiler.bind(['value', 'this']);
  const body = scope.compile(spec.in);
  return (doc) => {
    const items = input(doc);
    let result = initialValue(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    for (const item of items) {
      scope.set(0, result);
      scope.set(1, item);
      result = body(doc);
    }
    return result;
  };
};

const $arrayToObject: Operator = (operand, { compile }) => {
  if (Array.isArray(operand)) return undefined; // mingo reads a list as an array literal
  const input = compile(operand);
  return (doc) => {
    const items = input(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    const out: Record<string, unknown> = {};
    for (const item of items) {
      // `{k, v}` documents only; `[k, v]` pairs, a key that is not a string, errors: mingo.
      if (!isPlainObject(item) || !Object.hasOwn(item, 'k') || !Object.hasOwn(item, 'v') || typeof item.k !== 'string') return SLOW;
      out[item.k] = item.v; // a repeated key keeps its first place and takes the last value, as in mingo
    }
    return out;
  };
};

const $concatArrays: Operator = (operand, { compile }) => {
  if (!Array.isArray(operand)) return undefined;
  const args: Compiled[] = operand.map(compile);
  return (doc) => {
    const out: unknown[] = [];
    for (const arg of args) {
      const v = arg(doc);
      if (isNullish(v)) return null;
      if (!Array.isArray(v)) return SLOW;
      for (const item of v) out.push(item);
    }
    return out;
  };
};

const $arrayElemAt: Operator = (operand, { compile }) => {
  if (!Array.isArray(operand) || operand.length !== 2) return undefined;
  const [arrayOf, indexOf] = operand.map(compile) as [Compiled, Compiled];
  return (doc) => {
    const array = arrayOf(doc);
    const index = indexOf(doc);
    if (isNullish(array) || isNullish(index)) return null;
    if (!Array.isArray(array) || typeof index !== 'number' || !Number.isInteger(index)) return SLOW;
    return index < 0 ? array[array.length + index] : array[index];
  };
};

const $isArray: Operator = (operand, { compile }) => {
  if (Array.isArray(operand) && operand.length !== 1) return undefined;
  const input = compile(Array.isArray(operand) ? operand[0] : operand);
  return (doc) => Array.isArray(input(doc));
};

/** `$sum` as an expression, of one array: its numbers added (mingo ignores NaN and other types). */
const $sum: Operator = (operand, { compile }) => {
  const input = compile(operand);
  return (doc) => {
    const items = input(doc);
    if (!Array.isArray(items)) return SLOW; // a single number, null...: mingo
    let sum = 0;
    for (const item of items) if (typeof item === 'number' && !Number.isNaN(item)) sum += item;
    return sum;
  };
};

/** `$setUnion` of string arrays: the distinct strings, in first-seen order (mingo's). */
const $setUnion: Operator = (operand, { compile }) => {
  if (!Array.isArray(operand)) return undefined;
  const args: Compiled[] = operand.map(compile);
  return (doc) => {
    const seen = new Set<string>();
    for (const arg of args) {
      const items = arg(doc);
      if (!Array.isArray(items)) return SLOW;
      for (const item of items) {
        if (typeof item !== 'string') return SLOW;
        seen.add(item);
      }
    }
    return [...seen];
  };
};

export const ARRAY_OPERATORS: Record<string, Operator> = { $map, $filter, $reduce, $arrayToObject, $concatArrays, $arrayElemAt, $isArray, $sum, $setUnion };

export type { Compiler };
