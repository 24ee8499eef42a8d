/**
 * Figures over the whole crunched `customer_spending` collection, for the dashboard: the
 * year's total per month, per category, how customers' monthly averages are spread, the top
 * spenders, and a customer search. Each is one aggregation or query run on the server (only
 * standard stages: it runs unchanged on a real MongoDB); amounts are rounded to cents here,
 * once, after the server has summed the rounded amounts of the documents. Every read runs
 * under the caller's time limit (`maxTimeMS`, the API's), its driver errors turned into the
 * app's (TIME_LIMIT_EXCEEDED, or UNAVAILABLE for a busy or unreachable server).
 */
import type { Document, Sort } from 'mongodb';
import { boundedRead, type BoundedReadOptions, type Database } from '../db/index.js';
import { failedRead } from './queries.js';
import { escapeRegex } from './regex-subset.js';
import { CUSTOMER_SPENDING_COLLECTION, MONTH_KEYS, type CategoryAmounts, type CustomerSpending, type MonthlyAmounts } from './months.js';

/** Cents, as the documents hold them (sums of doubles drift by fractions of a cent). */
export const toCents = (amount: number): number => Math.round(amount * 100) / 100;

/** What one crunched year holds, as a whole. */
export interface YearOverview {
  year: number;
  /** Documents of that year: one per user at crunch time. */
  customers: number;
  /** Customers who spent something in the year. */
  customersWithSpending: number;
  /** Everything spent in the year (the sum of the months). */
  total: number;
  /** Per month, what every customer spent in it together. */
  months: MonthlyAmounts;
}

export interface SummaryReadOptions {
  /** The server stops each read after this long; none when undefined. */
  maxTimeMS?: number;
}

/** A read bounded by `maxTimeMS`, its driver errors turned into the app's. */
async function read<T>(options: SummaryReadOptions, run: (bounded: BoundedReadOptions) => Promise<T>): Promise<T> {
  try {
    return await run(boundedRead(options.maxTimeMS));
  } catch (error) {
    failedRead(error, options.maxTimeMS);
  }
}

const monthPath = (key: string): string => `$monthly_spenses.${key}`;

/**
 * One overview per year present in `customer_spending`, newest first (a crunch writes one
 * year; an empty collection gives none).
 */
export async function yearOverviews(database: Database, options: SummaryReadOptions = {}): Promise<YearOverview[]> {
  const group: Document = {
    _id: '$year',
    customers: { $sum: 1 },
    customersWithSpending: { $sum: { $cond: [{ $gt: [{ $add: MONTH_KEYS.map(monthPath) }, 0] }, 1, 0] } },
  };
  for (const key of MONTH_KEYS) group[key] = { $sum: monthPath(key) };
  const rows = await read(options, (bounded) =>
    database.db
      .collection(CUSTOMER_SPENDING_COLLECTION)
      .aggregate<Document>([{ $group: group }, { $sort: { _id: -1 } }], { allowDiskUse: true, ...bounded })
      .toArray(),
  );
  return rows.map((row) => {
    const months = Object.fromEntries(MONTH_KEYS.map((key) => [key, toCents(Number(row[key]))])) as MonthlyAmounts;
    return {
      year: Number(row._id),
      customers: Number(row.customers),
      customersWithSpending: Number(row.customersWithSpending),
      total: toCents(MONTH_KEYS.reduce((sum, key) => sum + Number(row[key]), 0)),
      months,
    };
  });
}

/** The overview of `year`, or of the newest year when none is given; null when it has no documents. */
export async function yearOverview(database: Database, year?: number, options: SummaryReadOptions = {}): Promise<YearOverview | null> {
  const overviews = await yearOverviews(database, options);
  return (year === undefined ? overviews[0] : overviews.find((overview) => overview.year === year)) ?? null;
}

/**
 * The year's total per category (the sum of every customer's months in it: a line counts in
 * every category of its product, so the categories add up to more than the year's total).
 */
export async function categoryTotals(database: Database, year: number, options: SummaryReadOptions = {}): Promise<CategoryAmounts> {
  const pipeline: Document[] = [
    { $match: { year } },
    { $project: { _id: 0, months: { $objectToArray: '$categorized_monthly_expenses' } } },
    { $unwind: '$months' },
    { $project: { categories: { $objectToArray: '$months.v' } } },
    { $unwind: '$categories' },
    { $group: { _id: '$categories.k', amount: { $sum: '$categories.v' } } },
    { $sort: { _id: 1 } },
  ];
  const rows = await read(options, (bounded) =>
    database.db
      .collection(CUSTOMER_SPENDING_COLLECTION)
      .aggregate<{ _id: string; amount: number }>(pipeline, { allowDiskUse: true, ...bounded })
      .toArray(),
  );
  return Object.fromEntries(rows.map((row) => [row._id, toCents(row.amount)]));
}

