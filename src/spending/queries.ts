/**
 * The queries on the crunched collection that the CLI (`find`) and the GraphQL resolvers call
 * (validated filters only, their regular expressions judged before anything is sent).
 *
 * Errors: a bad filter, sort, projection, limit or id is a `SpendingInputError` (a
 * `UserInputError`: code `BAD_USER_INPUT`), and so is a server error that means the query is
 * wrong, or that it ran past its `maxTimeMS` (`TIME_LIMIT_EXCEEDED`); a server that is busy or
 * unreachable is an `UNAVAILABLE` AppError with a retry hint.
 */
import type { Document, Filter } from 'mongodb';
import { boundedRead, isTimeLimitError, isUnavailableError, unavailableError, type Database } from '../db/index.js';
import { SpendingInputError } from './errors.js';
import { validateFilter } from './filter.js';
import { assertSafePatterns } from './regex-safety.js';
import { validateProjection, validateSort } from './sort-fields.js';
import { CUSTOMER_SPENDING_COLLECTION, type CustomerSpending } from './months.js';

/** `findSpending` returns this many documents when no limit is given. */
export const DEFAULT_FIND_LIMIT = 100;
/** `findSpending` never returns more than this many documents (use `streamSpending` to export). */
export const MAX_FIND_LIMIT = 10_000;

export interface SpendingQuery {
  /** MongoDB query operators only (see `validateFilter`). */
  filter?: Document;
  /** `{ field: 1 | -1 }`; `_id` is always added last as a tie-breaker, so pages are stable. */
  sort?: Record<string, 1 | -1>;
  limit?: number;
  skip?: number;
  /** Inclusion or exclusion of fields: 0/1 values only (no expressions). */
  projection?: Document;
  /** The server's time limit for the query, in ms; unset: none (the CLI's exports). */
  maxTimeMS?: number;
}

/** Options of the reads that are not a `SpendingQuery`. */
export interface ReadOptions {
  /** The server's time limit for the read, in ms; unset: none. */
  maxTimeMS?: number;
}

interface PreparedQuery {
  filter: Filter<Document>;
  sort: Record<string, 1 | -1>;
  projection: Document;
  skip: number;
  /** 0: no limit. */
  limit: number;
}

function checkCount(what: 'limit' | 'skip', value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new SpendingInputError('BAD_PAGINATION', `${what} must be a whole number of at least ${min}, got ${String(value)}`);
  }
  return value;
}

async function prepareQuery(query: SpendingQuery, limits: { defaultLimit: number; maxLimit: number }): Promise<PreparedQuery> {
  const filter = validateFilter(query.filter ?? {}) as Filter<Document>;
  await assertSafePatterns(filter);
  const sort = validateSort(query.sort);
  if (!Object.hasOwn(sort, '_id')) sort._id = 1;
  const projection = validateProjection(query.projection);
  const skip = query.skip === undefined ? 0 : checkCount('skip', query.skip, 0);
  let limit = query.limit === undefined ? limits.defaultLimit : checkCount('limit', query.limit, 1);
  if (limits.maxLimit > 0 && limit > limits.maxLimit) limit = limits.maxLimit;
  return { filter, sort, projection, skip, limit };
}

/**
 * Server error codes that mean "this query is wrong" (a filter that passed validation but
 * that the server cannot run: a bad `$regex`, an unknown `$expr` operator, a bad `$type`...).
 */
const QUERY_ERROR_CODES = new Set([
  2, // BadValue
  9, // FailedToParse
  14, // TypeMismatch
  16, // InvalidLength
  22, // InvalidBSON: a value in the filter the server cannot take (only the user's filter varies)
  28, // PathNotViable
  168, // InvalidPipelineOperator
  241, // ConversionFailure: a $convert/$toX in $expr on a value it cannot convert
  17276, // an undefined $$variable in $expr
  31264, // server-side JavaScript ($function) on a server without it
  31249, // path collision in a projection
  31250, // path collision in a projection
  31254, // exclusion in an inclusion projection
  51091, // invalid regular expression
  51108, // invalid regex flags
  6108304, // $where on a server without JavaScript
]);

/**
 * A server error about the query becomes a user-input error, a busy or unreachable server an
 * UNAVAILABLE error. By name, not `instanceof`: the connection comes from Mongoose, whose
 * copy of the driver may not be this one.
 */
export function failedRead(error: unknown, maxTimeMS?: number): never {
  if (isTimeLimitError(error)) {
    throw new SpendingInputError(
      'TIME_LIMIT_EXCEEDED',
      `the query ran longer than its time limit of ${maxTimeMS ?? '?'} ms and was stopped: narrow the filter (an indexed field, an anchored ^prefix regex), ask for fewer rows, or leave out totalCount`,
      { maxTimeMS },
    );
  }
  if (isUnavailableError(error)) throw unavailableError(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && error.name === 'MongoServerError' && typeof code === 'number' && QUERY_ERROR_CODES.has(code)) {
    throw new SpendingInputError('BAD_QUERY', `the server refused the query: ${error.message}`, { serverCode: code });
  }
  throw error;
}

