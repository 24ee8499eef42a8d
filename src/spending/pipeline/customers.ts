/**
 * Concern: which customers a crunch computes. A full crunch runs the pipeline over slices of
 * the customers, one after another (so that its progress moves and a cancel lands between
 * two slices); an incremental one over the customers whose orders changed.
 *
 * A selection is a condition on `customer_id`, the same on the orders and on the users
 * brought in by `$unionWith`, so that a customer's orders and user document meet in the same
 * slice:
 *   - `{ from, to }`: the half-open range [from, to) of `customer_id` (an end left out is
 *     open), served by the `customer_id` indexes of `orders` and `users` on a real server;
 *   - `{ ids }`: those customers exactly (an index look-up per id).
 */
import type { Stage } from './types.js';

export type CustomerSelection = { from?: string; to?: string } | { ids: readonly string[] };

/** The condition on `customer_id`: only strings, as every join on it compares strings. */
export function customerCondition(selection: CustomerSelection | undefined): Record<string, unknown> {
  if (selection && 'ids' in selection) return { $in: [...selection.ids] };
  return { $type: 'string', ...(selection?.from === undefined ? {} : { $gte: selection.from }), ...(selection?.to === undefined ? {} : { $lt: selection.to }) };
}

/**
 * The orders' first stages: the year's `$match` and the customers' (none for every customer).
 * The more selective goes first: an id list (index look-ups), else the year (a range on
 * `created_at`). A real server coalesces adjacent `$match` stages whatever their order; the
 * embedded engine serves only a leading `$match` from an index, and compiles a date range.
 */
export function matchOrders(yearMatch: Stage, selection: CustomerSelection | undefined): Stage[] {
  if (!selection) return [yearMatch];
  const customers: Stage = { $match: { customer_id: customerCondition(selection) } };
  return 'ids' in selection ? [customers, yearMatch] : [yearMatch, customers];
}
