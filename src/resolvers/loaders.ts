/**
 * Per-request batch loaders: an order's cart, a line's product, an order's customer, in one
 * query per kind, each under the API's default time limit (the loaders are made with the
 * request's context, before any operation's limits are known).
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/connection.js';
import { cartsByIds, productsByIds, usersByCustomerIds } from '../explore/index.js';
import type { CartDoc, ProductDoc, UserDoc } from '../models/index.js';
import { SERVER_DEFAULTS } from '../server/config.js';

export interface Loaders {
  cart: DataLoader<string, CartDoc | null>;
  product: DataLoader<string, ProductDoc | null>;
  user: DataLoader<string, UserDoc | null>;
}

export function createLoaders(database: Database, maxTimeMS: number = SERVER_DEFAULTS.maxTimeMS): Loaders {
  const options = { maxTimeMS };
  return {
    cart: new DataLoader((ids) => cartsByIds(database, ids, options), { maxBatchSize: 1000 }),
    product: new DataLoader((ids) => productsByIds(database, ids, options), { maxBatchSize: 1000 }),
    user: new DataLoader((ids) => usersByCustomerIds(database, ids, options), { maxBatchSize: 1000 }),
  };
}
