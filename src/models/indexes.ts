/**
 * The indexes of the models as plain specs, so that a job can build them on a staging
 * collection (whose name is not the model's) before swapping it in; renaming keeps them.
 */
import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';
import type { Schema } from 'mongoose';
import { cartSchema } from './cart.model.js';
import { customerSpendingSchema } from './customer-spending.model.js';
import { orderSchema } from './order.model.js';
import { productSchema } from './product.model.js';
import { userSchema } from './user.model.js';

export interface IndexSpec {
  keys: Record<string, 1 | -1>;
  options: CreateIndexesOptions;
}

function specsOf(schema: Schema): IndexSpec[] {
  return schema.indexes().map(([keys, options]) => ({ keys: keys as Record<string, 1 | -1>, options: { ...(options as CreateIndexesOptions) } }));
}

/** The indexes a seed builds, by collection. */
export const SEEDED_INDEXES: Readonly<Record<'users' | 'products' | 'carts' | 'orders', readonly IndexSpec[]>> = Object.freeze({
  users: specsOf(userSchema),
  products: specsOf(productSchema),
  carts: specsOf(cartSchema),
  orders: specsOf(orderSchema),
});

/** The indexes of `customer_spending` (docs/DATA-MODEL.md §2). */
export const SPENDING_INDEXES: readonly IndexSpec[] = specsOf(customerSpendingSchema);

/** Builds `specs` on `collection`, one at a time, telling `onBuilt` after each. */
export async function buildIndexes(db: Db, collection: string, specs: readonly IndexSpec[], onBuilt: () => void = () => undefined): Promise<void> {
  for (const spec of specs) {
    await db.collection(collection).createIndex(spec.keys as IndexSpecification, spec.options);
    onBuilt();
  }
}
