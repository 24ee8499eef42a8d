/**
 * The spending module: the services (the crunch's steps: crunch.ts, run by the crunch job of
 * src/jobs; whether the spending data is stale: status.ts; find, count, get: queries.ts), the
 * crunch pipeline (pure stage builders), the independent recomputation used by tests, the
 * month keys and document type, and the parsing and validation of user filters.
 */
export * from './pipeline/index.js';
export { FilterError, SpendingInputError, type SpendingInputErrorCode, type TextPosition } from './errors.js';
export { parseAndValidateFilter, parseFilterJson, validateFilter } from './filter.js';
export { positionOf } from './json-text.js';
export { type FieldsProjection, parseFields, parseSort, type SortSpec, validateProjection, validateSort } from './sort-fields.js';
export {
  type CategorizedMonths,
  type CategoryAmounts,
  CUSTOMER_SPENDING_COLLECTION,
  type CustomerSpending,
  MONTH_KEYS,
  type MonthKey,
  type MonthlyAmounts,
  monthKeyOfNumber,
} from './months.js';
export { recomputeSpending, type RecomputeInput, roundHalfEven } from './recompute.js';
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
  findSpending,
  getCustomerSpending,
  getCustomerSpendings,
  MAX_FIND_LIMIT,
  type SpendingQuery,
  streamSpending,
} from './queries.js';
