/**
 * The comparison expressions (`$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$cmp`, `$in`) with
 * numbers compared as MongoDB compares them across BSON types (numeric.ts): in `$expr`, `$cond`,
 * `$filter`… `Decimal128("7")` equals 7 and `NumberLong(7)`. Other operands are mingo's.
 */
import { evalExpr } from 'mingo/core';
import * as expressionOperators from 'mingo/operators/expression';
import type { Options } from 'mingo/types';
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

function comparison(name: string, answer: (order: number) => unknown): ExprFn {
  return (obj, expr, options) => {
    const args = evalExpr(obj, expr, options);
    if (Array.isArray(args) && args.length === 2 && isNumeric(args[0]) && isNumeric(args[1])) {
      return answer(compareNumeric(args[0], args[1])!);
    }
    return Array.isArray(args) ? literally(name, args, obj, options) : mingo[name]!(obj, expr, options);
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
  $eq: comparison('$eq', (order) => order === 0),
  $ne: comparison('$ne', (order) => order !== 0),
  $gt: comparison('$gt', (order) => order > 0),
  $gte: comparison('$gte', (order) => order >= 0),
  $lt: comparison('$lt', (order) => order < 0),
  $lte: comparison('$lte', (order) => order <= 0),
  $cmp: comparison('$cmp', (order) => order),
  $in,
};
