/**
 * The comparison expressions (`$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$cmp`, `$in`) with
 * numbers compared as MongoDB compares them across BSON types (numeric.ts): in `$expr`, `$cond`,
 * `$filter`… `Decimal128("7")` equals 7 and `NumberLong(7)`. Other operands are mingo's.
 */
import { evalExpr } from 'mingo/core';
import * as expressionOperators from 'mingo/operators/expression';
import type { Options } from 'mingo/types';
import { assert, compare, ensureArray, flatten, isEqual, isNil, typeOf } from 'mingo/util';
import { compareNumeric, isNumeric, numericEquals } from './numeric.js';

type ExprFn = (obj: unknown, expr: unknown, options: Options) => unknown;

const mingo = expressionOperators as unknown as Record<string, ExprFn>;
/** mingo's operator on arguments already evaluated (so that they are evaluated once). */
const literally = (name: string, args: unknown[], obj: unknown, options: Options): unknown =>
  mingo[name]!(
    obj,
    args.map((arg) => ({ $literal: arg })),
    options,
  );

/**
 * mingo's own comparison predicates (operators/_predicates.js, which mingo does not export),
 * for the operands that are not two numbers: the answers stay mingo's, without evaluating
 * the arguments twice.
 */
function mingoEquals(a: unknown, b: unknown, options: Options): boolean {
  if (isEqual(a, b) || (isNil(a) && isNil(b))) return true;
  if (!Array.isArray(a)) return false;
  const depth = (options as { local?: { depth?: number } }).local?.depth ?? 1;
  return a.some((v) => isEqual(v, b)) || flatten(a, depth).some((v) => isEqual(v, b));
}
const mingoOrder = (a: unknown, b: unknown, accept: (order: number) => boolean): boolean =>
  ensureArray(a).some((v) => typeOf(v) === typeOf(b) && accept(compare(v, b)));

function comparison(name: string, numbers: (order: number) => unknown, others: (a: unknown, b: unknown, options: Options) => unknown): ExprFn {
  return (obj, expr, options) => {
    assert(Array.isArray(expr) && expr.length === 2, `${name} expects array(2)`);
    const [a, b] = evalExpr(obj, expr, options) as [unknown, unknown];
    if (isNumeric(a) && isNumeric(b)) return numbers(compareNumeric(a, b)!);
    return others(a, b, options);
  };
}

const $in: ExprFn = (obj, expr, options) => {
  const args = evalExpr(obj, expr, options);
  if (Array.isArray(args) && args.length === 2 && isNumeric(args[0]) && Array.isArray(args[1])) {
    const [value, list] = args as [unknown, unknown[]];
    return list.some((item) => numericEquals(value, item));
  }
  return Array.isArray(args) ? literally('$in', args, obj, options) : mingo.$in!(obj, expr, options);
};

export const numericExpressionOperators: Record<string, ExprFn> = {
  $eq: comparison('$eq', (order) => order === 0, mingoEquals),
  $ne: comparison(
    '$ne',
    (order) => order !== 0,
    (a, b, options) => !mingoEquals(a, b, options),
  ),
  $gt: comparison(
    '$gt',
    (order) => order > 0,
    (a, b) => mingoOrder(a, b, (order) => order > 0),
  ),
  $gte: comparison(
    '$gte',
    (order) => order >= 0,
    (a, b) => mingoOrder(a, b, (order) => order >= 0),
  ),
  $lt: comparison(
    '$lt',
    (order) => order < 0,
    (a, b) => mingoOrder(a, b, (order) => order < 0),
  ),
  $lte: comparison(
    '$lte',
    (order) => order <= 0,
    (a, b) => mingoOrder(a, b, (order) => order <= 0),
  ),
  $cmp: comparison(
    '$cmp',
    (order) => order,
    (a, b) => compare(a, b),
  ),
  $in,
};
