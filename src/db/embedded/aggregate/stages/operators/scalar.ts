/**
 * Compiled scalar operators: arithmetic, `$round`, date parts, conversions, `$ifNull`, `$eq`,
 * `$type`. Each handles the values pipelines feed it every day (numbers, dates, strings, null,
 * missing) and answers SLOW for anything else, which mingo then evaluates.
 */
import { ObjectId } from 'bson';
import { mingoToString, toObjectId } from '../../../query/mingo-context.js';
import { roundHalfEven } from '../../../query/round.js';
import { argumentList, type Compiled, isNullish, isPlainObject, type Operator, SLOW } from './support.js';

/**
 * An arithmetic operator over numbers: null as soon as an argument is null or missing, SLOW
 * for any other non-number (and NaN, which mingo refuses). Folded as the arguments come, from
 * `identity` (or from the first argument when there is none), so nothing is allocated.
 */
function numeric(fold: (a: number, b: number) => number | typeof SLOW, identity: number | undefined, arity?: number): Operator {
  return (operand, { compile }) => {
    const args = argumentList(operand).map(compile);
    if ((arity !== undefined && args.length !== arity) || (identity === undefined && args.length === 0)) return undefined;
    if (args.length === 2) {
      // The everyday case, straight-line.
      const [a, b] = args as [Compiled, Compiled];
      return (doc) => {
        const x = a(doc);
        if (isNullish(x)) return null;
        if (typeof x !== 'number' || Number.isNaN(x)) return SLOW;
        const y = b(doc);
        if (isNullish(y)) return null;
        if (typeof y !== 'number' || Number.isNaN(y)) return SLOW;
        return identity === undefined ? fold(x, y) : fold(fold(identity, x) as number, y);
      };
    }
    return (doc) => {
      let result: number | typeof SLOW = identity ?? 0;
      for (let i = 0; i < args.length; i++) {
        const v = args[i]!(doc);
        if (isNullish(v)) return null;
        if (typeof v !== 'number' || Number.isNaN(v)) return SLOW;
        // Only $divide's last step can give SLOW; every argument has been read by then.
        result = i === 0 && identity === undefined ? v : fold(result as number, v);
      }
      return result;
    };
  };
}

function dateField(read: (date: Date) => number): Operator {
  return (operand, { compile }) => {
    const args = argumentList(operand);
    if (args.length !== 1) return undefined;
    const arg = compile(args[0]);
    return (doc) => {
      const v = arg(doc);
      if (isNullish(v)) return null;
      return v instanceof Date ? read(v) : SLOW;
    };
  };
}

function converter(convert: (value: unknown) => unknown): Operator {
  return (operand, { compile }) => {
    const args = argumentList(operand);
    if (args.length !== 1) return undefined;
    const arg = compile(args[0]);
    return (doc) => {
      try {
        return convert(arg(doc));
      } catch {
        return SLOW; // mingo raises the error, in its own words
      }
    };
  };
}

/**
 * `$toObjectId` of hex strings, remembering recent conversions while they pay: pipelines
 * convert the same few references over and over (a catalogue's product ids on every cart
 * line), or each one once (cart ids). ObjectIds are immutable, so sharing one is safe. The
 * memory stops after a first stretch with few repeats.
 */
function objectIdConverter(): (value: unknown) => unknown {
  const LIMIT = 4096;
  const TRIAL = 20_000;
  let memory: Map<string, unknown> | undefined = new Map();
  let lookups = 0;
  let hits = 0;
  return (value) => {
    if (memory === undefined || typeof value !== 'string') return toObjectId(value);
    const known = memory.get(value);
    lookups++;
    if (known !== undefined) {
      hits++;
      return known;
    }
    if (lookups === TRIAL && hits < TRIAL / 2) memory = undefined;
    const converted = toObjectId(value);
    if (memory) {
      if (memory.size >= LIMIT) memory.clear();
      memory.set(value, converted);
    }
    return converted;
  };
}

/** mingo's `$type` names for the types handled here; numbers and BSON values go to mingo. */
function typeName(v: unknown): string | typeof SLOW {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object':
      if (Array.isArray(v)) return 'array';
      if (v instanceof Date) return 'date';
      return isPlainObject(v) && Object.getPrototypeOf(v) === Object.prototype ? 'object' : SLOW;
    default:
      return SLOW;
  }
}

/** `$eq` where mingo's answer is plain: two strings, two non-NaN numbers, a string against null or missing, two ObjectIds. */
function scalarEquals(a: unknown, b: unknown): boolean | typeof SLOW {
  if (typeof a === 'string') {
    if (typeof b === 'string') return a === b;
    if (isNullish(b)) return false;
  } else if (typeof b === 'string') {
    if (isNullish(a)) return false;
  } else if (typeof a === 'number' && typeof b === 'number' && !Number.isNaN(a) && !Number.isNaN(b)) {
    return a === b;
  } else if (a instanceof ObjectId && b instanceof ObjectId) {
    return a.equals(b); // mingo compares their hex strings: the same bytes
  }
  return SLOW;
}

export const SCALAR_OPERATORS: Record<string, Operator> = {
  $add: numeric((a, b) => a + b, 0),
  $multiply: numeric((a, b) => a * b, 1),
  $subtract: numeric((a, b) => a - b, undefined, 2),
  $divide: numeric((a, b) => (b === 0 ? SLOW : a / b), undefined, 2),
  $round: (operand, { compile }) => {
    const args = argumentList(operand).map(compile);
    if (args.length < 1 || args.length > 2) return undefined;
    return (doc) => {
      const value = args[0]!(doc);
      const places = args.length === 2 ? args[1]!(doc) : 0;
      if (isNullish(value) || isNullish(places)) return null;
      if (typeof value !== 'number' || typeof places !== 'number' || !Number.isInteger(places) || places < -20 || places > 100) return SLOW;
      return roundHalfEven(value, places);
    };
  },
  $month: dateField((d) => d.getUTCMonth() + 1),
  $year: dateField((d) => d.getUTCFullYear()),
  $toObjectId: (operand, compiler) => converter(objectIdConverter())(operand, compiler),
  $toString: converter(mingoToString),
  $ifNull: (operand, { compile }) => {
    const args = argumentList(operand).map(compile);
    if (args.length < 2) return undefined;
    return (doc) => {
      for (let i = 0; i < args.length - 1; i++) {
        const v = args[i]!(doc);
        if (!isNullish(v)) return v;
      }
      return args[args.length - 1]!(doc);
    };
  },
  $eq: (operand, { compile }) => {
    if (!Array.isArray(operand) || operand.length !== 2) return undefined;
    const [a, b] = operand.map(compile) as [Compiled, Compiled];
    return (doc) => scalarEquals(a(doc), b(doc));
  },
  $type: (operand, { compile }) => {
    if (Array.isArray(operand)) return undefined; // mingo reads a list as an array literal
    const arg = compile(operand);
    return (doc) => typeName(arg(doc));
  },
};
