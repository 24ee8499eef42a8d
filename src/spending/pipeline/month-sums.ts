/**
 * Concern: a customer's sums per month with orders, from the list of their orders.
 *
 * `orders` is a list of `{ month, cents, lines, products }` (customer-rollup.ts): an order's
 * month key, its amount in cents, its cart lines and its joined products. Two expressions:
 *
 *   - `monthlyAmounts(orders)`: `[{k: month, v: amount}]`, the amount the month's cents / 100;
 *   - `categorizedMonths(orders)`: `[{k: month, v: [{k: category, v: cents}]}]`, the
 *     category pairs of the month's orders (join-products.ts) summed per category (pairs.ts).
 *
 * Each month with orders appears once, in an order of the server's choosing (mingo and the
 * engine: the order of the months' first orders; MongoDB sorts what `$setUnion` returns);
 * months without orders are left out. zero-fill.ts puts all twelve in calendar order. All
 * sums are of integer cents: exact, whatever the order.
 */
import { orderPairs } from './join-products.js';
import { flatten, mapValues, sumByKey } from './pairs.js';
import { centsToAmount } from './rounding.js';
import type { Expr } from './types.js';

/** Expression: orders → `[{k: month, v: amount}]`, one per month with orders. */
export function monthlyAmounts(ordersExpr: Expr): Expr {
  return mapValues(sumByKey({ $map: { input: ordersExpr, as: 'order', in: { k: '$$order.month', v: '$$order.cents' } } }), centsToAmount);
}

/** Expression: orders → `[{k: month, v: [{k: category, v: cents}]}]`, one per month with orders. */
export function categorizedMonths(ordersExpr: Expr): Expr {
  const ofMonth = { $filter: { input: ordersExpr, as: 'order', cond: { $eq: ['$$order.month', '$$month'] } } };
  return {
    $map: {
      input: { $setUnion: [{ $map: { input: ordersExpr, as: 'order', in: '$$order.month' } }] },
      as: 'month',
      in: { k: '$$month', v: sumByKey(flatten({ $map: { input: ofMonth, as: 'order', in: orderPairs('$$order.lines', '$$order.products') } })) },
    },
  };
}
