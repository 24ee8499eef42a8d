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
 *   1. `$group` by customer: the year's cents, and the orders with what the sums need (month,
 *      cents, cart lines, and each joined product's `_id` and `categories`): nothing is
 *      computed per order that would then wait in the group. The products are cut down to two
 *      fields so that a real server's group stays small (its memory limit, or its spill to
 *      disk with `allowDiskUse`); on the engine that costs about 4% of the crunch.
 *   2. `$project` the month sums from that list (month-sums.ts), once per customer.
 * (An earlier shape grouped by (customer, month) first, then by customer: two groupings where
 * one does, and slower on the engine.)
 */
import { categorizedMonths, monthlyAmounts } from './month-sums.js';
import type { Stage } from './types.js';

export function rollUpCustomers(): Stage[] {
  return [
    {
      $group: {
        _id: '$customer_id',
        year_cents: { $sum: '$order_cents' },
        orders: {
          $push: {
            month: '$month',
            cents: '$order_cents',
            lines: '$lines',
            products: { $map: { input: '$products', as: 'product', in: { _id: '$$product._id', categories: '$$product.categories' } } },
          },
        },
      },
    },
    { $project: { year_cents: 1, monthly: monthlyAmounts('$orders'), categorized: categorizedMonths('$orders') } },
  ];
}
