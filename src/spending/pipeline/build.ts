/**
 * The crunch: one aggregation, run on the `orders` collection, that writes one
 * `customer_spending` document per user for a calendar year (docs/DATA-MODEL.md §4).
 *
 *   const pipeline = buildCrunchPipeline({ year: 2025 });
 *   await db.collection(crunchRootCollection()).aggregate(pipeline, { allowDiskUse: true }).toArray();
 *
 * Why it starts from `orders` (and brings the users in with `$unionWith`): the year filter is
 * then the first stage (an index range scan on a real server), the orders of other years are
 * never joined, and the heavy part of the pipeline runs at the top level, where the engine's
 * fast paths apply, rather than inside a sub-pipeline.
 *
 * Document counts, per order of the year: one document per order through the joins (its
 * lines and products travel inside it, never as documents of their own), then one per
 * customer, and one per user. A customer's category sums are expressions over their own
 * orders (month-sums.ts, pairs.ts): their cost is (pairs) × (distinct categories), bounded by
 * the catalogue's categories, so the whole crunch grows linearly with the orders. (Earlier
 * shapes unwound every (line, category) into a document and summed with three `$group`s, then
 * grouped by (customer, month) before grouping by customer; this one keeps one `$group` over
 * the orders and the same result.)
 *
 * Stage list (see each builder for why it exists):
 *   $match year (and customers) · $project order · $lookup carts · $unwind cart · $project lines ·
 *   $lookup products · $group customer · $project month sums ·
 *   $unionWith users · $group user · $match user · $replaceWith output · $out
 *
 * Server requirements: stages and operators available since MongoDB 4.4 (`$unionWith`), so
 * it runs unchanged on 7.0+; no `$lookup` with `let`/`pipeline`, no
 * `$function`/`$accumulator`/`$where`, no `$getField` with a computed name (7.2+), no
 * client-side arithmetic. Run it with `allowDiskUse: true`: the first `$group` holds one
 * entry per customer with their orders (cart lines, products' ids and categories); a real
 * server spills what exceeds its memory limit to disk. On a sharded cluster the category
 * sums run after that `$group`, where it merges. `$out` replaces the target atomically and
 * keeps its indexes.
 *
 * Category keys inside the output maps come in the order the server produced them
 * (unspecified); readers must not rely on it.
 */
import { CUSTOMER_SPENDING_COLLECTION } from '../months.js';
import { rollUpCustomers } from './customer-rollup.js';
import { type CustomerSelection, matchOrders } from './customers.js';
import { joinCarts } from './join-carts.js';
import { joinProducts } from './join-products.js';
import { joinUsers } from './join-users.js';
import { projectOrderLines } from './order-lines.js';
import { projectOrders } from './orders.js';
import { type CrunchOutput, outputStage, projectSpending } from './output.js';
import { type CrunchCollections, DEFAULT_COLLECTIONS, type Stage } from './types.js';
import { assertYear, matchOrdersInYear } from './year-range.js';

export interface CrunchPipelineOptions {
  /** Calendar year (UTC) to crunch. */
  year: number;
  /** The customers to compute (customers.ts); every user by default. */
  customers?: CustomerSelection;
  /** Output: a collection for `$out` (default `customer_spending`), `{ merge }`, or `false` for none. */
  out?: CrunchOutput;
  /** Source collection names, if not those of docs/DATA-MODEL.md §1. */
  collections?: Partial<CrunchCollections>;
}

function collectionsOf(options: { collections?: Partial<CrunchCollections> }): CrunchCollections {
  return { ...DEFAULT_COLLECTIONS, ...options.collections };
}

/** The collection the crunch pipeline must be run on (`orders`, or its configured name). */
export function crunchRootCollection(options: { collections?: Partial<CrunchCollections> } = {}): string {
  return collectionsOf(options).orders;
}

/** The stages that compute the spending documents, without the output stage. */
export function buildSpendingStages(options: Omit<CrunchPipelineOptions, 'out'>): Stage[] {
  assertYear(options.year);
  const names = collectionsOf(options);
  return [
    ...matchOrders(matchOrdersInYear(options.year), options.customers),
    projectOrders(),
    ...joinCarts(names.carts),
    projectOrderLines(),
    joinProducts(names.products),
    ...rollUpCustomers(),
    ...joinUsers(names.users, options.customers),
    projectSpending(options.year),
  ];
}

/** The whole crunch: `buildSpendingStages` followed by `$out` / `$merge` (unless `out: false`). */
export function buildCrunchPipeline(options: CrunchPipelineOptions): Stage[] {
  const stages = buildSpendingStages(options);
  const last = outputStage(options.out ?? CUSTOMER_SPENDING_COLLECTION);
  return last === undefined ? stages : [...stages, last];
}
