/**
 * Filters whose number operands compare as MongoDB compares numbers (numeric.ts). mingo's
 * equality tells a Decimal128 from the number it holds (and "7" from "7.00"), so every
 * field condition on a number — `{f: 7}`, `$eq`, `$ne`, `$in`, `$nin`, `$gt`/`$gte`/`$lt`/`$lte`,
 * the numbers of an `$all` list, also under `$not`, `$elemMatch`, `$and`/`$or`/`$nor` — becomes one of the engine's query
 * operators below, registered in mingo-context.ts. A value of another type than a number
 * never matches a number operand, as in MongoDB.
 */
import { resolve } from 'mingo/util';
import type { AnyObject } from 'mingo/types';
import { compareNumeric, equalsOperand, isBsonNumber, isNumeric, isNumericNaN, numericKey, numericOperand, type NumericOperand } from './numeric.js';

type Predicate = (doc: unknown) => boolean;
type InOperator = (selector: string, values: unknown[], options: unknown) => Predicate;

/** A number operand in a rewritten filter (a class, so that mingo keeps it as it is). */
export class NumberOperand {
  constructor(
    readonly operand: NumericOperand,
    readonly value: unknown,
  ) {}
}

/** An `$in`/`$nin` list split into its numbers and its other values (mingo's to test). */
export class NumberList {
  readonly doubles = new Set<number>();
  readonly keys = new Set<string>();
  readonly others: unknown[] = [];
  constructor(values: readonly unknown[]) {
    for (const value of values) {
      const operand = numericOperand(value);
      if (!operand) {
        this.others.push(value);
        continue;
      }
      this.keys.add(operand.key);
      // A Set compares as SameValueZero: NaN finds NaN and -0 finds 0, as MongoDB's equality.
      if (operand.double !== undefined) this.doubles.add(operand.double);
    }
  }

  has(value: unknown): boolean {
    if (typeof value === 'number') return this.doubles.has(value);
    return isBsonNumber(value) && this.keys.has(numericKey(value)!);
  }
}

const RANGE = { $gt: '$__numGt', $gte: '$__numGte', $lt: '$__numLt', $lte: '$__numLte' } as const;
const LOGICAL = new Set(['$and', '$or', '$nor']);

const isPlain = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

const box = (value: unknown): NumberOperand => new NumberOperand(numericOperand(value)!, value);

/** `filter` with its number operands on the engine's numeric operators; the same object when it has none. */
export function numericFilter(filter: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, condition] of Object.entries(filter)) {
    let next: unknown = condition;
    if (LOGICAL.has(key) && Array.isArray(condition)) {
      const branches = condition.map((branch) => (isPlain(branch) ? numericFilter(branch) : branch));
      if (branches.some((branch, i) => branch !== condition[i])) next = branches;
    } else if (!key.startsWith('$')) next = numericCondition(condition);
    if (next !== condition) (out ??= { ...filter })[key] = next;
  }
  return out ?? filter;
}

function numericCondition(condition: unknown): unknown {
  if (isNumeric(condition)) return { $__numEq: box(condition) };
  if (!isPlain(condition)) return condition;
  const keys = Object.keys(condition);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return condition;
  let out: Record<string, unknown> | undefined;
  const replace = (op: string, name: string, operand: unknown) => {
    out ??= { ...condition };
    delete out[op];
    out[name] = operand;
  };
  for (const op of keys) {
    const operand = condition[op];
    if (op === '$eq' && isNumeric(operand)) replace(op, '$__numEq', box(operand));
    else if (op === '$ne' && isNumeric(operand)) replace(op, '$__numNe', box(operand));
    else if ((op === '$in' || op === '$nin') && Array.isArray(operand) && operand.some(isNumeric))
      replace(op, op === '$in' ? '$__numIn' : '$__numNin', new NumberList(operand));
    else if (op in RANGE && isNumeric(operand)) replace(op, RANGE[op as keyof typeof RANGE], box(operand));
    else if (op === '$all' && Array.isArray(operand) && operand.some(isNumeric)) {
      // `$all` is an `$and` of equalities: its numbers each as `$__numEq`, the rest stay `$all`'s.
      const others = operand.filter((item) => !isNumeric(item));
      replace(op, '$__numAll', operand.filter(isNumeric).map(box));
      if (others.length > 0) out!.$all = others;
    } else if (op === '$not') {
      const next = numericCondition(operand);
      if (next !== operand) (out ??= { ...condition }).$not = next;
    } else if (op === '$elemMatch' && isPlain(operand)) {
      const operatorForm = Object.keys(operand).some((k) => k.startsWith('$') && !LOGICAL.has(k));
      const next = operatorForm ? numericCondition(operand) : numericFilter(operand);
      if (next !== operand) (out ??= { ...condition }).$elemMatch = next;
    }
  }
  return out ?? condition;
}

