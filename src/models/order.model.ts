import { Schema, type Connection, type Model } from 'mongoose';

/** `orders` (docs/DATA-MODEL.md §1): the order that closed a cart; a cart has at most one (unique cart_id). */
export interface OrderDoc {
  _id: import('mongoose').Types.ObjectId;
  customer_id: string;
  cart_id: string;
  created_at: Date;
}

export const orderSchema = new Schema<OrderDoc>(
  {
    customer_id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    cart_id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    created_at: { type: Date, required: true },
  },
  { collection: 'orders', versionKey: false, autoIndex: false, autoCreate: false },
);
orderSchema.index({ customer_id: 1 });
orderSchema.index({ cart_id: 1 }, { unique: true });
orderSchema.index({ created_at: 1 });

export const orderModel = (connection: Connection): Model<OrderDoc> => connection.models.Order ?? connection.model<OrderDoc>('Order', orderSchema);
