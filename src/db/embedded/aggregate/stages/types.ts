/**
 * The engine's own implementations of common pipeline stages. mingo runs anything else, but
 * its stages can mutate their input (e.g. $unwind with includeArrayIndex writes into the
 * source document) and are slow on millions of documents; these never touch their input.
 * Expressions are compiled (compile.ts) and common filters too (query/compile-filter.ts);
 * whatever those do not handle exactly is evaluated by mingo, so the language stays mingo's.
 *
 * A stage factory returns undefined when it does not handle a spec: the runner then gives
 * the stage to mingo.
 */
import type { Document } from 'bson';
import type { Catalog } from '../../storage/catalog.js';

/** mingo's evaluation of `expr` on `doc`, with `variables` (e.g. those of an enclosing `$map`) bound. */
export type Evaluate = (doc: unknown, expr: unknown, variables?: Record<string, unknown>) => unknown;

export interface StageContext {
  readonly catalog: Catalog;
  readonly db: string;
  readonly evaluate: Evaluate;
  readonly variables: Document | undefined;
}

export type StageFn = (input: Iterable<Document>) => Iterable<Document>;

export type StageFactory = (spec: unknown, context: StageContext) => StageFn | undefined;

export function isExpressionObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return false;
  if ((value as { _bsontype?: unknown })._bsontype !== undefined) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('$');
}

export function isPlainSpecObject(value: unknown): value is Document {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    (value as { _bsontype?: unknown })._bsontype === undefined &&
    !isExpressionObject(value)
  );
}
