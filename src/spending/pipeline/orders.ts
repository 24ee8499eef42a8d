/**
 * Concern: reduce each order of the year to what the crunch needs.
 *
 * Input: `orders` documents (already filtered to the year).
 * Output, one per order: `{ customer_id, month, cart_oid }`
 *   - `month`: the month key of `created_at` (UTC), computed once per order;
 *   - `cart_oid`: `cart_id` (24 hex) as an ObjectId, so that the next stage can join
 *     `carts._id` with the plain `localField`/`foreignField` form of `$lookup` (an indexed
 *     equality join on a real server, a hash join in the engine).
 * Dropping everything else (`_id`, `created_at`...) keeps the documents small from here on.
 */
import { monthKeyOf } from './month-keys.js';
import type { Stage } from './types.js';

export function projectOrders(): Stage {
  return {
    $project: {
      _id: 0,
      customer_id: 1,
      month: monthKeyOf('$created_at'),
      cart_oid: { $toObjectId: '$cart_id' },
    },
  };
}
