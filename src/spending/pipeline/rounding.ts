/**
 * Concern: money arithmetic. All sums are done in integer cents so that nothing accumulates
 * rounding error (0.10 + 0.20 is 10 + 20 = 30 cents, shown as 0.3 exactly), and every value
 * is rounded exactly once, where it enters the pipeline:
 *
 *   - an order's amount: round(cart.amount × 100) cents;
 *   - a line's amount:   round(price × quantity × 100) cents;
 *   - an average:        round(cents / 12) cents (sum first, divide and round once).
 *
 * `$round` with 0 places rounds half to even (MongoDB rounds the exact decimal value of a
 * double). Sums of integer-valued numbers are exact below 2^53 cents, in any order, so the
 * result does not depend on how the server orders or splits a `$sum`.
 *
 * Values leave the pipeline in currency units: cents / 100, the double nearest to the
 * decimal amount (30 / 100 === 0.3).
 */
import type { Expr } from './types.js';

/** Months in a year: the averages are yearly totals / 12, whatever the months with orders. */
export const MONTHS_PER_YEAR = 12;

/** Expression: an amount in currency units → integer cents (half to even). null stays null. */
export function toCents(amountExpr: Expr): Expr {
  return { $round: [{ $multiply: [amountExpr, 100] }, 0] };
}

/** Expression: integer cents → currency units. */
export function centsToAmount(centsExpr: Expr): Expr {
  return { $divide: [centsExpr, 100] };
}

/** Expression: a yearly total in cents → the monthly average in currency units, rounded to cents. */
export function yearlyCentsToMonthlyAverage(centsExpr: Expr): Expr {
  return centsToAmount({ $round: [{ $divide: [centsExpr, MONTHS_PER_YEAR] }, 0] });
}
