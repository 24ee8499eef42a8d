/**
 * Concern: give every cart line its amount and the categories of its product.
 *
 * Input: `{ customer_id, month, entry }` (one per order total and per cart line).
 * Output: one document per (line, category of the line's product), plus one per order
 * total and per line whose product has no category, shaped
 *   `{ customer_id, month, entry, line_cents, product_oid, product: { ..., categories: <one category> } }`
 * (`product.categories` is missing for totals and uncategorized lines).
 *
 * Stages:
 *   1. `$set` `product_oid` (hex → ObjectId, for the plain-form `$lookup`) and `line_cents`
 *      (price × quantity, rounded to cents once). On a total entry both are null: no
 *      product matches a null `_id`, and `$sum` ignores null.
 *   2. `$lookup` `products` on `_id` (localField/foreignField form).
 *   3. `$unwind` the one-element array, keeping entries without a product (totals, lines of
 *      a missing product) so that the order totals survive.
 *   4. `$unwind` `product.categories`, again keeping entries without categories: a line
 *      counts in every category of its product (DESIGN §5), so a product with 3
 *      categories yields 3 documents carrying the same `line_cents`.
 */
import { toCents } from './rounding.js';
import type { Stage } from './types.js';

export function joinProducts(products: string): Stage[] {
  return [
    {
      $set: {
        product_oid: { $toObjectId: '$entry.product_id' },
        line_cents: toCents({ $multiply: ['$entry.price', '$entry.quantity'] }),
      },
    },
    { $lookup: { from: products, localField: 'product_oid', foreignField: '_id', as: 'product' } },
    { $unwind: { path: '$product', preserveNullAndEmptyArrays: true } },
    { $unwind: { path: '$product.categories', preserveNullAndEmptyArrays: true } },
  ];
}
