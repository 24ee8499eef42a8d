/**
 * Shared vocabulary of the crunch pipeline builders.
 *
 * Every builder in this folder is a pure function returning plain stage documents (no driver
 * calls, no I/O), so that the same stages run on a real MongoDB (7.0+) and on the embedded
 * engine, and so that each one can be unit-tested on its own.
 */
import type { Document } from 'bson';

/** One aggregation stage, e.g. `{ $match: {...} }`. */
export type Stage = Document;

/** An aggregation expression (operator object, `'$field'` path, literal...). */
export type Expr = unknown;

/** Names of the source collections; each defaults to its name in docs/DATA-MODEL.md §1. */
export interface CrunchCollections {
  users: string;
  products: string;
  carts: string;
  orders: string;
}

export const DEFAULT_COLLECTIONS: Readonly<CrunchCollections> = Object.freeze({
  users: 'users',
  products: 'products',
  carts: 'carts',
  orders: 'orders',
});
