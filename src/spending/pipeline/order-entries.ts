/**
 * Concern: split an order into the entries that carry its money.
 *
 * Input: `{ customer_id, month, cart }` (one per order).
 * Output: one document per entry, `{ customer_id, month, entry }`, where `entry` is either
 *   - the order's total: `{ order_cents }` (exactly one per order: the cart's `amount` in
 *     cents, rounded once here), or
 *   - one line of the cart as stored: `{ product_id, price, quantity }`.
 *
 * Why the total rides along as a pseudo-entry: the monthly totals must come from
 * `cart.amount` (DESIGN §5), the category sums from the lines. Putting the total into the
 * same stream keeps a single pass over orders and carts, and the grouping stages below sum
 * `entry.order_cents` and `line_cents` in separate accumulators, so neither leaks into the
 * other. A cart without lines still yields its total entry.
 */
import { toCents } from './rounding.js';
import type { Stage } from './types.js';

export function explodeOrderEntries(): Stage[] {
  return [
    {
      $project: {
        customer_id: 1,
        month: 1,
        entry: {
          $concatArrays: [[{ order_cents: toCents('$cart.amount') }], { $ifNull: ['$cart.products', []] }],
        },
      },
    },
    { $unwind: '$entry' },
  ];
}
