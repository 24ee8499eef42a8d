/**
 * Pages of `customer_spending` for the GraphQL `customerSpendings` query: the typed filter
 * turned into a MongoDB filter (and `where` validated exactly as the CLI's `find`), cursor
 * pagination over the chosen sort key, and the total counted only when asked for. Reads go
 * through the spending services (`findSpending`, `countSpending`), which validate again.
 */
import { EJSON, type Document } from 'bson';
import type { Database } from '../db/index.js';
import { UserInputError } from '../errors.js';
import {
  countSpending,
  type CustomerSpending,
  escapeRegex,
  findSpending,
  getCustomerSpending,
  MAX_FILTER_DEPTH,
  MAX_JSON_DEPTH,
  MONTH_KEYS,
  type MonthKey,
  parseAndValidateFilter,
  SpendingInputError,
  validateFilter,
} from '../spending/index.js';
import { loadSpendingById } from './spending-by-id.js';
import { afterFilter, andFilters, decodeCursor, type Direction, type Page, pageSize, type SortKey, toPage } from './cursor.js';

export interface SpendingFilterInput {
  /** Exactly this customer (24 hex digits). */
  customerId?: string | null;
  /** Exactly this email. */
  email?: string | null;
  /** Emails containing this text, case-insensitively (taken literally, not as a pattern). */
  emailContains?: string | null;
  minMonthlyAvg?: number | null;
  maxMonthlyAvg?: number | null;
  /** Customers who spent at least `min` in `month`. */
  month?: { month: MonthKey; min: number } | null;
  /** Customers whose monthly average in `category` is at least `minAvg`. */
  category?: { category: string; minAvg: number } | null;
  /** A MongoDB filter (query operators only), as a JSON object or Extended JSON text. */
  where?: unknown;
}

/** The fields `customerSpendings` can be sorted by, and their paths in the documents. */
export const SPENDING_SORT_PATHS = Object.freeze({
  customerId: '_id',
  email: 'email',
  monthlyAvgExpense: 'monthly_avg_expense',
  ...Object.fromEntries(MONTH_KEYS.map((key) => [key, `monthly_spenses.${key}`])),
} as Record<'customerId' | 'email' | 'monthlyAvgExpense' | MonthKey, string>);

export type SpendingSortField = keyof typeof SPENDING_SORT_PATHS;

export interface SpendingPageQuery {
  filter?: SpendingFilterInput | null;
  /** The document fields to fetch (an inclusion projection); default all. */
  projection?: Document | undefined;
  sort?: { field: SpendingSortField; direction: Direction } | null;
  first?: number | null;
  after?: string | null;
  /** The server's time limit for each read, in ms. */
  maxTimeMS?: number;
}

const HEX_ID = /^[0-9a-fA-F]{24}$/;

export { escapeRegex };

/**
 * Where an object or array is nested deeper than `maxDepth` objects and arrays (the path to
 * it), else undefined. Without recursion: `where` arrives as parsed JSON of any depth, and
 * reading it as Extended JSON (which recurses) would overflow the stack before the filter's
 * own depth limit (validateFilter) is checked. The bound is the one Extended JSON text has.
 */
