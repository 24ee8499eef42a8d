/**
 * The crunch service the CLI (`crunch`) and the GraphQL resolvers call (DESIGN §5: one
 * aggregation on the server, ending in `$out` to `customer_spending`, then its indexes).
 *
 * Errors: a bad year is a `SpendingInputError` (a `UserInputError`: code `BAD_USER_INPUT`); an
 * empty database is an `AppError` `NOT_FOUND`; a crunch while another job runs is a
 * `JobConflictError` (`CONFLICT`).
 */
import type { Db, Document } from 'mongodb';
import type { Database } from '../db/connection.js';
import { AppError, ErrorCodes } from '../errors.js';
import { acquireJobLock } from '../jobs/job-lock.js';
import { customerSpendingSchema } from '../models/customer-spending.model.js';
import { CUSTOMER_SPENDING_COLLECTION, MONTH_KEYS } from './months.js';
import { buildCrunchPipeline, crunchRootCollection } from './pipeline/build.js';
import { DEFAULT_COLLECTIONS } from './pipeline/types.js';
import { assertYear, yearRange } from './pipeline/year-range.js';

export type CrunchPhase = 'aggregate' | 'indexes';

export interface CrunchProgress {
  phase: CrunchPhase;
  done: number;
  total: number;
}

export interface CrunchOptions {
  /** Calendar year (UTC) to crunch; default: the year of the newest order (`defaultCrunchYear`). */
  year?: number;
  /**
   * Told when each phase starts (`done: 0`) and ends (`done === total`), and after each index.
   * `aggregate` counts the year's orders (the aggregation is one server command: it jumps
   * from 0 to all); `indexes` counts the indexes of `customer_spending`.
   */
  onProgress?: (progress: CrunchProgress) => void;
}

export interface CrunchResult {
  /** The year crunched. */
  year: number;
  /** Documents written to `customer_spending`: one per user. */
  customers: number;
  /** Distinct customers with at least one order in the year. */
  customersWithOrders: number;
  /** Orders placed in the year. */
  orders: number;
  /** Sum of every customer's monthly totals for the year, in reais, rounded to cents. */
  totalSpend: number;
  /** Wall-clock seconds of the whole crunch (aggregation, indexes, figures). */
  seconds: number;
}

const SEED_HINT = 'run "npx datadragon seed" first';

/** The year (UTC) of the newest order; undefined when there are no orders. */
export async function defaultCrunchYear(database: Database): Promise<number | undefined> {
  const newest = await database.db
    .collection(DEFAULT_COLLECTIONS.orders)
    .find({ created_at: { $type: 'date' } }, { projection: { _id: 0, created_at: 1 } })
    .sort({ created_at: -1 })
    .limit(1)
    .next();
  const createdAt: unknown = newest?.created_at;
  return createdAt instanceof Date ? createdAt.getUTCFullYear() : undefined;
}

async function hasAny(db: Db, collection: string): Promise<boolean> {
  return (await db.collection(collection).findOne({}, { projection: { _id: 1 } })) !== null;
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

/** Documents in `customer_spending` and their total spend (summed in cents on the server). */
async function spendingFigures(db: Db): Promise<{ customers: number; totalSpend: number }> {
  const monthCents = MONTH_KEYS.map((key) => ({ $round: [{ $multiply: [{ $ifNull: [`$monthly_spenses.${key}`, 0] }, 100] }, 0] }));
  const [row] = await db
    .collection(CUSTOMER_SPENDING_COLLECTION)
    .aggregate<{ customers: number; cents: number }>([{ $group: { _id: null, customers: { $sum: 1 }, cents: { $sum: { $add: monthCents } } } }])
    .toArray();
  return { customers: row?.customers ?? 0, totalSpend: (row?.cents ?? 0) / 100 };
}

/**
 * Crunches one year into `customer_spending` (replaced as a whole by `$out`), then builds its
 * indexes. Holds the `crunch` job lock throughout: refused (CONFLICT) while a seed, reset or
 * another crunch runs. An unseeded database (no users, or no orders and no year given) is
 * NOT_FOUND, with what to do.
 */
export async function crunchSpending(database: Database, options: CrunchOptions = {}): Promise<CrunchResult> {
  if (options.year !== undefined) assertYear(options.year);
  const report = options.onProgress ?? (() => undefined);
  const { db } = database;
  const started = performance.now();
  const lock = await acquireJobLock(db, 'crunch');
  try {
    if (!(await hasAny(db, DEFAULT_COLLECTIONS.users))) {
      throw new AppError(ErrorCodes.NOT_FOUND, `the database "${database.dbName}" has no users, so there is nothing to crunch: ${SEED_HINT}`);
    }
    const year = options.year ?? (await defaultCrunchYear(database));
    if (year === undefined) {
      throw new AppError(
        ErrorCodes.NOT_FOUND,
        `the database "${database.dbName}" has no orders, so there is no year to crunch: ${SEED_HINT} (or give a year explicitly to get zeros for every customer)`,
      );
    }

    const orders = await orderFigures(db, year);
    report({ phase: 'aggregate', done: 0, total: orders.orders });
    await db.collection(crunchRootCollection()).aggregate(buildCrunchPipeline({ year }), { allowDiskUse: true }).toArray();
    report({ phase: 'aggregate', done: orders.orders, total: orders.orders });

    const indexes = customerSpendingSchema.indexes();
    report({ phase: 'indexes', done: 0, total: indexes.length });
    const target = db.collection(CUSTOMER_SPENDING_COLLECTION);
    for (const [index, [keys, indexOptions]] of indexes.entries()) {
      await target.createIndex(keys as Record<string, 1 | -1>, indexOptions as Document);
      report({ phase: 'indexes', done: index + 1, total: indexes.length });
    }

    const spending = await spendingFigures(db);
    return {
      year,
      customers: spending.customers,
      customersWithOrders: orders.customers,
      orders: orders.orders,
      totalSpend: spending.totalSpend,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await lock.release();
  }
}
