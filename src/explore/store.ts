/**
 * Reading the seeded collections for exploration (GraphQL `users`, `products`, `orders`):
 * pages in `_id` order with simple filters, and batch look-ups by id that a request's
 * loaders use to resolve an order's cart, a cart line's product and an order's customer
 * without one query per row.
 */
import { Types } from 'mongoose';
import type { Database } from '../db/connection.js';
import { UserInputError } from '../errors.js';
import { cartModel, orderModel, productModel, userModel, type CartDoc, type OrderDoc, type ProductDoc, type UserDoc } from '../models/index.js';
import { afterFilter, andFilters, decodeCursor, type Page, pageSize, type SortKey, toPage } from './cursor.js';
import { escapeRegex } from './spending-page.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

const BY_ID: SortKey = { field: '_id', direction: 1 };
const HEX_ID = /^[0-9a-fA-F]{24}$/;

function hexId(value: string, what: string): string {
  if (!HEX_ID.test(value)) throw new UserInputError(`${what} is 24 hexadecimal digits, got ${JSON.stringify(value)}`, { reason: 'BAD_ID' });
  return value.toLowerCase();
}

async function pageOf<T extends { _id: Types.ObjectId }>(
  model: import('mongoose').Model<T>,
  filter: Record<string, unknown>,
  args: PageArgs,
): Promise<Page<T>> {
  const first = pageSize(args.first);
  const pageFilter = args.after ? andFilters(filter, afterFilter(BY_ID, decodeCursor(args.after, BY_ID))) : filter;
  const rows = (await model.find(pageFilter).sort({ _id: 1 }).limit(first + 1).lean().exec()) as unknown as T[];
  return toPage(rows as unknown as (T & Record<string, unknown>)[], first, BY_ID, args.after, () => model.countDocuments(filter).exec());
}

export function listUsers(database: Database, args: PageArgs & { emailContains?: string | null }): Promise<Page<UserDoc>> {
  const filter = args.emailContains ? { email: { $regex: escapeRegex(args.emailContains), $options: 'i' } } : {};
  return pageOf(userModel(database.connection), filter, args);
}

export function listProducts(database: Database, args: PageArgs & { category?: string | null }): Promise<Page<ProductDoc>> {
  const filter = args.category != null ? { categories: args.category } : {};
  return pageOf(productModel(database.connection), filter, args);
}

export function listOrders(database: Database, args: PageArgs & { customerId?: string | null }): Promise<Page<OrderDoc>> {
  const filter = args.customerId != null ? { customer_id: hexId(args.customerId, 'customerId') } : {};
  return pageOf(orderModel(database.connection), filter, args);
}

/** Documents for `keys` (in the same order; null where missing), with one query. */
async function byKeys<T>(rows: Promise<T[]>, keys: readonly string[], keyOf: (row: T) => string): Promise<(T | null)[]> {
  const found = new Map<string, T>();
  for (const row of await rows) found.set(keyOf(row), row);
  return keys.map((key) => found.get(key.toLowerCase()) ?? null);
}

const objectIds = (ids: readonly string[]): Types.ObjectId[] => ids.filter((id) => HEX_ID.test(id)).map((id) => new Types.ObjectId(id));

export function cartsByIds(database: Database, ids: readonly string[]): Promise<(CartDoc | null)[]> {
  const rows = cartModel(database.connection).find({ _id: { $in: objectIds(ids) } }).lean().exec() as Promise<CartDoc[]>;
  return byKeys(rows, ids, (cart) => cart._id.toHexString());
}

export function productsByIds(database: Database, ids: readonly string[]): Promise<(ProductDoc | null)[]> {
  const rows = productModel(database.connection).find({ _id: { $in: objectIds(ids) } }).lean().exec() as Promise<ProductDoc[]>;
  return byKeys(rows, ids, (product) => product._id.toHexString());
}

export function usersByCustomerIds(database: Database, customerIds: readonly string[]): Promise<(UserDoc | null)[]> {
  const rows = userModel(database.connection).find({ customer_id: { $in: customerIds.map((id) => id.toLowerCase()) } }).lean().exec() as Promise<UserDoc[]>;
  return byKeys(rows, customerIds, (user) => user.customer_id);
}

export async function getProduct(database: Database, id: Types.ObjectId): Promise<ProductDoc | null> {
  return (await productModel(database.connection).findById(id).lean().exec()) as ProductDoc | null;
}

export async function getOrder(database: Database, id: Types.ObjectId): Promise<OrderDoc | null> {
  return (await orderModel(database.connection).findById(id).lean().exec()) as OrderDoc | null;
}
