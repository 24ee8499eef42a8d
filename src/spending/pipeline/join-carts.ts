/**
 * Concern: bring each order's cart.
 *
 * Input: `{ customer_id, month, cart_oid }` (one per order).
 * Output: the same plus `cart` (the whole cart document), one per order.
 *
 * `$lookup` localField/foreignField on `carts._id`, then `$unwind` of the one-element array.
 * The `$unwind` (without preserveNullAndEmptyArrays) also drops an order whose cart does not
 * exist: such an order has no amount, so it counts nowhere. Carts without an order
 * (abandoned carts) are never reached: the join starts from the orders.
 */
import type { Stage } from './types.js';

export function joinCarts(carts: string): Stage[] {
  return [{ $lookup: { from: carts, localField: 'cart_oid', foreignField: '_id', as: 'cart' } }, { $unwind: '$cart' }];
}
