/**
 * The steps of a crunch (docs/ARCHITECTURE.md §4.5), run by the crunch job (src/jobs/kinds/crunch.ts): the
 * plan (which year, which customers, or why not), the pipeline over one slice of customers
 * into a part, the parts put together, and the figures of the result. Every step writes into
 * the collections it is named; the job stages them and swaps them in.
 *
 * A full crunch computes every user, slice by slice (ranges of `customer_id` of about equal
 * size), so that its progress moves and a cancel lands between two slices; an incremental
 * crunch (`since`) recomputes the customers who placed orders since a date, in batches of
 * ids, for the year `customer_spending` already holds, and is merged into it.
 *
 * Errors: a bad year is a `SpendingInputError` (`BAD_USER_INPUT`), so is a year without
 * orders (with the years that have some) and an incremental crunch that cannot be one; an
 * empty database is an `AppError` `NOT_FOUND`.
 */
import type { Db } from 'mongodb';
import type { Database } from '../db/index.js';
import { AppError, ErrorCodes, UserInputError } from '../errors.js';
import { CUSTOMER_SPENDING_COLLECTION, MONTH_KEYS } from './months.js';
import { buildSpendingStages, crunchRootCollection } from './pipeline/build.js';
import { outputStage } from './pipeline/output.js';
import type { CustomerSelection } from './pipeline/customers.js';
import { DEFAULT_COLLECTIONS } from './pipeline/types.js';
import { assertYear, yearRange } from './pipeline/year-range.js';
import type { SpendingStatus } from './status.js';

export type CrunchMode = 'full' | 'incremental';

export interface CrunchRequest {
  /** Calendar year (UTC); default: the year of the newest order (full), the year crunched (incremental). */
  year?: number;
  /** Incremental: recompute only the customers with orders created since this instant. */
  since?: Date;
  /** Internal (tests): write with `$merge`, as on a sharded cluster, on a server that is no mongos. */
  mergeOutput?: boolean;
}

export type CrunchPlan = { mode: 'full'; year: number; customers: number } | { mode: 'incremental'; year: number; since: Date; customers: number };

export interface CrunchResult {
  /** The year crunched. */
  year: number;
  mode: CrunchMode;
  /** Incremental crunches: the `since` instant. */
  since?: Date;
  /** Customers computed by this crunch (every user for a full one). */
  recomputed: number;
  /** Documents in `customer_spending`: one per user. */
  customers: number;
  /** Distinct customers with at least one order in the year. */
  customersWithOrders: number;
  /** Orders placed in the year. */
  orders: number;
  /** Sum of every customer's monthly totals for the year, in reais, rounded to cents. */
  totalSpend: number;
  /** Wall-clock seconds of the whole crunch. */
  seconds: number;
}

const SEED_HINT = 'run "npx datadragon seed" first';

/** The year (UTC) of the newest order; undefined when there are no orders. */
export async function defaultCrunchYear(db: Db): Promise<number | undefined> {
  const newest = await db
    .collection(DEFAULT_COLLECTIONS.orders)
    .find({ created_at: { $type: 'date' } }, { projection: { _id: 0, created_at: 1 } })
    .sort({ created_at: -1 })
    .limit(1)
    .next();
  const createdAt: unknown = newest?.created_at;
  return createdAt instanceof Date ? createdAt.getUTCFullYear() : undefined;
}

/** The years (UTC) that have orders, with their counts, oldest first. */
export async function yearsWithOrders(db: Db): Promise<{ year: number; orders: number }[]> {
  const rows = await db
    .collection(DEFAULT_COLLECTIONS.orders)
    .aggregate<{ _id: number; orders: number }>(
      [{ $match: { created_at: { $type: 'date' } } }, { $group: { _id: { $year: '$created_at' }, orders: { $sum: 1 } } }, { $sort: { _id: 1 } }],
      { allowDiskUse: true },
    )
    .toArray();
  return rows.map((row) => ({ year: row._id, orders: row.orders }));
}

async function hasOrdersIn(db: Db, year: number): Promise<boolean> {
  const { start, end } = yearRange(year);
  return (await db.collection(DEFAULT_COLLECTIONS.orders).findOne({ created_at: { $gte: start, $lt: end } }, { projection: { _id: 1 } })) !== null;
}

/** Users the crunch reads (those with a string `customer_id`). */
export async function countCustomers(db: Db): Promise<number> {
  return db.collection(DEFAULT_COLLECTIONS.users).countDocuments({ customer_id: { $type: 'string' } });
}