/** Nesting of arrays a dotted path can cross (mingo flattens a resolved value as deep). */
const depthOf = (selector: string): number => {
  let depth = 0;
  for (let i = selector.indexOf('.'); i !== -1; i = selector.indexOf('.', i + 1)) depth++;
  return depth;
};

/** Whether some value at `selector` (the value, an element of an array there, or of arrays the path crossed) passes `test`. */
function anyValue(selector: string, test: (value: unknown) => boolean): Predicate {
  const depth = depthOf(selector);
  const visit = (value: unknown, level: number): boolean => {
    if (!Array.isArray(value)) return test(value);
    for (const element of value) if (Array.isArray(element) ? level < depth && visit(element, level + 1) : test(element)) return true;
    return false;
  };
  return (doc) => visit(resolve(doc as AnyObject, selector, { unwrapArray: true }), 0);
}

/** A range operator: NaN is only ever equal to NaN (so `$gte`/`$lte` NaN match a NaN, and nothing else does), as in MongoDB. */
function rangeOperator(accept: (order: number) => boolean) {
  return (selector: string, { value }: NumberOperand): Predicate => {
    const nan = isNumericNaN(value);
    return anyValue(selector, (candidate) => {
      const order = compareNumeric(candidate, value);
      return order !== undefined && isNumericNaN(candidate) === nan && accept(order);
    });
  };
}

/**
 * The engine's numeric query operators, and `$in` for any list (numbers on their exact keys,
 * other values through mingo's `$in`, which `$in` lists with patterns use too: regex.ts).
 */
export function numericQueryOperators(mingoIn: InOperator) {
  const $__numEq = (selector: string, { operand }: NumberOperand): Predicate => anyValue(selector, (value) => equalsOperand(value, operand));
  const numericIn: InOperator = (selector, values, options) => {
    const list = new NumberList(values);
    if (list.keys.size === 0) return mingoIn(selector, values, options);
    return $__numIn(selector, list, options);
  };
  const $__numIn = (selector: string, list: NumberList, options: unknown): Predicate => {
    const numbers = anyValue(selector, (value) => list.has(value));
    if (list.others.length === 0) return numbers;
    const others = mingoIn(selector, list.others, options);
    return (doc) => numbers(doc) || others(doc);
  };
  return {
    numericIn,
    operators: {
      $__numEq,
      $__numNe: (selector: string, operand: NumberOperand): Predicate => {
        const equals = $__numEq(selector, operand);
        return (doc) => !equals(doc);
      },
      $__numIn,
      $__numAll: (selector: string, operands: NumberOperand[]): Predicate => {
        const tests = operands.map((operand) => $__numEq(selector, operand));
        return (doc) => tests.every((test) => test(doc));
      },
      $__numNin: (selector: string, list: NumberList, options: unknown): Predicate => {
        const matches = $__numIn(selector, list, options);
        return (doc) => !matches(doc);
      },
      $__numGt: rangeOperator((order) => order > 0),
      $__numGte: rangeOperator((order) => order >= 0),
      $__numLt: rangeOperator((order) => order < 0),
      $__numLte: rangeOperator((order) => order <= 0),
    },
  };
}
