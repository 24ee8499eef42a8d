import { Schema } from 'mongoose';
import type { CustomerSpending } from '../spending/months.js';

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
  { collection: 'customer_spending', versionKey: false, autoIndex: false, autoCreate: false, strict: false },
);
// One document per user, keyed by customer_id: unique by construction.
customerSpendingSchema.index({ customer_id: 1 }, { unique: true });
// Not unique: the crunch copies users' emails as they are; a duplicate there must not fail it.
customerSpendingSchema.index({ email: 1 });
customerSpendingSchema.index({ monthly_avg_expense: 1 });
