/** Sharded targets without a cluster: the indexes a sharded collection can have, the refusal's words. */
import { describe, expect, it } from 'vitest';
import { SEEDED_INDEXES, SPENDING_INDEXES } from '../../../src/models/index.js';
import { shardableIndexes, ShardingRefusedError } from '../../../src/seeding/sharding.js';

const uniqueOf = (specs: { keys: Record<string, unknown>; options: { unique?: boolean } }[]): string[] =>
  specs.filter((s) => s.options.unique).map((s) => Object.keys(s.keys).join(','));

describe('shardableIndexes', () => {
  it('keeps the unique indexes that start with the shard key, and makes the others plain', () => {
    expect(uniqueOf(SEEDED_INDEXES.users as never)).toEqual(['customer_id', 'email']);
    // users are sharded by _id: neither customer_id nor email can be unique across shards
    expect(uniqueOf(shardableIndexes(SEEDED_INDEXES.users, 'users'))).toEqual([]);
    expect(shardableIndexes(SEEDED_INDEXES.users, 'users').map((s) => Object.keys(s.keys).join(','))).toEqual(['customer_id', 'email']);
    // orders by customer_id: cart_id cannot be unique
    expect(uniqueOf(SEEDED_INDEXES.orders as never)).toEqual(['cart_id']);
    expect(uniqueOf(shardableIndexes(SEEDED_INDEXES.orders, 'orders'))).toEqual([]);
    // a unique index prefixed by the shard key stays unique
    const compound = [{ keys: { customer_id: 1 as const, cart_id: 1 as const }, options: { unique: true } }];
    expect(uniqueOf(shardableIndexes(compound, 'orders'))).toEqual(['customer_id,cart_id']);
    expect(uniqueOf(shardableIndexes(SPENDING_INDEXES, 'customer_spending'))).toEqual([]);
  });
});

describe('ShardingRefusedError', () => {
  it('says a CommandNotFound comes from a server that is no mongos, and what to do', () => {
    const error = new ShardingRefusedError('users', { code: 59, codeName: 'CommandNotFound', message: "no such command: 'shardCollection'" });
    expect(error.message).toBe(
      "--shard: the server refused to shard users (CommandNotFound, code 59: no such command: 'shardCollection'): it is not the mongos of a sharded cluster. Point MONGODB_URI at the cluster's mongos, or seed without --shard on a single server or replica set",
    );
    expect(error.details).toMatchObject({ reason: 'NOT_A_MONGOS', serverCode: 59 });
  });

  it('points at the role for another refusal', () => {
    const error = new ShardingRefusedError('orders', { code: 13, codeName: 'Unauthorized', message: 'not authorized on admin' });
    expect(error.message).toMatch(/\(Unauthorized, code 13: not authorized on admin\): check that the user may run shardCollection/);
  });
});
