/**
 * Helpers for the spending tests (unit and integration): source documents shaped as
 * docs/DATA-MODEL.md §1 gives them (test/helpers/pipeline-runners.ts runs the stages).
 */
import { ObjectId } from 'bson';

export type Doc = Record<string, unknown>;

/** A deterministic ObjectId: `oid(1)` is 000000000000000000000001. */
export function oid(n: number): ObjectId {
  return new ObjectId(n.toString(16).padStart(24, '0'));
}

export function hex(n: number): string {
  return oid(n).toHexString();
}

/** Sorts documents by the JSON of a key (for groups, whose output order is unspecified). */
export function sortBy<T>(docs: readonly T[], key: (doc: T) => unknown): T[] {
  return [...docs].sort((a, b) => {
    const ka = JSON.stringify(key(a));
    const kb = JSON.stringify(key(b));
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

export function user(n: number, first = `First${n}`, last = `Last${n}`): Doc {
  return {
    _id: oid(1_000_000 + n),
    customer_id: hex(n),
    email: `user${n}@example.com`,
    details: { first_name: first, last_name: last, full_name: null },
  };
}

export function product(n: number, price: number, categories: unknown): Doc {
  return { _id: oid(2_000_000 + n), title: `Product ${n}`, description: `About product ${n}`, categories, price };
}

export interface LineSpec {
  product: Doc | string;
  price?: number;
  quantity: number;
}

/** A cart of customer `customer`; `amount` defaults to Σ price × quantity rounded to cents. */
export function cart(n: number, customer: number, lines: LineSpec[], amount?: number): Doc {
  const products = lines.map((line) => {
    const productDoc = typeof line.product === 'string' ? undefined : line.product;
    const productId = typeof line.product === 'string' ? line.product : (line.product._id as ObjectId).toHexString();
    return { product_id: productId, price: line.price ?? (productDoc?.price as number), quantity: line.quantity };
  });
  const total = Math.round(products.reduce((sum, line) => sum + line.price * line.quantity * 100, 0)) / 100;
  return { _id: oid(3_000_000 + n), customer_id: hex(customer), products, amount: amount ?? total };
}

export function order(n: number, customer: number, cartDoc: Doc, createdAt: string | Date): Doc {
  return {
    _id: oid(4_000_000 + n),
    customer_id: hex(customer),
    cart_id: (cartDoc._id as ObjectId).toHexString(),
    created_at: typeof createdAt === 'string' ? new Date(createdAt) : createdAt,
  };
}

/** The fields of a customer_spending document, in the order of docs/DATA-MODEL.md §4. */
export const SPENDING_FIELDS = [
  '_id',
  'customer_id',
  'email',
  'year',
  'details',
  'monthly_spenses',
  'categorized_monthly_expenses',
  'monthly_avg_expense',
  'categorized_monthly_avg_expense',
];
