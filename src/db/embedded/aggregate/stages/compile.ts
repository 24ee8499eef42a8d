/**
 * Compiles an aggregation expression for the engine's stages: field paths and constants are
 * read directly (the bulk of real pipelines), everything else is evaluated by mingo. A path
 * that meets an array takes mingo's route too, which knows MongoDB's array semantics.
 */
import type { Evaluate } from './types.js';

export type Compiled = (doc: unknown) => unknown;

function isPlainContainer(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && (value as { _bsontype?: unknown })._bsontype === undefined;
}

export function compileExpression(expr: unknown, evaluate: Evaluate): Compiled {
  if (typeof expr === 'string') {
    if (!expr.startsWith('$')) return () => expr;
    if (expr.startsWith('$$')) return (doc) => evaluate(doc, expr);
    const parts = expr.slice(1).split('.');
    if (parts.length === 1) {
      const field = parts[0]!;
      return (doc) => {
        const value = (doc as Record<string, unknown>)[field];
        return value;
      };
    }
    return (doc) => {
      let at: unknown = doc;
      for (const part of parts) {
        if (Array.isArray(at)) return evaluate(doc, expr);
        if (!isPlainContainer(at)) return undefined;
        at = at[part];
      }
      return at;
    };
  }
  if (expr === null || typeof expr !== 'object') return () => expr;
  if (expr instanceof Date || (expr as { _bsontype?: unknown })._bsontype !== undefined) return () => expr;
  const keys = Object.keys(expr);
  if (keys.length === 1 && keys[0] === '$literal') {
    const value = (expr as { $literal: unknown }).$literal;
    return () => value;
  }
  return (doc) => evaluate(doc, expr);
}
