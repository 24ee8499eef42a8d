/**
 * Compiled object operators: `$mergeObjects` (the expression form, with a list of documents).
 *
 * Two kinds of argument are merged without building the document in between (the crunch
 * zero-fills 12 months this way):
 * - `{ $arrayToObject: pairs }`: written straight from its `{k, v}` pairs (pair-writer.ts);
 * - `{ $literal: document }`: its fields copied in, each value a fresh deep copy, so that two
 *   results never share a nested document (`{ jan: {}, ... }` gives each result its own `{}`).
 * Either way: same keys, same places (first occurrence), same values (the last defined one). An
 * argument outside the fast path (a pair list `$arrayToObject` would refuse, a value that is
 * not a document) is SLOW, and mingo evaluates the whole `$mergeObjects`.
 */
import { cloneDocument } from '../../../storage/clone.js';
import { compilePairWriter, type PairWriter } from './pair-writer.js';
import { type Compiled, type Compiler, isNullish, isPlainObject, type Operator, SLOW } from './support.js';

/** Merges one argument into `out`: false when the argument is not something to merge here. */
type Merge = (doc: unknown, out: Record<string, unknown>) => boolean;

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

function mergeLiteral(literal: Record<string, unknown>): Merge {
  const entries = Object.entries(literal).filter(([, v]) => v !== undefined);
  const keys = entries.map(([key]) => key);
  const values = entries.map(([, v]) => v);
  // cloneDocument copies documents, arrays and dates, and hands scalars and BSON values back as they are.
  return (_doc, out) => {
    for (let i = 0; i < keys.length; i++) out[keys[i]!] = cloneDocument(values[i]);
    return true;
  };
}

function mergePairs(write: PairWriter): Merge {
  // null pairs: `$arrayToObject` gives null, which merges nothing.
  return (doc, out) => write(doc, out) !== SLOW;
}

function mergeValue(value: Compiled): Merge {
  return (doc, out) => mergeDocument(out, value(doc));
}

function compileArgument(arg: unknown, compiler: Compiler): Merge {
  if (isPlainObject(arg) && Object.keys(arg).length === 1) {
    if (isPlainObject(arg.$literal)) return mergeLiteral(arg.$literal);
    const write = Object.hasOwn(arg, '$arrayToObject') ? compilePairWriter(arg.$arrayToObject, compiler) : undefined;
    if (write) return mergePairs(write);
  }
  return mergeValue(compiler.compile(arg));
}

const $mergeObjects: Operator = (operand, compiler) => {
  if (!Array.isArray(operand)) return undefined;
  const merges = operand.map((arg) => compileArgument(arg, compiler));
  return (doc) => {
    const out: Record<string, unknown> = {};
    for (const merge of merges) if (!merge(doc, out)) return SLOW;
    return out;
  };
};

export const OBJECT_OPERATORS: Record<string, Operator> = { $mergeObjects };
