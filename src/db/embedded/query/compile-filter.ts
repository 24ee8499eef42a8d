/**
 * A compiled `$match` for the filters pipelines use most: field conditions with range
 * operators on dates or numbers, `$type` 'string'/'object', and equality to a string. A
 * document whose value is outside what is handled here (an array on the path, a value of
 * another type than the operand) is tested by mingo, so the answer is always mingo's; a
 * filter with anything else is mingo's alone (undefined here).
 */
import type { Document } from 'bson';

type Test = (value: unknown) => boolean | undefined; // undefined: ask mingo

const isDocument = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

function rangeTest(op: string, operand: unknown): Test | undefined {
  const cmp: Record<string, (a: number, b: number) => boolean> = { $gt: (a, b) => a > b, $gte: (a, b) => a >= b, $lt: (a, b) => a < b, $lte: (a, b) => a <= b };
  const compare = cmp[op];
  if (!compare) return undefined;
  if (operand instanceof Date) {
    const at = operand.getTime();
    if (Number.isNaN(at)) return undefined;
    return (value) => {
      const time = value instanceof Date ? value.getTime() : NaN;
      return Number.isNaN(time) ? undefined : compare(time, at); // an invalid Date too: mingo's call
    };
  }
  if (typeof operand === 'number' && Number.isFinite(operand)) {
    return (value) => (typeof value === 'number' && !Number.isNaN(value) ? compare(value, operand) : undefined);
  }
  return undefined;
}

function typeTest(alias: unknown): Test | undefined {
  if (alias === 'string')
    return (value) =>
      typeof value === 'string'
        ? true
        : value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean' || isDocument(value)
          ? false
          : undefined;
  if (alias === 'object')
    return (value) =>
      isDocument(value)
        ? true
        : value === undefined || value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? false
          : undefined;
  return undefined;
}

function conditionTest(condition: unknown): Test | undefined {
  if (typeof condition === 'string')
    return (value) =>
      typeof value === 'string' ? value === condition : value === undefined || value === null || typeof value === 'number' ? false : undefined;
  if (!isDocument(condition)) return undefined;
  const tests: Test[] = [];
  for (const [op, operand] of Object.entries(condition)) {
    const test = op === '$type' ? typeTest(operand) : rangeTest(op, operand);
    if (!test) return undefined;
    tests.push(test);
  }
  if (tests.length === 0) return undefined;
  return (value) => {
    for (const test of tests) {
      const answer = test(value);
      if (answer !== true) return answer;
    }
    return true;
  };
}

/**
 * The value at a dotted path through documents (undefined = missing), or UNSURE when an
 * array (MongoDB's element matching) or another kind of object is on the way: mingo's call.
 */
const UNSURE = Symbol('unsure');
function read(doc: Document, path: readonly string[]): unknown {
  let at: unknown = doc;
  for (const part of path) {
    if (at === undefined || at === null || typeof at !== 'object') return undefined;
    if (!isDocument(at)) return UNSURE;
    at = at[part];
  }
  return Array.isArray(at) ? UNSURE : at;
}

/** A test of `filter` that asks `mingo(doc)` for what it does not decide; undefined when the filter is not handled at all. */
export function compileFilter(filter: Document, mingo: (doc: Document) => boolean): ((doc: Document) => boolean) | undefined {
  const fields: { path: string[]; test: Test }[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key.startsWith('$') || key === '') return undefined;
    const test = conditionTest(condition);
    if (!test) return undefined;
    fields.push({ path: key.split('.'), test });
  }
  if (fields.length === 0) return undefined;
  return (doc) => {
    for (const { path, test } of fields) {
      const value = read(doc, path);
      const answer = value === UNSURE ? undefined : test(value);
      if (answer === undefined) return mingo(doc);
      if (!answer) return false;
    }
    return true;
  };
}
