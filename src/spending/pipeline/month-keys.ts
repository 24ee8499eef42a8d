/**
 * Concern: turning a date into the month key of the output ('jan' ... 'dez').
 */
import { MONTH_KEYS } from '../months.js';
import type { Expr } from './types.js';

/**
 * Expression: the month key of `dateExpr`, in UTC (`$month` without a timezone is UTC).
 * `$literal` keeps the key array a constant (no element is ever read as a field path).
 */
export function monthKeyOf(dateExpr: Expr): Expr {
  return { $arrayElemAt: [{ $literal: [...MONTH_KEYS] }, { $subtract: [{ $month: dateExpr }, 1] }] };
}
