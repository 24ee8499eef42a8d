/**
 * Sharded targets: on a sharded cluster (through its mongos) the seed pre-creates its
 * collections sharded, and the split and the crunch write into them with `$merge` (`$out`
 * cannot write into a sharded collection: it would leave every collection unsharded on the
 * primary shard).
 *
 * The shard keys, all hashed (even spread of writes from the first document, no hot chunk at
 * the end of a monotonic key, chunks pre-split by the server on an empty collection):
 *   - carts and orders by `customer_id`: a customer's carts and orders live on one shard, the
 *     one the crunch's per-customer `$group` and its `$lookup` of carts hit; the crunch's
 *     slices (ranges of customer_id) are spread over every shard;
 *   - users by `_id`: the seed's ObjectIds (unique, unlike nothing else a user has but the
 *     customer_id, which is not the `_id`); `$merge` needs the shard key in every document it
 *     writes, and `_id` is in all; finds by customer_id go to every shard, a small cost for
 *     one document per customer;
 *   - the activity by `_id` (one document per user): the parts' inserts spread evenly;
 *   - customer_spending by `_id` (which is the customer_id): the API's reads by customer
 *     hit one shard.
 */
import type { Db, Document } from 'mongodb';
import type { IndexSpec } from '../models/index.js';
import { AppError, ErrorCodes } from '../errors.js';

/** The shard key of each collection a sharded seed or crunch writes. */
export const SHARD_KEYS = Object.freeze({
  users: { _id: 'hashed' },
  carts: { customer_id: 'hashed' },
  orders: { customer_id: 'hashed' },
  activity: { _id: 'hashed' },
  customer_spending: { _id: 'hashed' },
} as const satisfies Record<string, Document>);

export type ShardedCollection = keyof typeof SHARD_KEYS;

/** Whether the server is the mongos of a sharded cluster (`hello` answers `msg: "isdbgrid"`). */
export async function isMongos(db: Db): Promise<boolean> {
  const hello = await db.admin().command({ hello: 1 });
  return hello.msg === 'isdbgrid';
}

/** The server refused to shard a collection: it is not a mongos, or the cluster said no. */
export class ShardingRefusedError extends AppError {
  override name = 'ShardingRefusedError';
  constructor(collection: string, cause: { code?: number; codeName?: string; message: string }) {
    const code = cause.code === undefined ? '' : `, code ${cause.code}`;
    const notMongos = cause.code === 59 || cause.codeName === 'CommandNotFound';
    super(
      ErrorCodes.FAILED,
      `--shard: the server refused to shard ${collection} (${cause.codeName ?? 'error'}${code}: ${cause.message})` +
        (notMongos
          ? ": it is not the mongos of a sharded cluster. Point MONGODB_URI at the cluster's mongos, or seed without --shard on a single server or replica set"
          : ': check that the user may run shardCollection on this database (the clusterManager role)'),
      { reason: notMongos ? 'NOT_A_MONGOS' : 'SHARDING_REFUSED', ...(cause.code === undefined ? {} : { serverCode: cause.code }) },
      { cause },
    );
  }
}

/**
 * Creates `name` sharded by the key of `kind` (dropped first: it is a staging collection or a
 * part's, about to be written). Throws a ShardingRefusedError with the server's answer.
 */
export async function createSharded(db: Db, name: string, kind: ShardedCollection): Promise<void> {
  await db
    .collection(name)
    .drop()
    .catch(() => undefined);
  try {
    await db.admin().command({ shardCollection: `${db.databaseName}.${name}`, key: SHARD_KEYS[kind] });
  } catch (error) {
    throw new ShardingRefusedError(kind, error as { code?: number; codeName?: string; message: string });
  }
}

/** How a run writes: sharded (asked for, or found a mongos) and with `$merge`, or with `$out`. */
export interface WriteMode {
  sharded: boolean;
  write: 'out' | 'merge';
}

/** The write mode for a run that asked for `shard` (or forced `$merge`) on this server. */
export async function writeModeOf(db: Db, options: { shard: boolean; forceMerge?: boolean }): Promise<WriteMode> {
  const sharded = options.shard || (await isMongos(db));
  return { sharded, write: sharded || options.forceMerge === true ? 'merge' : 'out' };
}

/**
 * The indexes of `specs` as a collection sharded by `kind`'s key can have them: MongoDB
 * enforces uniqueness across shards only for an index that starts with the shard key's
 * fields, and refuses any other unique index. Those (users' customer_id and email, orders'
 * cart_id, customer_spending's customer_id) are built as plain indexes there: the seed's
 * values are unique by construction (ObjectIds and ids from the customer's index).
 */
export function shardableIndexes(specs: readonly IndexSpec[], kind: ShardedCollection): IndexSpec[] {
  const shardFields = Object.keys(SHARD_KEYS[kind]);
  return specs.map((spec) => {
    const fields = Object.keys(spec.keys);
    const prefixed = shardFields.every((field, i) => fields[i] === field);
    if (!spec.options.unique || prefixed) return spec;
    const { unique: _unique, ...options } = spec.options;
    return { keys: spec.keys, options };
  });
}
