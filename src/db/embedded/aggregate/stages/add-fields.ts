/**
 * $addFields / $set for flat specs: every expression sees the incoming document; an existing
 * field keeps its place, a new one goes last; a missing result removes the field.
 */
import type { Document } from 'bson';
import { compileExpression } from './compile.js';
import { isPlainSpecObject, type StageFactory } from './types.js';

export const addFieldsStage: StageFactory = (spec, { evaluate }) => {
  if (!isPlainSpecObject(spec)) return undefined;
  const entries = Object.entries(spec);
  for (const [key, value] of entries) {
    if (key.includes('.') || key.startsWith('$') || isPlainSpecObject(value)) return undefined;
  }
  const compiled = entries.map(([key, expr]) => [key, compileExpression(expr, evaluate)] as const);
  return function* (input) {
    for (const doc of input) {
      const out: Document = { ...doc };
      for (const [key, expr] of compiled) {
        const value = expr(doc);
        if (value === undefined) delete out[key];
        else out[key] = value;
      }
      yield out;
    }
  };
};

/** $unset: a field name or a list of them (flat names only). */
export const unsetStage: StageFactory = (spec) => {
  const fields = typeof spec === 'string' ? [spec] : Array.isArray(spec) && spec.every((f) => typeof f === 'string') ? (spec as string[]) : undefined;
  if (!fields || fields.some((f) => f.includes('.'))) return undefined;
  const drop = new Set(fields);
  return function* (input) {
    for (const doc of input) {
      const out: Document = {};
      for (const key in doc) if (!drop.has(key)) out[key] = doc[key];
      yield out;
    }
  };
};
