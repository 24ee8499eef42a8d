/**
 * The one place where mingo is configured for the engine: every query, update and
 * aggregation the engine runs uses these options, so BSON types behave the same everywhere.
 *
 * mingo knows plain JS values; MongoDB also has ObjectId (and friends). The additions here
 * are the operators the app's pipelines need that mingo lacks or gets wrong for BSON types.
 */
import { ObjectId } from 'bson';
import { Aggregator as AggregatorBase } from 'mingo/aggregator';
import { Context, ProcessingMode, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query as QueryBase } from 'mingo/query';
import type { Iterator as LazyIterator } from 'mingo/lazy';
import type { AnyObject, Options } from 'mingo/types';
import { CommandError, location } from '../errors.js';
import { jsonSchemaValidator } from './json-schema.js';
import { NO_JAVASCRIPT } from '../library-errors.js';
import { resolve } from 'mingo/util';
import { numericExpressionOperators } from './numeric-expressions.js';
import { numericFilter, numericQueryOperators } from './numeric-filter.js';
import { linearFilter, linearQueryOperators } from './regex.js';
import { $regexFind, $regexFindAll, $regexMatch } from './regex-operators.js';
import { roundHalfEven } from './round.js';
import { $sort, SORT_ACCUMULATORS } from './sort-operators.js';

type Expr = unknown;
type ExprFn = (obj: unknown, expr: Expr, options: Options) => unknown;

const CONVERSION_FAILURE = { code: 241, codeName: 'ConversionFailure' };

export const mingoToString = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof ObjectId) return value.toHexString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null && 'toHexString' in value) {
    return (value as { toHexString(): string }).toHexString();
  }
  if (typeof value === 'object') throw new CommandError(CONVERSION_FAILURE, 'Unsupported conversion from object to string in $convert with no onError value');
  return String(value);
};

export const toObjectId = (value: unknown): ObjectId | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof ObjectId) return value;
  if (typeof value === 'string' && /^[0-9a-fA-F]{24}$/.test(value)) return new ObjectId(value);
  throw new CommandError(CONVERSION_FAILURE, `Failed to parse objectId '${String(value)}' in $convert with no onError value: Invalid string length`);
};

const $toObjectId: ExprFn = (obj, expr, options) => toObjectId(evalExpr(obj, expr, options));
/** MongoDB-exact $round (see round.ts). */
const $round: ExprFn = (obj, expr, options) => {
  const args = evalExpr(obj, expr, options);
  const [value, places = 0] = Array.isArray(args) ? args : [args];
  if (value === null || value === undefined || places === null) return null;
  if (typeof value !== 'number') throw new CommandError(location(51081), `$round only supports numeric types, not ${typeof value}`);
  if (typeof places !== 'number' || !Number.isInteger(places) || places < -20 || places > 100) {
    throw new CommandError(location(51083), '$round requires "place" argument to be an integer between -20 and 100');
  }
  return roundHalfEven(value, places);
};

/**
 * mingo's $setWindowFields evaluates each window through a `$function` whose body is a
 * JavaScript function of its own; a client's `$function` arrives as BSON code or a string,
 * which the engine never runs (no server-side JavaScript, as mongod --noscripting).
 */
const $function: ExprFn = (obj, expr, options) => {
  const spec = expr as { body?: unknown; args?: unknown } | null;
  if (typeof spec?.body !== 'function') throw new CommandError(NO_JAVASCRIPT.kind, NO_JAVASCRIPT.message);
  const args = evalExpr(obj, spec.args ?? [], options);
  return (spec.body as (...values: unknown[]) => unknown)(...(Array.isArray(args) ? args : [args]));
};

/** Hands back mingo's compiled options object (see expressionEvaluator). */
const $__engineOptions: ExprFn = (_obj, _expr, options) => options;
const $toString: ExprFn = (obj, expr, options) => mingoToString(evalExpr(obj, expr, options));

/** MongoDB's $count is a $group: no input documents, no output document (mingo's answers `{ n: 0 }`). */
const $count = (collection: LazyIterator, expr: string, options: Options): LazyIterator =>
  pipelineOperators.$count(collection, expr, options).filter((doc) => (doc as Record<string, number>)[expr]! > 0);

/**
 * A client's filter as mingo runs it for the engine: its patterns on RE2 (regex.ts) and its
 * numbers compared as MongoDB compares them across BSON types (numeric-filter.ts).
 */
