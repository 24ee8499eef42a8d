import { Schema, type Connection, type Model } from 'mongoose';

/** `users`: one customer (docs/DATA-MODEL.md §1). `customer_id` is the `_id` as 24 hex digits. */
export interface UserDoc {
  _id: import('mongoose').Types.ObjectId;
  customer_id: string;
  email: string;
  details: { first_name: string; last_name: string; full_name: string | null };
}

export const userSchema = new Schema<UserDoc>(
  {
    customer_id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    email: { type: String, required: true },
    details: {
      first_name: { type: String, required: true },
      last_name: { type: String, required: true },
      full_name: { type: String, default: null },
    },
  },
  { collection: 'users', versionKey: false, autoIndex: false, autoCreate: false },
);
userSchema.index({ customer_id: 1 }, { unique: true });
userSchema.index({ email: 1 }, { unique: true });

export const userModel = (connection: Connection): Model<UserDoc> => connection.models.User ?? connection.model<UserDoc>('User', userSchema);
