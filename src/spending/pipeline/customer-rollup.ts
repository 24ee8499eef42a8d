/**
 * Concern: one document per customer who ordered in the year.
 *
 * Input: the per-order documents of join-products.ts
 * (`{ customer_id, month, order_cents, lines, products }`).
 * Output: `{ _id: customer_id, year_cents, monthly: [{k: month, v: amount}],
 *            categorized: [{k: month, v: [{k: category, v: cents}]}] }`.
 * Only months with orders appear; zero-fill.ts adds the others.
 *
 * Stages:
 *   1. `$group` by customer: the year's cents, and the orders as they are (month, cents, lines
 *      and joined products): nothing is computed per order that would then wait in the group.
 *   2. `$project` the month sums from that list (month-sums.ts), once per customer.
 * (An earlier shape grouped by (customer, month) first, then by customer: two groupings, one
 * of about 1.8 entries per customer, for the same result.)
 */
import { categorizedMonths, monthlyAmounts } from './month-sums.js';
import type { Stage } from './types.js';

export function rollUpCustomers(): Stage[] {
  return [
    {
      $group: {
        _id: '$customer_id',
        year_cents: { $sum: '$order_cents' },
        orders: { $push: { month: '$month', cents: '$order_cents', lines: '$lines', products: '$products' } },
      },
    },
    { $project: { year_cents: 1, monthly: monthlyAmounts('$orders'), categorized: categorizedMonths('$orders') } },
  ];
}
