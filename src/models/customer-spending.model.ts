import { Schema } from 'mongoose';

/**
 * The month keys are the Portuguese month abbreviations of the reproduced schema (docs/DATA-MODEL.md §4), in
 * calendar order: MONTH_KEYS[0] is January (`$month` 1), MONTH_KEYS[11] is December (`$month` 12).
 */
export const MONTH_KEYS = ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'] as const;

export type MonthKey = (typeof MONTH_KEYS)[number];

/** One amount (in currency units, rounded to cents) per month; all 12 keys are always present. */
export type MonthlyAmounts = Record<MonthKey, number>;

/** Amount per category name (currency units, rounded to cents). */
export type CategoryAmounts = Record<string, number>;

/** Per month, the amount per category; all 12 keys are always present, `{}` for a month without orders. */
export type CategorizedMonths = Record<MonthKey, CategoryAmounts>;

/** Name of the collection the crunch writes. */
export const CUSTOMER_SPENDING_COLLECTION = 'customer_spending';

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

/**
 * `customer_spending` (docs/DATA-MODEL.md §4): written by the crunch's `$out`, never by Mongoose. The
 * model exists for its indexes (built after each crunch) and for typed reads. `_id` is the
 * customer's `customer_id` (a hex string, not an ObjectId).
 */
export type CustomerSpendingDoc = CustomerSpending;

const amounts = { type: Schema.Types.Mixed };

export const customerSpendingSchema = new Schema<CustomerSpendingDoc>(
  {
    _id: { type: String, required: true },
    customer_id: { type: String, required: true },
    email: { type: String },
    year: { type: Number, required: true },
    details: { first_name: String, last_name: String },
    monthly_spenses: amounts,
    categorized_monthly_expenses: amounts,
    monthly_avg_expense: { type: Number, required: true },
    categorized_monthly_avg_expense: amounts,
  },
  { collection: CUSTOMER_SPENDING_COLLECTION, versionKey: false, autoIndex: false, autoCreate: false, strict: false },
);
// One document per user, keyed by customer_id: unique by construction.
customerSpendingSchema.index({ customer_id: 1 }, { unique: true });
// Not unique: the crunch copies users' emails as they are; a duplicate there must not fail it.
customerSpendingSchema.index({ email: 1 });
customerSpendingSchema.index({ monthly_avg_expense: 1 });
