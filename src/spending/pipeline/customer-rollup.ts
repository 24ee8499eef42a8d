/**
 * Concern: one document per customer who ordered in the year.
 *
 * Input: the per-(customer, month) documents of month-sums.ts.
 * Output: `{ _id: customer_id, year_cents, monthly: [{k: month, v: amount}],
 *            categorized: [{k: month, v: [{k: category, v: cents}]}] }`
 * where each month's category cents are summed here (pairs.ts), once per (customer, month).
 * Only months with orders appear; zero-fill.ts adds the others.
 */
import { flatten, sumByKey } from './pairs.js';
import { centsToAmount } from './rounding.js';
import type { Stage } from './types.js';

export function rollUpCustomers(): Stage {
  return {
    $group: {
      _id: '$_id.customer_id',
      year_cents: { $sum: '$order_cents' },
      monthly: { $push: { k: '$_id.month', v: centsToAmount('$order_cents') } },
      categorized: { $push: { k: '$_id.month', v: sumByKey(flatten('$pairs')) } },
    },
  };
}