/** Distinct customers (string ids) with orders created at or after `since`. */
async function countCustomersSince(db: Db, since: Date): Promise<number> {
  const [row] = await db
    .collection(DEFAULT_COLLECTIONS.orders)
    .aggregate<{ n: number }>(
      [{ $match: { created_at: { $gte: since }, customer_id: { $type: 'string' } } }, { $group: { _id: '$customer_id' } }, { $count: 'n' }],
      { allowDiskUse: true },
    )
    .toArray();
  return row?.n ?? 0;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Decides what a crunch does, or refuses: NOT_FOUND on a database without users or orders;
 * BAD_USER_INPUT for a year without orders (naming the years that have some), or for an
 * incremental crunch with nothing to refresh, of stale data, or of another year.
 */
export async function planCrunch(database: Database, request: CrunchRequest, status: SpendingStatus): Promise<CrunchPlan> {
  if (request.year !== undefined) assertYear(request.year);
  const { db, dbName } = database;
  const customers = await countCustomers(db);
  if (customers === 0) throw new AppError(ErrorCodes.NOT_FOUND, `the database "${dbName}" has no users, so there is nothing to crunch: ${SEED_HINT}`);
  if (request.since !== undefined) return planIncremental(db, { ...request, since: request.since }, status);
  const newest = await defaultCrunchYear(db);
  if (newest === undefined) throw new AppError(ErrorCodes.NOT_FOUND, `the database "${dbName}" has no orders, so there is nothing to crunch: ${SEED_HINT}`);
  const year = request.year ?? newest;
  if (!(await hasOrdersIn(db, year))) {
    const years = await yearsWithOrders(db);
    const listed = years.map((y) => `${y.year} (${count(y.orders)} orders)`).join(', ');
    throw new UserInputError(
      `there are no orders in ${year}, so its crunch would give every customer zeros: the orders are from ${listed}; crunch one of those years (--year ${years.at(-1)!.year})`,
      {
        reason: 'NO_ORDERS_IN_YEAR',
        years: years.map((y) => y.year),
      },
    );
  }
  return { mode: 'full', year, customers };
}

async function planIncremental(db: Db, request: CrunchRequest & { since: Date }, status: SpendingStatus): Promise<CrunchPlan> {
  const full = 'run a full crunch ("npx datadragon crunch", without --since)';
  if (Number.isNaN(request.since.getTime())) throw new UserInputError('--since: not a valid date', { reason: 'BAD_SINCE' });
  if (status.year === null || status.customers === 0)
    throw new UserInputError(`--since refreshes an earlier crunch, and customer_spending is empty: ${full}`, { reason: 'NOTHING_TO_REFRESH' });
  if (status.stale)
    throw new UserInputError(`--since refreshes an earlier crunch of the same data, but ${status.reason ?? 'customer_spending is stale'}; ${full}`, {
      reason: 'STALE_SPENDING',
    });
  if (request.year !== undefined && request.year !== status.year) {
    throw new UserInputError(
      `customer_spending holds ${status.year}, so --since refreshes ${status.year}: to crunch ${request.year}, ${full.replace('without --since', `--year ${request.year}`)}`,
      { reason: 'OTHER_YEAR' },
    );
  }
  return { mode: 'incremental', year: status.year, since: request.since, customers: await countCustomersSince(db, request.since) };
}

/**
 * Slices of a full crunch: at most MAX_SLICES, of at least MIN_SLICE customers, so that
 * 100,000 customers move the progress ten times. No more: on the embedded engine each slice
 * scans the year's orders and the users again for its range (see the README's figures).
 */
const MAX_SLICES = 10;
const MIN_SLICE = 1000;

/** The size of a full crunch's slices for `customers` users. */
export function sliceSize(customers: number): number {
  return Math.max(MIN_SLICE, Math.ceil(customers / MAX_SLICES));
}

/**
 * Ids per batch of an incremental crunch: at least MIN_BATCH, in at most MAX_BATCHES batches.
 * Small batches: the embedded engine tests each candidate order against the whole id list
 * (mingo's `$in`), so a batch costs its orders × its ids (measured: 2,686 customers took 1.3 s
 * in batches of 500, 3.3 s in batches of 1,000, 8.8 s in one).
 */
const MIN_BATCH = 500;
const MAX_BATCHES = 100;

export function batchSize(customers: number): number {
  return Math.max(MIN_BATCH, Math.ceil(customers / MAX_BATCHES));
}

/**
 * Ranges of `customer_id` with about `size` users each, in order, covering every string id
 * (the first open below, the last open above).
 */
export async function customerSlices(db: Db, customers: number, size: number): Promise<{ selection: CustomerSelection; customers: number }[]> {
  const users = db.collection<{ customer_id: string }>(DEFAULT_COLLECTIONS.users);
  const bounds: string[] = [];
  for (let skip = size; skip < customers; skip += size) {
    const at = await users
      .find({ customer_id: { $type: 'string' } }, { projection: { _id: 0, customer_id: 1 } })
      .sort({ customer_id: 1 })
      .skip(skip)
      .limit(1)
      .next();
    if (at && at.customer_id !== bounds.at(-1)) bounds.push(at.customer_id);
  }
  return [undefined, ...bounds].map((from, i) => {
    const to = bounds[i];
    return {
      selection: { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
      customers: i < bounds.length ? size : customers - size * bounds.length,
    };
  });
}

/** Batches of at most `size` ids of the customers with orders created at or after `since`. */
export async function* customersSince(db: Db, since: Date, size: number): AsyncGenerator<string[]> {
  const cursor = db
    .collection(DEFAULT_COLLECTIONS.orders)
    .aggregate<{ _id: string }>([{ $match: { created_at: { $gte: since }, customer_id: { $type: 'string' } } }, { $group: { _id: '$customer_id' } }], {
      allowDiskUse: true,
    });
  let batch: string[] = [];
  try {
    for await (const row of cursor) {
      batch.push(row._id);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } finally {
    await cursor.close();
  }
}

/**
 * How a crunch writes its slices: each into a part of its own with `$out`, put together at
 * the end (one server), or each inserted with `$merge` straight into the (sharded) target:
 * `$out` cannot write into a sharded collection, and `$merge` lets every shard write its own
 * customers' documents.
 */
export type CrunchWrite = 'out' | 'merge';

/**
 * Runs the crunch pipeline for `year` over the selected customers: replacing `into` with
 * their documents (`$out`), or inserting them into it (`$merge`; a customer already there is
 * an error: slices are disjoint).
 */
export async function crunchSlice(db: Db, year: number, customers: CustomerSelection, into: string, write: CrunchWrite = 'out'): Promise<void> {
  const last = write === 'out' ? outputStage(into) : outputStage({ merge: { into, whenMatched: 'fail', whenNotMatched: 'insert' } });
  await db
    .collection(crunchRootCollection())
    .aggregate([...buildSpendingStages({ year, customers }), last!], { allowDiskUse: true })
    .toArray();
}

/**
 * Puts the parts together into `into` (replaced, with `$out`) and drops them. The parts hold
 * disjoint customers, so this is a plain concatenation. (Parts written with `$out`, then one
 * copy, rather than a `$merge` per slice: `$out` writes without looking each document up.)
 */
export async function concatenateParts(db: Db, parts: readonly string[], into: string): Promise<void> {
  if (parts.length === 0) {
    await db
      .collection(into)
      .drop()
      .catch(() => undefined);
    await db.createCollection(into);
    return;
  }
  const [first, ...rest] = parts;
  await db
    .collection(first!)
    .aggregate([...rest.map((part) => ({ $unionWith: part })), { $out: into }], { allowDiskUse: true })
    .toArray();
  for (const part of parts)
    await db
      .collection(part)
      .drop()
      .catch(() => undefined);
}

/** Orders of the year and the distinct customers who placed them. */
async function orderFigures(db: Db, year: number): Promise<{ orders: number; customers: number }> {
  const { start, end } = yearRange(year);
  const [row] = await db
    .collection(DEFAULT_COLLECTIONS.orders)
    .aggregate<{ orders: number; customers: number }>(
      [
        { $match: { created_at: { $gte: start, $lt: end } } },
        { $group: { _id: '$customer_id', n: { $sum: 1 } } },
        { $group: { _id: null, customers: { $sum: 1 }, orders: { $sum: '$n' } } },
      ],
      { allowDiskUse: true },
    )
    .toArray();
  return { orders: row?.orders ?? 0, customers: row?.customers ?? 0 };
}

/** Documents in a spending collection and their total spend (summed in cents on the server). */
async function spendingFigures(db: Db, collection: string): Promise<{ customers: number; totalSpend: number }> {
  const monthCents = MONTH_KEYS.map((key) => ({ $round: [{ $multiply: [{ $ifNull: [`$monthly_spenses.${key}`, 0] }, 100] }, 0] }));
  const [row] = await db
    .collection(collection)
    .aggregate<{ customers: number; cents: number }>([{ $group: { _id: null, customers: { $sum: 1 }, cents: { $sum: { $add: monthCents } } } }])
    .toArray();
  return { customers: row?.customers ?? 0, totalSpend: (row?.cents ?? 0) / 100 };
}

/** The figures of a crunch of `year`, read from what `customer_spending` holds now. */
export async function crunchFigures(db: Db, year: number): Promise<Pick<CrunchResult, 'customers' | 'customersWithOrders' | 'orders' | 'totalSpend'>> {
  const [orders, spending] = await Promise.all([orderFigures(db, year), spendingFigures(db, CUSTOMER_SPENDING_COLLECTION)]);
  return { customers: spending.customers, customersWithOrders: orders.customers, orders: orders.orders, totalSpend: spending.totalSpend };
}
