/** Mongoose models, one file per collection (docs/DATA-MODEL.md §1). Models are bound to a connection. */
import type { Connection } from 'mongoose';
import { cartModel } from './cart.model.js';
import { CUSTOMER_SPENDING_COLLECTION } from './customer-spending.model.js';
import { orderModel } from './order.model.js';
import { productModel } from './product.model.js';
import { userModel } from './user.model.js';

export { cartModel, type CartDoc, type CartLine } from './cart.model.js';
export {
  type CategorizedMonths,
  type CategoryAmounts,
  CUSTOMER_SPENDING_COLLECTION,
  type CustomerSpending,
  type CustomerSpendingDoc,
  customerSpendingSchema,
  MONTH_KEYS,
  type MonthKey,
  type MonthlyAmounts,
} from './customer-spending.model.js';
export { orderModel, type OrderDoc } from './order.model.js';
export { productModel, type ProductDoc } from './product.model.js';
export { userModel, type UserDoc } from './user.model.js';
export { buildIndexes, type IndexSpec, SEEDED_INDEXES, SPENDING_INDEXES } from './indexes.js';
export { type DatasetRef, datasetRef, type DatasetState, type SpendingState, STATE_COLLECTION, type StateDoc, type StateId } from './state.js';

/** The collections a seed writes, by name. */
export const COLLECTIONS = Object.freeze({
  users: 'users',
  products: 'products',
  carts: 'carts',
  orders: 'orders',
  activity: 'activity',
  customerSpending: CUSTOMER_SPENDING_COLLECTION,
} as const);

/** Every collection of data datadragon owns (what reset empties). */
export const DATADRAGON_COLLECTIONS: readonly string[] = Object.values(COLLECTIONS);

/** The collections of a dataset (what a seed replaces as one). */
export const DATASET_COLLECTIONS = ['users', 'products', 'carts', 'orders'] as const;
export type DatasetCollection = (typeof DATASET_COLLECTIONS)[number];

/** The models whose indexes a seed builds. */
export function seededModels(connection: Connection) {
  return [userModel(connection), productModel(connection), cartModel(connection), orderModel(connection)];
}
