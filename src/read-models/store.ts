/**
 * Reading the seeded collections for exploration (GraphQL `users`, `products`, `orders`):
 * pages in `_id` order with simple filters, and batch look-ups by id that a request's
 * loaders use to resolve an order's cart, a cart line's product and an order's customer
 * without one query per row. Every read runs under the caller's time limit (`maxTimeMS`);
 * the documents are the stored ones, as Mongoose's `lean()` gives them.
 */
import { Types } from 'mongoose';
import type { Document, Filter } from 'mongodb';
import { boundedRead, type Database } from '../db/index.js';
import { UserInputError } from '../errors.js';
import { COLLECTIONS, type CartDoc, type OrderDoc, type ProductDoc, type UserDoc } from '../models/index.js';
import { escapeRegex, failedRead, type ReadOptions } from '../spending/index.js';
import { afterFilter, andFilters, decodeCursor, type Page, pageSize, type SortKey, toPage } from './cursor.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  /** The server's time limit for each read, in ms. */
  maxTimeMS?: number;
}

const BY_ID: SortKey = { field: '_id', direction: 1 };
const HEX_ID = /^[0-9a-fA-F]{24}$/;

function hexId(value: string, what: string): string {
  if (!HEX_ID.test(value)) throw new UserInputError(`${what} is 24 hexadecimal digits, got ${JSON.stringify(value)}`, { reason: 'BAD_ID' });
  return value.toLowerCase();
}

/** A read bounded by `maxTimeMS`, its driver errors turned into the app's (time limit, unavailable). */
async function read<T>(maxTimeMS: number | undefined, run: (options: ReturnType<typeof boundedRead>) => Promise<T>): Promise<T> {
  try {
    return await run(boundedRead(maxTimeMS));
  } catch (error) {
    failedRead(error, maxTimeMS);
  }
}

const collection = <T extends Document>(database: Database, name: string) => database.db.collection<T>(name);

async function pageOf<T extends { _id: Types.ObjectId }>(database: Database, name: string, filter: Filter<Document>, args: PageArgs): Promise<Page<T>> {
  const first = pageSize(args.first);
  const pageFilter = args.after ? andFilters(filter, afterFilter(BY_ID, decodeCursor(args.after, BY_ID))) : filter;
  const rows = await read(args.maxTimeMS, (options) =>
    collection(database, name)
      .find(pageFilter, { sort: { _id: 1 }, limit: first + 1, ...options })
      .toArray(),
  );
  const count = (): Promise<number> => read(args.maxTimeMS, (options) => collection(database, name).countDocuments(filter, options));
  return toPage(rows as unknown as (T & Record<string, unknown>)[], first, BY_ID, args.after, count);
}

export function listUsers(database: Database, args: PageArgs & { emailContains?: string | null }): Promise<Page<UserDoc>> {
  const filter = args.emailContains ? { email: { $regex: escapeRegex(args.emailContains), $options: 'i' } } : {};
  return pageOf(database, COLLECTIONS.users, filter, args);
}

export function listProducts(database: Database, args: PageArgs & { category?: string | null }): Promise<Page<ProductDoc>> {
  const filter = args.category != null ? { categories: args.category } : {};
  return pageOf(database, COLLECTIONS.products, filter, args);
}

export function listOrders(database: Database, args: PageArgs & { customerId?: string | null }): Promise<Page<OrderDoc>> {
  const filter = args.customerId != null ? { customer_id: hexId(args.customerId, 'customerId') } : {};
  return pageOf(database, COLLECTIONS.orders, filter, args);
}

/** Documents for `keys` (in the same order; null where missing), with one query. */
async function byKeys<T>(rows: Promise<T[]>, keys: readonly string[], keyOf: (row: T) => string): Promise<(T | null)[]> {
  const found = new Map<string, T>();
  for (const row of await rows) found.set(keyOf(row), row);
  return keys.map((key) => found.get(key.toLowerCase()) ?? null);
}

const objectIds = (ids: readonly string[]): Types.ObjectId[] => ids.filter((id) => HEX_ID.test(id)).map((id) => new Types.ObjectId(id));

function findAll<T>(database: Database, name: string, filter: Filter<Document>, options: ReadOptions): Promise<T[]> {
  return read(options.maxTimeMS, (bounded) => collection(database, name).find(filter, bounded).toArray()) as Promise<T[]>;
}

export function cartsByIds(database: Database, ids: readonly string[], options: ReadOptions = {}): Promise<(CartDoc | null)[]> {
  return byKeys(findAll<CartDoc>(database, COLLECTIONS.carts, { _id: { $in: objectIds(ids) } }, options), ids, (cart) => cart._id.toHexString());
}

export function productsByIds(database: Database, ids: readonly string[], options: ReadOptions = {}): Promise<(ProductDoc | null)[]> {
  return byKeys(findAll<ProductDoc>(database, COLLECTIONS.products, { _id: { $in: objectIds(ids) } }, options), ids, (product) => product._id.toHexString());
}

export function usersByCustomerIds(database: Database, customerIds: readonly string[], options: ReadOptions = {}): Promise<(UserDoc | null)[]> {
  const filter = { customer_id: { $in: customerIds.map((id) => id.toLowerCase()) } };
  return byKeys(findAll<UserDoc>(database, COLLECTIONS.users, filter, options), customerIds, (user) => user.customer_id);
}

export function getProduct(database: Database, id: Types.ObjectId, options: ReadOptions = {}): Promise<ProductDoc | null> {
  return read(options.maxTimeMS, (bounded) =>
    collection<ProductDoc>(database, COLLECTIONS.products).findOne({ _id: id }, bounded),
  ) as Promise<ProductDoc | null>;
}

export function getOrder(database: Database, id: Types.ObjectId, options: ReadOptions = {}): Promise<OrderDoc | null> {
  return read(options.maxTimeMS, (bounded) => collection<OrderDoc>(database, COLLECTIONS.orders).findOne({ _id: id }, bounded)) as Promise<OrderDoc | null>;
}
