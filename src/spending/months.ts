/**
 * The month keys and the shape of one `customer_spending` document (docs/DATA-MODEL.md §4).
 *
 * The keys are the Portuguese month abbreviations of the reproduced schema (docs/DATA-MODEL.md §4), in calendar order:
 * MONTH_KEYS[0] is January (`$month` 1), MONTH_KEYS[11] is December (`$month` 12).
 */
export const MONTH_KEYS = ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'] as const;

export type MonthKey = (typeof MONTH_KEYS)[number];

/** One amount (in currency units, rounded to cents) per month; all 12 keys are always present. */
export type MonthlyAmounts = Record<MonthKey, number>;

/** Amount per category name (currency units, rounded to cents). */
export type CategoryAmounts = Record<string, number>;

/** Per month, the amount per category; all 12 keys are always present, `{}` for a month without orders. */
export type CategorizedMonths = Record<MonthKey, CategoryAmounts>;

/** One document of the `customer_spending` collection, exactly as docs/DATA-MODEL.md §4 gives it. */
export interface CustomerSpending {
  /** The customer's `customer_id` (24 hex digits), not an ObjectId. */
  _id: string;
  customer_id: string;
  email: string;
  /** The calendar year (UTC) the figures are for. */
  year: number;
  details: { first_name: string; last_name: string };
  /** Sum of the carts' `amount` of the orders placed in each month. */
  monthly_spenses: MonthlyAmounts;
  /** Sum of price × quantity of the lines, per month and per category of the line's product. */
  categorized_monthly_expenses: CategorizedMonths;
  /** The year's total / 12. */
  monthly_avg_expense: number;
  /** Per category: the year's total in that category / 12. */
  categorized_monthly_avg_expense: CategoryAmounts;
}

/** Name of the collection the crunch writes. */
export const CUSTOMER_SPENDING_COLLECTION = 'customer_spending';

/** The month key of a 1-based month number (`$month` convention); throws outside 1..12. */
export function monthKeyOfNumber(month: number): MonthKey {
  const key = MONTH_KEYS[month - 1];
  if (key === undefined || !Number.isInteger(month)) throw new RangeError(`month must be an integer in 1..12, got ${month}`);
  return key;
}
