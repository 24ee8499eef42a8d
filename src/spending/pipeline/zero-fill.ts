/**
 * Concern: all 12 months in every document. `monthly_spenses` has a number for each month
 * (0 without orders), `categorized_monthly_expenses` an object for each month (`{}` without
 * orders).
 *
 * `$mergeObjects` of a constant 12-key object with the months that had orders: the constant
 * comes first, so the keys stay in calendar order and the real values replace the defaults.
 */
import { MONTH_KEYS } from '../months.js';
import { mapValues } from './pairs.js';
import { centsToAmount } from './rounding.js';
import type { Expr } from './types.js';

/** The 12 month keys, each mapped to `value()` (a fresh value per key). */
function allMonths<T>(value: () => T): Record<string, T> {
  return Object.fromEntries(MONTH_KEYS.map((key) => [key, value()]));
}

/**
 * Expression: `[{k: month, v: amount}]` (or null) → `{ jan: amount|0, ..., dez: amount|0 }`.
 */
export function fillMonthlyAmounts(monthlyExpr: Expr): Expr {
  return {
    $mergeObjects: [{ $literal: allMonths(() => 0) }, { $arrayToObject: { $ifNull: [monthlyExpr, []] } }],
  };
}

/**
 * Expression: `[{k: month, v: [{k: category, v: cents}]}]` (or null) →
 * `{ jan: { <category>: amount, ... } | {}, ..., dez: ... }`.
 */
export function fillCategorizedMonths(categorizedExpr: Expr): Expr {
  return {
    $mergeObjects: [
      { $literal: allMonths(() => ({})) },
      {
        $arrayToObject: {
          $map: {
            input: { $ifNull: [categorizedExpr, []] },
            as: 'month',
            in: { k: '$$month.k', v: { $arrayToObject: mapValues('$$month.v', centsToAmount) } },
          },
        },
      },
    ],
  };
}
