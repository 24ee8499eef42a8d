/**
 * The month keys and the shape of one `customer_spending` document (docs/DATA-MODEL.md §4), as
 * the spending module uses them. They are the collection's shape, so they live in
 * src/models/customer-spending.model.ts; this file re-exports them for spending's own files and
 * its barrel.
 */
import { MONTH_KEYS, type MonthKey } from '../models/index.js';

export {
  type CategorizedMonths,
  type CategoryAmounts,
  CUSTOMER_SPENDING_COLLECTION,
  type CustomerSpending,
  MONTH_KEYS,
  type MonthKey,
  type MonthlyAmounts,
} from '../models/index.js';

/** The month key of a 1-based month number (`$month` convention); throws outside 1..12. */
export function monthKeyOfNumber(month: number): MonthKey {
  const key = MONTH_KEYS[month - 1];
  if (key === undefined || !Number.isInteger(month)) throw new RangeError(`month must be an integer in 1..12, got ${month}`);
  return key;
}