export function tooDeepAt(value: unknown, maxDepth: number = MAX_JSON_DEPTH): string | undefined {
  const pending: [unknown, number, string][] = [[value, 0, '']];
  while (pending.length) {
    const [node, depth, path] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return path;
    for (const [key, child] of Object.entries(node))
      pending.push([child, depth + 1, Array.isArray(node) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`]);
  }
  return undefined;
}

/** `where` as given: Extended JSON text, or an object (its `$oid`, `$date`... read as Extended JSON). */
function whereFilter(where: unknown): Document {
  if (where === null || where === undefined) return {};
  if (typeof where === 'object') {
    const path = tooDeepAt(where);
    if (path !== undefined) {
      throw new UserInputError(
        `filter.where: the filter is nested more than ${MAX_JSON_DEPTH} objects and arrays deep (at '${path.length > 80 ? `${path.slice(0, 80)}…` : path}'); a filter may nest ${MAX_FILTER_DEPTH} levels of operators: flatten it`,
        { reason: 'BAD_FILTER', path },
      );
    }
  }
  try {
    if (typeof where === 'string') return parseAndValidateFilter(where);
    let value: unknown = where;
    if (typeof where === 'object' && !Array.isArray(where)) value = EJSON.deserialize(where as Document, { relaxed: true });
    return validateFilter(value);
  } catch (error) {
    if (error instanceof SpendingInputError) throw new UserInputError(`filter.where: ${error.message}`, { ...error.details, reason: error.reason });
    // EJSON.deserialize: e.g. {"$oid": "not hex"}
    throw new UserInputError(`filter.where: invalid Extended JSON: ${(error as Error).message}`, { reason: 'BAD_JSON' });
  }
}

function categoryPath(category: string): string {
  if (category === '' || category.includes('.') || category.startsWith('$') || category.includes('\0')) {
    throw new UserInputError(`filter.category.category: ${JSON.stringify(category)} is not a category name (no dots, no leading $)`, { reason: 'BAD_FILTER' });
  }
  return `categorized_monthly_avg_expense.${category}`;
}

/** The MongoDB filter for a `SpendingFilter` (its parts ANDed). */
export function buildSpendingFilter(input: SpendingFilterInput | null | undefined): Document {
  if (!input) return {};
  const parts: Document[] = [];
  if (input.customerId != null) {
    if (!HEX_ID.test(input.customerId))
      throw new UserInputError(`filter.customerId: a customer id is 24 hexadecimal digits, got ${JSON.stringify(input.customerId)}`, {
        reason: 'BAD_CUSTOMER_ID',
      });
    parts.push({ _id: input.customerId.toLowerCase() });
  }
  if (input.email != null) parts.push({ email: input.email });
  if (input.emailContains != null && input.emailContains !== '') parts.push({ email: { $regex: escapeRegex(input.emailContains), $options: 'i' } });
  const average: Document = {};
  if (input.minMonthlyAvg != null) average.$gte = input.minMonthlyAvg;
  if (input.maxMonthlyAvg != null) average.$lte = input.maxMonthlyAvg;
  if (Object.keys(average).length) parts.push({ monthly_avg_expense: average });
  if (input.month) parts.push({ [`monthly_spenses.${input.month.month}`]: { $gte: input.month.min } });
  if (input.category) parts.push({ [categoryPath(input.category.category)]: { $gte: input.category.minAvg } });
  parts.push(whereFilter(input.where));
  return andFilters(...parts);
}

/** The document path a sort field reads (`_id` for the default order). */
export function spendingSortPath(sort: SpendingPageQuery['sort']): string {
  return SPENDING_SORT_PATHS[sort?.field ?? 'customerId'];
}

/**
 * One customer's spending, with only the `projection` fields when given: null when not
 * crunched. Concurrent look-ups share queries (see spending-by-id.ts).
 */
export async function spendingById(database: Database, customerId: string, projection?: Document, maxTimeMS?: number): Promise<CustomerSpending | null> {
  if (!HEX_ID.test(customerId)) return getCustomerSpending(database, customerId); // it refuses bad ids
  return loadSpendingById(database, customerId, projection, maxTimeMS);
}

/** One page of `customer_spending`, in the requested order, after the cursor. */
export async function pageSpending(database: Database, query: SpendingPageQuery = {}): Promise<Page<CustomerSpending>> {
  const first = pageSize(query.first);
  const key: SortKey = { field: spendingSortPath(query.sort), direction: query.sort?.direction ?? 1 };
  const filter = buildSpendingFilter(query.filter);
  const pageFilter = query.after ? andFilters(filter, afterFilter(key, decodeCursor(query.after, key))) : filter;
  const sort: Record<string, Direction> = key.field === '_id' ? { _id: key.direction } : { [key.field]: key.direction, _id: key.direction };
  const { maxTimeMS } = query;
  const rows = (await findSpending(database, {
    filter: pageFilter,
    sort,
    limit: first + 1,
    ...(query.projection ? { projection: query.projection } : {}),
    ...(maxTimeMS === undefined ? {} : { maxTimeMS }),
  })) as CustomerSpending[];
  return toPage(rows, first, key, query.after, () => countSpending(database, filter, maxTimeMS === undefined ? {} : { maxTimeMS }));
}