/**
 * The `customer_spending` documents matching `query.filter`, sorted (then by `_id`), paged.
 * `limit` defaults to DEFAULT_FIND_LIMIT and is capped at MAX_FIND_LIMIT.
 */
export async function findSpending(database: Database, query: SpendingQuery = {}): Promise<Document[]> {
  const q = await prepareQuery(query, { defaultLimit: DEFAULT_FIND_LIMIT, maxLimit: MAX_FIND_LIMIT });
  try {
    return await database.db
      .collection(CUSTOMER_SPENDING_COLLECTION)
      .find(q.filter, { projection: q.projection, sort: q.sort, skip: q.skip, limit: q.limit, allowDiskUse: true, ...boundedRead(query.maxTimeMS) })
      .toArray();
  } catch (error) {
    failedRead(error, query.maxTimeMS);
  }
}

/**
 * Like `findSpending`, but streams the documents (for exports of the whole collection):
 * no limit unless `query.limit` is given, and no cap. The query is validated before the
 * first document is read (a bad one throws from the first iteration).
 */
export async function* streamSpending(database: Database, query: SpendingQuery = {}): AsyncGenerator<Document, void, undefined> {
  const q = await prepareQuery(query, { defaultLimit: 0, maxLimit: 0 });
  const cursor = database.db.collection(CUSTOMER_SPENDING_COLLECTION).find(q.filter, {
    projection: q.projection,
    sort: q.sort,
    skip: q.skip,
    limit: q.limit,
    allowDiskUse: true,
    ...(query.maxTimeMS === undefined ? {} : { maxTimeMS: query.maxTimeMS }),
  });
  try {
    for (;;) {
      let doc: Document | null;
      try {
        doc = await cursor.next();
      } catch (error) {
        failedRead(error, query.maxTimeMS);
      }
      if (doc === null) return;
      yield doc;
    }
  } finally {
    await cursor.close();
  }
}

/** How many `customer_spending` documents match `filter` (validated like `findSpending`'s). */
export async function countSpending(database: Database, filter: Document = {}, options: ReadOptions = {}): Promise<number> {
  const valid = validateFilter(filter) as Filter<Document>;
  await assertSafePatterns(valid);
  try {
    return await database.db.collection(CUSTOMER_SPENDING_COLLECTION).countDocuments(valid, boundedRead(options.maxTimeMS));
  } catch (error) {
    failedRead(error, options.maxTimeMS);
  }
}

const CUSTOMER_ID = /^[0-9a-fA-F]{24}$/;

function checkCustomerId(customerId: unknown): string {
  if (typeof customerId !== 'string' || !CUSTOMER_ID.test(customerId)) {
    throw new SpendingInputError('BAD_CUSTOMER_ID', `a customer id is 24 hexadecimal digits, got ${JSON.stringify(customerId) ?? String(customerId)}`);
  }
  return customerId.toLowerCase();
}

/** One customer's spending document (by `customer_id`: 24 hex digits), or null. */
export async function getCustomerSpending(database: Database, customerId: string, options: ReadOptions = {}): Promise<CustomerSpending | null> {
  const id = checkCustomerId(customerId);
  try {
    return await database.db.collection<CustomerSpending>(CUSTOMER_SPENDING_COLLECTION).findOne({ _id: id }, boundedRead(options.maxTimeMS));
  } catch (error) {
    failedRead(error, options.maxTimeMS);
  }
}

/**
 * Many customers' spending documents with one query (`_id` among the ids): the result has
 * one entry per id, in the same order (null where not crunched; the same document for an id
 * given twice). With a `projection` (0/1 values, validated like `findSpending`'s), only those
 * fields; `_id` is always returned, since it says which document is whose.
 */
export async function getCustomerSpendings(
  database: Database,
  customerIds: readonly string[],
  projection?: Document,
  options: ReadOptions = {},
): Promise<(CustomerSpending | null)[]> {
  const ids = customerIds.map(checkCustomerId);
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const fields = validateProjection(projection);
  if (fields._id === 0) delete fields._id;
  let docs: CustomerSpending[];
  try {
    docs = await database.db
      .collection<CustomerSpending>(CUSTOMER_SPENDING_COLLECTION)
      // The limit lets the server close the cursor with its first reply (no getMore, no killCursors).
      .find({ _id: { $in: unique } }, { projection: fields, limit: unique.length, batchSize: unique.length, ...boundedRead(options.maxTimeMS) })
      .toArray();
  } catch (error) {
    failedRead(error, options.maxTimeMS);
  }
  const byId = new Map(docs.map((doc) => [doc._id, doc as CustomerSpending]));
  return ids.map((id) => byId.get(id) ?? null);
}
