/**
 * The split: three aggregations over the activity produce the users, carts and orders with
 * real references (docs/ARCHITECTURE.md §4.4), into the collections they are named (staging names, in a
 * seed job). The stage builders are pure data, so they are unit-tested without a database
 * and run unchanged on a real MongoDB.
 *
 * Two ways to write:
 *   - `$out` (the default, on one server): replaces the target in one go, without looking
 *     each document up; the activity may be several collections (the parts of a seed written
 *     by several machines), read as one with `$unionWith`;
 *   - `$merge` (sharded targets: `$out` cannot write into a sharded collection): inserts into
 *     the pre-created, sharded target, one aggregation per activity collection, and fails on
 *     a document that is already there (a part merged twice would be a bug, not data).
 *     `on` is left to the server: on a sharded target it is the shard key and `_id`.
 */
import type { Db, Document } from 'mongodb';
import { COLLECTIONS, type DatasetCollection } from '../models/index.js';

export type SplitWrite = 'out' | 'merge';

/** The last stage: `$out` into `into`, or `$merge` inserting into it. */
export function writeStage(into: string, write: SplitWrite = 'out'): Document {
  return write === 'out' ? { $out: into } : { $merge: { into, whenMatched: 'fail', whenNotMatched: 'insert' } };
}

export function usersPipeline(out: string = COLLECTIONS.users, write: SplitWrite = 'out'): Document[] {
  return [{ $project: { _id: 1, customer_id: 1, email: 1, details: 1 } }, writeStage(out, write)];
}

export function cartsPipeline(out: string = COLLECTIONS.carts, write: SplitWrite = 'out'): Document[] {
  return [
    { $unwind: '$carts' },
    { $project: { _id: '$carts._id', customer_id: 1, products: '$carts.products', amount: '$carts.amount' } },
    writeStage(out, write),
  ];
}

export function ordersPipeline(out: string = COLLECTIONS.orders, write: SplitWrite = 'out'): Document[] {
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
    writeStage(out, write),
  ];
}

/** The split's steps in order, for progress reporting. */
export const SPLIT_STEPS = [
  { name: COLLECTIONS.users, pipeline: usersPipeline },
  { name: COLLECTIONS.carts, pipeline: cartsPipeline },
  { name: COLLECTIONS.orders, pipeline: ordersPipeline },
] as const;

/** One aggregation of a split: run `pipeline` on collection `on`. */
export interface SplitRun {
  on: string;
  pipeline: Document[];
}

/**
 * The aggregations that write `into` from the activity collections `sources` with `pipeline`:
 * one over them all (`$unionWith` the others) for `$out`, one per source for `$merge`.
 */
export function splitRuns(sources: readonly string[], into: string, pipeline: (into: string, write: SplitWrite) => Document[], write: SplitWrite): SplitRun[] {
  if (sources.length === 0) throw new Error('the split needs at least one activity collection');
  if (write === 'merge') return sources.map((on) => ({ on, pipeline: pipeline(into, 'merge') }));
  const [first, ...rest] = sources;
  return [{ on: first!, pipeline: [...rest.map((coll) => ({ $unionWith: coll })), ...pipeline(into, 'out')] }];
}

export type SplitNames = Record<Exclude<DatasetCollection, 'products'>, string>;

export interface SplitOptions {
  /** The activity collections (one, or one per part). */
  sources: readonly string[];
  write?: SplitWrite;
  /** Told after each collection is written. */
  onStep?: (done: number, name: string) => void;
  /** Checked between aggregations (one aggregation is one server command). */
  signal?: AbortSignal;
}

/** Runs the split on the server, from `options.sources` into `names.users`, `names.carts` and `names.orders`. */
export async function runSplit(db: Db, names: SplitNames, options: SplitOptions): Promise<void> {
  let done = 0;
  for (const step of SPLIT_STEPS) {
    for (const run of splitRuns(options.sources, names[step.name], step.pipeline, options.write ?? 'out')) {
      options.signal?.throwIfAborted();
      await db.collection(run.on).aggregate(run.pipeline, { allowDiskUse: true }).toArray();
    }
    options.onStep?.(++done, step.name);
  }
}
