/**
 * Concern: give every cart line its amount and the categories of its product.
 *
 * Stage: `$lookup` `products` on `_id` from `product_oids` (localField/foreignField form):
 * `{ ..., products }`, the order's distinct products, in any order.
 *
 * Expression `orderPairs(lines, products)`: an order's category pairs, one `{k: category,
 * v: line cents}` per (line, category of the line's product). For each line: its product (the
 * joined one with that `_id`), its amount (price × quantity, rounded to cents once: null
 * without a price, summed as 0), and one pair per category. A line counts in every category
 * of its product (docs/DATA-MODEL.md §4); a product whose `categories` is a single value counts in that
 * one, as `$unwind` would read it; only string categories count, so a missing product, null
 * or empty `categories` or a non-string entry yields no pair.
 *
 * The pairs are not built here, per order, but where a customer's month is summed
 * (month-sums.ts): the orders wait in the customer's `$group` with their lines and products,
 * and the pairs are born and die within one expression. (Built per order, they
 * stayed alive until the grouping ended: millions of small objects that the engine's garbage
 * collector copied twice.)
 *
 * The work is bounded by one cart's size (lines × products).
 */
import { toCents } from './rounding.js';
import type { Expr, Stage } from './types.js';

/** Expression: a `categories` value → the category names it gives (strings only). */
export function categoryNames(categoriesExpr: Expr): Expr {
  return {
    $filter: {
      input: { $cond: [{ $isArray: categoriesExpr }, categoriesExpr, [categoriesExpr]] },
      as: 'name',
      cond: { $eq: [{ $type: '$$name' }, 'string'] },
    },
  };
}

/**
 * Expression, with `$$this` a cart line and `productsExpr` the joined products: the line's
 * pairs. The line's product id is converted once (`$let`), not once per joined product.
 */
function linePairs(productsExpr: Expr): Expr {
  return {
    $let: {
      vars: { product_oid: { $toObjectId: '$$this.product_id' }, cents: toCents({ $multiply: ['$$this.price', '$$this.quantity'] }) },
      in: {
        $let: {
          vars: { product: { $arrayElemAt: [{ $filter: { input: productsExpr, as: 'product', cond: { $eq: ['$$product._id', '$$product_oid'] } } }, 0] } },
          in: { $map: { input: categoryNames('$$product.categories'), as: 'category', in: { k: '$$category', v: '$$cents' } } },
        },
      },
    },
  };
}

export function joinProducts(products: string): Stage {
  return { $lookup: { from: products, localField: 'product_oids', foreignField: '_id', as: 'products' } };
}

/** Expression: an order's cart lines and joined products → its `{k: category, v: cents}` pairs, in line order. */
export function orderPairs(linesExpr: Expr, productsExpr: Expr): Expr {
  return { $reduce: { input: linesExpr, initialValue: [], in: { $concatArrays: ['$$value', linePairs(productsExpr)] } } };
}
