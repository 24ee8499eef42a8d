/**
 * Compiles an aggregation expression for the engine's stages. Field paths, constants, object
 * and array literals and the operators real pipelines lean on (arithmetic, $round, $month,
 * $toObjectId, $ifNull, $concatArrays, $arrayElemAt …) run as plain JavaScript on the values
 * they handle every day — numbers, dates, arrays, null. Anything else, and any value of
 * another type, goes to mingo for the whole sub-expression, so the semantics stay mingo's
 * (and MongoDB's) while the hot path costs a function call instead of an interpreter walk.
 */
import { mingoToString, toObjectId } from '../../query/mingo-context.js';
import { roundHalfEven } from '../../query/round.js';
import type { Evaluate } from './types.js';

export type Compiled = (doc: unknown) => unknown;

function isPlainContainer(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && (value as { _bsontype?: unknown })._bsontype === undefined;
}

const isNullish = (value: unknown): boolean => value === null || value === undefined;

/** Marks "this input is not for the fast path": the caller then asks mingo. */
const SLOW = Symbol('slow');

type Operator = (args: Compiled[], evaluate: Evaluate) => ((doc: unknown) => unknown) | undefined;

function numeric(fold: (values: number[]) => number | typeof SLOW, arity?: number): Operator {
  return (args) => {
    if (arity !== undefined && args.length !== arity) return undefined;
    return (doc) => {
      const values: number[] = [];
      for (const arg of args) {
        const v = arg(doc);
        if (isNullish(v)) return null;
        if (typeof v !== 'number') return SLOW;
        values.push(v);
      }
      return fold(values);
    };
  };
}

const OPERATORS: Record<string, Operator> = {
  $add: numeric((vs) => vs.reduce((a, b) => a + b, 0)),
  $multiply: numeric((vs) => vs.reduce((a, b) => a * b, 1)),
  $subtract: numeric(([a, b]) => a! - b!, 2),
  $divide: numeric(([a, b]) => (b === 0 ? SLOW : a! / b!), 2),
  $round: (args) => {
    if (args.length < 1 || args.length > 2) return undefined;
    return (doc) => {
      const value = args[0]!(doc);
      const places = args.length === 2 ? args[1]!(doc) : 0;
      if (isNullish(value) || isNullish(places)) return null;
      if (typeof value !== 'number' || typeof places !== 'number' || !Number.isInteger(places) || places < -20 || places > 100) return SLOW;
      return roundHalfEven(value, places);
    };
  },
  $month: (args) => (args.length === 1 ? dateField(args[0]!, (d) => d.getUTCMonth() + 1) : undefined),
  $year: (args) => (args.length === 1 ? dateField(args[0]!, (d) => d.getUTCFullYear()) : undefined),
  $toObjectId: (args) => (args.length === 1 ? (doc) => tryOrSlow(() => toObjectId(args[0]!(doc))) : undefined),
  $toString: (args) => (args.length === 1 ? (doc) => tryOrSlow(() => mingoToString(args[0]!(doc))) : undefined),
  $ifNull: (args) => {
    if (args.length < 2) return undefined;
    return (doc) => {
      for (let i = 0; i < args.length - 1; i++) {
        const v = args[i]!(doc);
        if (!isNullish(v)) return v;
      }
      return args[args.length - 1]!(doc);
    };
  },
  $concatArrays: (args) => (doc) => {
    const out: unknown[] = [];
    for (const arg of args) {
      const v = arg(doc);
      if (isNullish(v)) return null;
      if (!Array.isArray(v)) return SLOW;
      for (const item of v) out.push(item);
    }
    return out;
  },
  $arrayElemAt: (args) => {
    if (args.length !== 2) return undefined;
    return (doc) => {
      const array = args[0]!(doc);
      const index = args[1]!(doc);
      if (isNullish(array) || isNullish(index)) return null;
      if (!Array.isArray(array) || typeof index !== 'number' || !Number.isInteger(index)) return SLOW;
      return index < 0 ? array[array.length + index] : array[index];
    };
  },
};

function dateField(arg: Compiled, read: (date: Date) => number): (doc: unknown) => unknown {
  return (doc) => {
    const v = arg(doc);
    if (isNullish(v)) return null;
    return v instanceof Date ? read(v) : SLOW;
  };
}

function tryOrSlow(fn: () => unknown): unknown {
  try {
    return fn();
  } catch {
    return SLOW; // mingo raises the error, in its own words
  }
}

function compilePath(expr: string, evaluate: Evaluate): Compiled {
  const parts = expr.slice(1).split('.');
  if (parts.length === 1) {
    const field = parts[0]!;
    return (doc) => (isPlainContainer(doc) ? doc[field] : evaluate(doc, expr));
  }
  return (doc) => {
    let at: unknown = doc;
    for (const part of parts) {
      if (Array.isArray(at)) return evaluate(doc, expr); // MongoDB's array traversal: mingo knows it
      if (!isPlainContainer(at)) return undefined;
      at = at[part];
    }
    return at;
  };
}

export function compileExpression(expr: unknown, evaluate: Evaluate): Compiled {
  if (typeof expr === 'string') {
    if (!expr.startsWith('$')) return () => expr;
    if (expr.startsWith('$$')) return (doc) => evaluate(doc, expr);
    return compilePath(expr, evaluate);
  }
  if (expr === null || typeof expr !== 'object') return () => expr;
  if (expr instanceof Date || (expr as { _bsontype?: unknown })._bsontype !== undefined || expr instanceof RegExp) return () => expr;
  if (Array.isArray(expr)) {
    const items = expr.map((item) => compileExpression(item, evaluate));
    // In an array literal a missing value becomes null, as in MongoDB.
    return (doc) => items.map((item) => item(doc) ?? null);
  }
  const keys = Object.keys(expr);
  if (keys.length === 1 && keys[0]!.startsWith('$')) {
    const name = keys[0]!;
    const operand = (expr as Record<string, unknown>)[name];
    if (name === '$literal') return () => operand;
    const make = OPERATORS[name];
    const args = Array.isArray(operand) ? operand : [operand];
    const fast = make?.(args.map((arg) => compileExpression(arg, evaluate)), evaluate);
    if (!fast) return (doc) => evaluate(doc, expr);
    return (doc) => {
      const value = fast(doc);
      return value === SLOW ? evaluate(doc, expr) : value;
    };
  }
  if (keys.some((key) => key.startsWith('$') || key.includes('.'))) return (doc) => evaluate(doc, expr);
  // An object literal: each field evaluated, missing ones left out.
  const fields = keys.map((key) => [key, compileExpression((expr as Record<string, unknown>)[key], evaluate)] as const);
  return (doc) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of fields) {
      const v = value(doc);
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
}