export const engineFilter = (filter: AnyObject): AnyObject => numericFilter(linearFilter(filter));

/** mingo's `$match` (in the stages mingo runs: `$facet`, sub-pipelines) with the engine's filter. */
const $match = (collection: LazyIterator, expr: AnyObject, options: Options): LazyIterator => pipelineOperators.$match(collection, engineFilter(expr), options);

const numeric = numericQueryOperators(queryOperators.$in as never);

/**
 * Operators the engine adds to (or overrides in) mingo's defaults, then mingo's full set.
 * mingo's Context keeps the first registration of a name, so the overrides go in first.
 */
export const engineContext: Context = Context.init({
  expression: { $toObjectId, $toString, $round, $function, $regexMatch, $regexFind, $regexFindAll, $__engineOptions, ...numericExpressionOperators } as never,
  pipeline: { $count, $sort, $match } as never,
  accumulator: SORT_ACCUMULATORS as never,
  query: {
    ...linearQueryOperators((doc, path) => resolve(doc as AnyObject, path, { unwrapArray: true }), numeric.numericIn, queryOperators.$all as never),
    ...numeric.operators,
  } as never,
})
  .addAccumulatorOps(accumulatorOperators as never)
  .addExpressionOps(expressionOperators as never)
  .addPipelineOps(pipelineOperators as never)
  .addProjectionOps(projectionOperators as never)
  .addQueryOps(queryOperators as never)
  .addWindowOps(windowOperators as never);

/** Options for mingo's Query/Aggregator/update: engine operators on top of mingo's full set. */
export function mingoOptions(extra: Partial<Options> = {}): Partial<Options> {
  return {
    idKey: '_id',
    processingMode: ProcessingMode.CLONE_OFF,
    useStrictMode: true,
    // Server-side JavaScript is never run by the engine ($where, $function, $accumulator).
    scriptEnabled: false,
    failOnError: true,
    jsonSchemaValidator: jsonSchemaValidator as Options['jsonSchemaValidator'],
    ...extra,
    context: extra.context ? Context.from(engineContext, extra.context) : engineContext,
  };
}

/** mingo's Query with the engine's operators. */
export class Query extends QueryBase<AnyObject> {
  constructor(condition: AnyObject, options: Partial<Options> = {}) {
    // `$text` needs a text index, and the engine builds none (createIndexes refuses them):
    // the answer mongod gives on a collection without one.
    if (condition !== null && typeof condition === 'object' && '$text' in condition)
      throw new CommandError('IndexNotFound', 'text index required for $text query');
    // Every pattern on RE2 (regex.ts): no filter can backtrack for seconds; numbers as MongoDB compares them.
    super(condition !== null && typeof condition === 'object' ? engineFilter(condition) : condition, mingoOptions(options) as Options);
  }
}

/** mingo's Aggregator with the engine's operators. */
export class Aggregator extends AggregatorBase {
  constructor(pipeline: AnyObject[], options: Partial<Options> = {}) {
    super(pipeline, mingoOptions(options) as Options);
  }
}

type ComputeOptionsLike = Options & { update(locals: { root?: unknown; variables?: AnyObject }): ComputeOptionsLike };
/** mingo's ComputeOptions class (not exported by mingo/core): `init` copies options and their locals. */
type ComputeOptionsClass = { init(options: ComputeOptionsLike): ComputeOptionsLike };

/**
 * A fast evaluator of aggregation expressions for the engine's own stages. mingo's evalExpr
 * rebuilds its whole operator table when handed plain options, so the compiled options are
 * captured once (through an operator that returns them) and only the root changes per document.
 */
export function expressionEvaluator(variables?: AnyObject): (doc: unknown, expr: unknown, locals?: AnyObject) => unknown {
  const compiled = evalExpr({}, { $__engineOptions: 1 }, mingoOptions(variables ? { variables } : {}) as Options) as ComputeOptionsLike;
  return (doc, expr, locals) => {
    if (!locals) return evalExpr(doc, expr, compiled.update({ root: doc }));
    // Local variables (rare: a compiled $map's body that mingo finishes) on a copy of the
    // options, so that they do not outlive this call.
    return evalExpr(doc, expr, (compiled.constructor as unknown as ComputeOptionsClass).init(compiled).update({ root: doc, variables: locals }));
  };
}
