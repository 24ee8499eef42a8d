/**
 * Concern: the averages. `monthly_avg_expense` = the year's total / 12 and
 * `categorized_monthly_avg_expense[c]` = the year's total in c / 12, whatever the number of
 * months with orders; both rounded to cents once, from the exact sum in cents.
 * (The per-category average itself is computed in category-sums.ts, stage C, where the
 * category's yearly sum is at hand.)
 */
import { yearlyCentsToMonthlyAverage } from './rounding.js';
import type { Expr } from './types.js';
import { isCategoryName } from './zero-fill.js';

/** Expression: yearly total in cents (null for a user without orders) → monthly average. */
export function monthlyAverage(yearCentsExpr: Expr): Expr {
  return yearlyCentsToMonthlyAverage({ $ifNull: [yearCentsExpr, 0] });
}

/**
 * Expression: the per-month `[[{k: category, v: average}]]` (or null) → `{ <category>: average }`.
 * A category present in several months repeats with the same value; `$arrayToObject` keeps
 * the last of duplicate keys (documented MongoDB behaviour), so repeats are harmless.
 */
export function categoryAverages(categoryAvgsExpr: Expr): Expr {
  return {
    $arrayToObject: {
      $filter: {
        input: {
          $reduce: { input: { $ifNull: [categoryAvgsExpr, []] }, initialValue: [], in: { $concatArrays: ['$$value', '$$this'] } },
        },
        as: 'pair',
        cond: isCategoryName('$$pair.k'),
      },
    },
  };
}
