/**
 * Concern: the sums per (customer, month with orders).
 *
 * Input: the per-order documents of join-products.ts.
 * Output: `{ _id: { customer_id, month }, order_cents, pairs: [[{k, v}], ...] }`: the month's
 * total in cents (`cart.amount`s) and the category pairs of each of its orders.
 * One `$group` with plain-path keys and accumulators; the pairs are summed per category in
 * customer-rollup.ts, once per (customer, month).
 */
import type { Stage } from './types.js';

export function sumByMonth(): Stage {
  return {
    $group: {
      _id: { customer_id: '$customer_id', month: '$month' },
      order_cents: { $sum: '$order_cents' },
      pairs: { $push: '$pairs' },
    },
  };
}
