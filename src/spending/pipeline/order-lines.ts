/**
 * Concern: what an order brings from its cart.
 *
 * Input: `{ customer_id, month, cart }` (one per order, cart joined).
 * Output, one per order: `{ customer_id, month, order_cents, lines, product_oids }`:
 *   - `order_cents`: the cart's `amount` in cents, rounded once here (the month totals come
 *     from `cart.amount`, docs/DATA-MODEL.md §4); null when the cart has no amount (summed as 0);
 *   - `lines`: the cart's lines as stored (`[]` when the cart has none);
 *   - `product_oids`: each line's `product_id` (24 hex) as an ObjectId, so that the next
 *     stage joins `products._id` with the plain `localField`/`foreignField` `$lookup` (an
 *     array local field matches each of its elements).
 */
import { toCents } from './rounding.js';
import type { Stage } from './types.js';

export function projectOrderLines(): Stage {
  const lines = { $ifNull: ['$cart.products', []] };
  return {
    $project: {
      customer_id: 1,
      month: 1,
      order_cents: toCents('$cart.amount'),
      lines,
      product_oids: { $map: { input: lines, in: { $toObjectId: '$$this.product_id' } } },
    },
  };
}
