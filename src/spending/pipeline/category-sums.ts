/**
 * Concern: the sums. Three `$group` stages whose keys are plain field paths (strings: the
 * customer id, the month key, the category), and whose accumulators are `$sum`/`$push` of
 * plain paths or tiny objects: no per-document expression beyond the pushed `{k, v}` pairs.
 *
 * Why three groups and not one: the output needs the line amounts summed two ways, per
 * (customer, month, category) for `categorized_monthly_expenses` and per (customer,
 * category) over the year for `categorized_monthly_avg_expense`; summing them inside a
 * per-customer expression would be a quadratic search on an interpreted engine, and
 * `$getField` with a computed name needs MongoDB 7.2+. So:
 *
 *   A. per (customer, month, category): `line_cents`, and `order_cents` (month total; only
 *      the key without category has a non-zero one, since only total entries carry it);
 *   B. per (customer, category): the year's `year_cents`, keeping the months in an array;
 *   C. `$unwind` the months back and regroup per (customer, month): the month total, and
 *      the month's `{k: category, v: amount}` pairs plus `{k: category, v: yearly average}`.
 *
 * A category key may be missing (totals, uncategorized lines) or null (a product whose
 * `categories` is null); such keys are dropped at the very end (see zero-fill.ts /
 * averages.ts), by type, which works whether the engine keeps the key as null or missing.
 */
import { centsToAmount, yearlyCentsToMonthlyAverage } from './rounding.js';
import type { Stage } from './types.js';

/**
 * A. Input: the per-(line, category) documents of join-products.ts.
 * Output: `{ _id: { customer_id, month, category? }, line_cents, order_cents }`.
 */
export function sumByMonthAndCategory(): Stage {
  return {
    $group: {
      _id: { customer_id: '$customer_id', month: '$month', category: '$product.categories' },
      line_cents: { $sum: '$line_cents' },
      order_cents: { $sum: '$entry.order_cents' },
    },
  };
}

/**
 * B. Output: `{ _id: { customer_id, category? }, year_cents, months: [{ month, line_cents, order_cents }] }`.
 */
export function sumByCategoryOverYear(): Stage {
  return {
    $group: {
      _id: { customer_id: '$_id.customer_id', category: '$_id.category' },
      year_cents: { $sum: '$line_cents' },
      months: { $push: { month: '$_id.month', line_cents: '$line_cents', order_cents: '$order_cents' } },
    },
  };
}

/**
 * C. Output, one per (customer, month with orders):
 * `{ _id: { customer_id, month }, order_cents, categories: [{k, v}], category_avgs: [{k, v}] }`
 * where `categories[].v` is the month's amount in the category and `category_avgs[].v`
 * the category's yearly average (both in currency units, rounded to cents). The average
 * repeats in every month of the category; it is the same value each time.
 */
export function regroupByMonth(): Stage[] {
  return [
    { $unwind: '$months' },
    {
      $group: {
        _id: { customer_id: '$_id.customer_id', month: '$months.month' },
        order_cents: { $sum: '$months.order_cents' },
        categories: { $push: { k: '$_id.category', v: centsToAmount('$months.line_cents') } },
        category_avgs: { $push: { k: '$_id.category', v: yearlyCentsToMonthlyAverage('$year_cents') } },
      },
    },
  ];
}
