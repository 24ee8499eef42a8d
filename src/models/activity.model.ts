import { Schema, type Connection, type Model } from 'mongoose';

/**
 * `activity` (temporary): one document per customer, the user's fields plus its carts, each
 * carrying its order or null. Workers write it; the split turns it into users, carts, orders.
 */
export interface ActivityDoc {
  _id: import('mongoose').Types.ObjectId;
  customer_id: string;
  email: string;
  details: { first_name: string; last_name: string; full_name: null };
  carts: {
    _id: import('mongoose').Types.ObjectId;
    products: { product_id: string; price: number; quantity: number }[];
    amount: number;
    order: { _id: import('mongoose').Types.ObjectId; created_at: Date } | null;
  }[];
}

export const activitySchema = new Schema<ActivityDoc>(
  {
    customer_id: String,
    email: String,
    details: { first_name: String, last_name: String, full_name: { type: String, default: null } },
    carts: [
      {
        _id: Schema.Types.ObjectId,
        products: [{ _id: false, product_id: String, price: Number, quantity: Number }],
        amount: Number,
        order: { type: { _id: Schema.Types.ObjectId, created_at: Date }, default: null },
      },
    ],
  },
  { collection: 'activity', versionKey: false, autoIndex: false, autoCreate: false },
);

export const activityModel = (connection: Connection): Model<ActivityDoc> =>
  connection.models.Activity ?? connection.model<ActivityDoc>('Activity', activitySchema);
