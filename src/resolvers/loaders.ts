/**
 * Per-request batch loaders: an order's cart, a line's product, an order's customer, in one
 * query per kind, each under the API's time limit (the loaders are made with the request's
 * context, before any operation's own root value is known: the server passes the limit).
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/index.js';
import { cartsByIds, productsByIds, usersByCustomerIds } from '../read-models/index.js';
import type { CartDoc, ProductDoc, UserDoc } from '../models/index.js';

export interface Loaders {
  cart: DataLoader<string, CartDoc | null>;
  product: DataLoader<string, ProductDoc | null>;
  user: DataLoader<string, UserDoc | null>;
}

export function createLoaders(database: Database, maxTimeMS: number): Loaders {
  const options = { maxTimeMS };
  return {
    cart: new DataLoader((ids) => cartsByIds(database, ids, options), { maxBatchSize: 1000 }),
    product: new DataLoader((ids) => productsByIds(database, ids, options), { maxBatchSize: 1000 }),
    user: new DataLoader((ids) => usersByCustomerIds(database, ids, options), { maxBatchSize: 1000 }),
  };
}
