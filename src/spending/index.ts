/**
 * The spending module: the services (the crunch's steps: crunch.ts, run by the crunch job of
 * src/jobs; whether the spending data is stale: status.ts; find, count, get: queries.ts; the
 * dashboard's aggregates: summary.ts), the crunch pipeline (pure stage builders), the month keys
 * and document type, and the parsing and validation of user filters.
 *
 * recompute.ts, the plain-TypeScript computation the tests and benches check the crunch against,
 * is not exported: an oracle the application could call would no longer be independent of it.
 */
export * from './pipeline/index.js';
export { FilterError, SpendingInputError, type SpendingInputErrorCode, type TextPosition } from './errors.js';
export { parseAndValidateFilter, parseFilterJson, validateFilter } from './filter.js';
export { MAX_JSON_DEPTH, positionOf } from './json-text.js';
export { MAX_FILTER_DEPTH } from './no-javascript.js';
export { assertSafePatterns } from './regex-safety.js';
export { escapeRegex } from './regex-subset.js';
export { type FieldsProjection, parseFields, parseSort, type SortSpec, validateProjection, validateSort } from './sort-fields.js';
// All of months.ts: it is spending's one re-export of the collection's shape (models/), plus monthKeyOfNumber.
export * from './months.js';
export {
  batchSize,
  concatenateParts,
  countCustomers,
  crunchFigures,
  type CrunchMode,
  type CrunchPlan,
  type CrunchRequest,
  type CrunchResult,
  crunchSlice,
  customerSlices,
  customersSince,
  defaultCrunchYear,
  planCrunch,
  sliceSize,
  yearsWithOrders,
} from './crunch.js';
export { readStates, spendingStatus, type SpendingStatus, type States } from './status.js';
export {
  countSpending,
  DEFAULT_FIND_LIMIT,
  failedRead,
  findSpending,
  getCustomerSpending,
  getCustomerSpendings,
  MAX_FIND_LIMIT,
  type ReadOptions,
  type SpendingQuery,
  streamSpending,
} from './queries.js';
export {
  AVERAGE_BUCKET_EDGES,
  type AverageBucket,
  averageDistribution,
  categoryTotals,
  MAX_CUSTOMERS_LISTED,
  searchCustomers,
  type SummaryReadOptions,
  topSpenders,
  yearOverview,
  type YearOverview,
  yearOverviews,
} from './summary.js';
