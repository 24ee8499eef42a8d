/**
 * The split: three aggregations over the activity, each ending in `$out`, produce the users,
 * carts and orders with real references (DESIGN §4.3), into the collections they are named
 * (staging names, in a seed job). The stage builders are pure data, so they are unit-tested
 * without a database and run unchanged on a real MongoDB.
 */
import type { Db, Document } from 'mongodb';
import { COLLECTIONS, type DatasetCollection } from '../models/index.js';

export function usersPipeline(out: string = COLLECTIONS.users): Document[] {
  return [{ $project: { _id: 1, customer_id: 1, email: 1, details: 1 } }, { $out: out }];
}

export function cartsPipeline(out: string = COLLECTIONS.carts): Document[] {
  return [
    { $unwind: '$carts' },
    { $project: { _id: '$carts._id', customer_id: 1, products: '$carts.products', amount: '$carts.amount' } },
    { $out: out },
  ];
}

export function ordersPipeline(out: string = COLLECTIONS.orders): Document[] {
  return [
    { $unwind: '$carts' },
    // An abandoned cart's order is null: unwinding it drops the cart (a one-document "array" otherwise).
    { $unwind: '$carts.order' },
    {
      $project: {
        _id: '$carts.order._id',
        customer_id: 1,
        cart_id: { $toString: '$carts._id' },
        created_at: '$carts.order.created_at',
      },
    },
    { $out: out },
  ];
}

/** The split's steps in order, for progress reporting. */
export const SPLIT_STEPS = [
  { name: COLLECTIONS.users, pipeline: usersPipeline },
  { name: COLLECTIONS.carts, pipeline: cartsPipeline },
  { name: COLLECTIONS.orders, pipeline: ordersPipeline },
] as const;

/**
 * Runs the three aggregations on the server, from `names.activity` into `names.users`,
 * `names.carts` and `names.orders`; `onStep` is told after each, and `signal` is checked
 * between them (one aggregation is one server command).
 */
export async function runSplit(
  db: Db,
  names: Record<Exclude<DatasetCollection, 'products'> | 'activity', string>,
  onStep: (done: number, name: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<void> {
  let done = 0;
  for (const step of SPLIT_STEPS) {
    signal?.throwIfAborted();
    await db.collection(names.activity).aggregate(step.pipeline(names[step.name]), { allowDiskUse: true }).toArray();
    onStep(++done, step.name);
  }
}