/**
 * Bucket edges of the distribution of monthly averages, in reais: a 1–2.5–5 progression (the
 * averages are skewed: many light buyers, few heavy ones). The first bucket, [0, 0.01), holds
 * the customers who spent nothing.
 */
export const AVERAGE_BUCKET_EDGES: readonly number[] = [
  0,
  0.01,
  ...[1, 10, 100, 1_000, 10_000, 100_000].flatMap((scale) => [10 * scale, 25 * scale, 50 * scale]),
];

export interface AverageBucket {
  /** Inclusive. */
  min: number;
  /** Exclusive; null for the last, open-ended bucket. */
  max: number | null;
  customers: number;
}

/**
 * How many customers have a monthly average in each bucket of AVERAGE_BUCKET_EDGES, from the
 * first bucket to the last non-empty one (empty buckets in between are kept: it is a histogram).
 */
export async function averageDistribution(database: Database, year: number, options: SummaryReadOptions = {}): Promise<AverageBucket[]> {
  const edges = AVERAGE_BUCKET_EDGES;
  const beyond = 'beyond';
  const rows = await read(options, (bounded) =>
    database.db
      .collection(CUSTOMER_SPENDING_COLLECTION)
      .aggregate<{ _id: number | string; customers: number }>(
        [{ $match: { year } }, { $bucket: { groupBy: '$monthly_avg_expense', boundaries: [...edges], default: beyond, output: { customers: { $sum: 1 } } } }],
        { allowDiskUse: true, ...bounded },
      )
      .toArray(),
  );
  const counts = new Map(rows.map((row) => [row._id, Number(row.customers)]));
  const buckets: AverageBucket[] = edges.slice(0, -1).map((min, i) => ({ min, max: edges[i + 1]!, customers: counts.get(min) ?? 0 }));
  buckets.push({ min: edges[edges.length - 1]!, max: null, customers: counts.get(beyond) ?? 0 });
  let last = buckets.length - 1;
  while (last > 0 && buckets[last]!.customers === 0) last--;
  return buckets.slice(0, last + 1);
}

/** The most customers `topSpenders` and `searchCustomers` return. */
export const MAX_CUSTOMERS_LISTED = 100;

function listSize(first: number): number {
  if (!Number.isSafeInteger(first) || first < 1) throw new RangeError(`expected a whole number of customers of at least 1, got ${first}`);
  return Math.min(first, MAX_CUSTOMERS_LISTED);
}

/** Up to `limit` customers matching `filter`, in `sort` order, with the fields of `projection` (all without one). */
function listCustomers(
  database: Database,
  filter: Document,
  sort: Sort,
  limit: number,
  projection: Document | undefined,
  options: SummaryReadOptions,
): Promise<CustomerSpending[]> {
  return read(options, (bounded) =>
    database.db
      .collection<CustomerSpending>(CUSTOMER_SPENDING_COLLECTION)
      .find(filter, { sort, limit, ...(projection ? { projection } : {}), ...bounded })
      .toArray(),
  ) as Promise<CustomerSpending[]>;
}

/** The `first` customers of `year` with the highest monthly average (ties by customer id). */
export async function topSpenders(
  database: Database,
  year: number,
  first: number,
  projection?: Document,
  options: SummaryReadOptions = {},
): Promise<CustomerSpending[]> {
  return listCustomers(database, { year }, { monthly_avg_expense: -1, _id: 1 }, listSize(first), projection, options);
}

const CUSTOMER_ID = /^[0-9a-f]{24}$/;

/**
 * Customers by customer id (24 hex digits, exact) or by the start of their email (emails are
 * stored in lower case, so a case-sensitive prefix: the `email` index serves it), ordered by
 * email. An empty term finds nobody.
 */
export async function searchCustomers(
  database: Database,
  term: string,
  first: number,
  projection?: Document,
  options: SummaryReadOptions = {},
): Promise<CustomerSpending[]> {
  const limit = listSize(first);
  const text = term.trim().toLowerCase();
  if (text === '') return [];
  const filter: Document = CUSTOMER_ID.test(text) ? { _id: text } : { email: { $regex: `^${escapeRegex(text)}` } };
  return listCustomers(database, filter, { email: 1, _id: 1 }, limit, projection, options);
}
