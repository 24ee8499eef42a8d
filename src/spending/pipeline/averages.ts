/**
 * Concern: the averages. `monthly_avg_expense` = the year's total / 12 and
 * `categorized_monthly_avg_expense[c]` = the year's total in c / 12, whatever the number of
 * months with orders; both rounded to cents once, from the exact sum in cents.
 */
import { flatten, mapValues, sumByKey } from './pairs.js';
import { yearlyCentsToMonthlyAverage } from './rounding.js';
import type { Expr } from './types.js';

/** Expression: yearly total in cents (null for a user without orders) → monthly average. */
export function monthlyAverage(yearCentsExpr: Expr): Expr {
  return yearlyCentsToMonthlyAverage({ $ifNull: [yearCentsExpr, 0] });
}

/**
 * Expression: the per-month `[{k: month, v: [{k: category, v: cents}]}]` (or null) →
 * `{ <category>: average }`: each category's cents summed over the months, then averaged.
 */
export function categoryAverages(categorizedExpr: Expr): Expr {
  const months = { $ifNull: [categorizedExpr, []] };
  const yearPairs = sumByKey(flatten({ $map: { input: months, as: 'month', in: '$$month.v' } }));
  return { $arrayToObject: mapValues(yearPairs, yearlyCentsToMonthlyAverage) };
}
