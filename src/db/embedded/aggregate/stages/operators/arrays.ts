/**
 * Compiled array operators: `$concatArrays`, `$arrayElemAt`, `$map`, `$filter`, `$reduce`,
 * `$arrayToObject`. Inputs that are arrays of the expected items run here; null or missing
 * inputs give null (as in mingo and MongoDB); anything else is SLOW and goes to mingo, which
 * raises its own error. The iterating operators bind their variables in the compiler's frame
 * (see support.ts), so their bodies are compiled too.
 */
import { truthy } from './control.js';
import { cloneDocument } from '../../../storage/clone.js';
import { compilePairWriter } from './pair-writer.js';
import { compileSumByKey } from './sum-by-key.js';
import { type Compiled, type Compiler, isNullish, isPlainObject, objectOperand, type Operator, SLOW, variableName } from './support.js';

/** Whether `expr` mentions the variable `$$<name>` anywhere (at any depth, whatever binds it). */
function mentions(expr: unknown, name: string): boolean {
  if (typeof expr === 'string') return expr === `$$${name}` || expr.startsWith(`$$${name}.`);
  if (Array.isArray(expr)) return expr.some((item) => mentions(item, name));
  if (isPlainObject(expr)) return Object.values(expr).some((value) => mentions(value, name));
  return false;
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

/** The parts of a `$filter` operand handled here (no `limit`), or undefined. */
function filterSpec(operand: unknown): { spec: Record<string, unknown>; name: string } | undefined {
  const spec = objectOperand(operand, ['input', 'cond'], ['input', 'as', 'cond']);
  const name = spec && variableName(spec.as);
  return spec && name ? { spec, name } : undefined;
}

/**
 * A compiled `$filter`; with `firstOnly`, the first element that passes, without building the
 * filtered array (missing when none does): `{ $arrayElemAt: [{ $filter: ... }, 0] }`. Either
 * way null for a null or missing input, as `$filter` gives.
 */
function compileFiltered(operand: unknown, compiler: Compiler, firstOnly: boolean): Compiled | undefined {
  const parsed = filterSpec(operand);
  if (!parsed) return undefined;
  const input = compiler.compile(parsed.spec.input);
  const scope = compiler.bind([parsed.name]);
  const cond = scope.compile(parsed.spec.cond);
  return (doc) => {
    const items = input(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    const out: unknown[] | undefined = firstOnly ? undefined : [];
    for (const item of items) {
      scope.set(0, item);
      if (!truthy(cond(doc))) continue;
      if (!out) return item;
      out.push(item);
    }
    return out;
  };
}

const $filter: Operator = (operand, compiler) => compileFiltered(operand, compiler, false);

const $reduce: Operator = (operand, compiler) => {
  const spec = objectOperand(operand, ['input', 'initialValue', 'in'], ['input', 'initialValue', 'in']);
  // mingo lets an enclosing `$$this` win over the reduced element, and binds `$$CURRENT` to
  // the element: those cases stay with mingo.
  if (!spec || compiler.bound('this') || mentions(spec.in, 'CURRENT')) return undefined;
  const appended = appendedLists(spec.in);
  if (appended) return compileAppendingReduce(spec, appended, compiler);
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

/**
 * The lists a `$reduce` body appends to the accumulated value, when the body is
 * `{ $concatArrays: ['$$value', ...lists] }` and the lists never read `$$value`: the
 * accumulator is then private to the reduction and can grow in place, instead of being copied
 * at every element (quadratic in the result's length).
 */
function appendedLists(body: unknown): unknown[] | undefined {
  if (!isPlainObject(body) || Object.keys(body).length !== 1 || !Array.isArray(body.$concatArrays)) return undefined;
  const [first, ...lists] = body.$concatArrays as unknown[];
  if (first !== '$$value' || lists.some((list) => mentions(list, 'value'))) return undefined;
  return lists;
}

/**
 * `$reduce` appending lists to a private array: the values of the reduction as written
 * (`$concatArrays` gives null as soon as an argument is null or missing, and every later step
 * then gives null too), computed in one growing array. A value `$concatArrays` would not take
 * (not an array) is SLOW, and mingo evaluates the whole `$reduce`.
 */
function compileAppendingReduce(spec: Record<string, unknown>, lists: unknown[], compiler: Compiler): Compiled {
  const input = compiler.compile(spec.input);
  const initialValue = compiler.compile(spec.initialValue);
  const scope = compiler.bind(['value', 'this']);
  const parts = lists.map((list) => scope.compile(list));
  return (doc) => {
    const items = input(doc);
    const initial = initialValue(doc);
    if (isNullish(items)) return null;
    if (!Array.isArray(items)) return SLOW;
    if (items.length === 0) return initial;
    if (isNullish(initial)) return null;
    if (!Array.isArray(initial)) return SLOW;
    const out = initial.slice();
    for (const item of items) {
      scope.set(1, item);
      for (const part of parts) {
        const list = part(doc);
        if (isNullish(list)) return null;
        if (!Array.isArray(list)) return SLOW;
        for (const value of list) out.push(value);
      }
    }
    return out;
  };
}

const $arrayToObject: Operator = (operand, compiler) => {
  const write = compilePairWriter(operand, compiler);
  if (!write) return undefined;
  return (doc) => {
    const out: Record<string, unknown> = {};
    const written = write(doc, out);
    return written === true ? out : written;
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

const $arrayElemAt: Operator = (operand, compiler) => {
  if (!Array.isArray(operand) || operand.length !== 2) return undefined;
  const [arrayExpr, indexExpr] = operand as [unknown, unknown];
  const filter = indexExpr === 0 && isPlainObject(arrayExpr) && Object.keys(arrayExpr).length === 1 ? arrayExpr.$filter : undefined;
  const first = filter === undefined ? undefined : compileFiltered(filter, compiler, true);
  if (first) return first;
  // An array `$literal` (a lookup table) is read in place; only the element taken is copied.
  const table =
    isPlainObject(arrayExpr) && Object.keys(arrayExpr).length === 1 && Array.isArray(arrayExpr.$literal) ? (arrayExpr.$literal as unknown[]) : undefined;
  const arrayOf: Compiled = table ? () => table : compiler.compile(arrayExpr);
  const indexOf = compiler.compile(indexExpr);
  return (doc) => {
    const array = arrayOf(doc);
    const index = indexOf(doc);
    if (isNullish(array) || isNullish(index)) return null;
    if (!Array.isArray(array) || typeof index !== 'number' || !Number.isInteger(index)) return SLOW;
    const item = index < 0 ? array[array.length + index] : array[index];
    return table ? cloneDocument(item) : item;
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
