/**
 * The spending module: the crunch pipeline (pure stage builders), the independent
 * recomputation used by tests, the month keys and document type, and the parsing and
 * validation of user filters. Nothing here talks to a database.
 */
export * from './pipeline/index.js';
export { FilterError, SpendingInputError, type SpendingInputErrorCode, type TextPosition } from './errors.js';
export {
  type FieldsProjection,
  parseAndValidateFilter,
  parseFields,
  parseFilterJson,
  parseSort,
  positionOf,
  type SortSpec,
  validateFilter,
} from './filter.js';
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
