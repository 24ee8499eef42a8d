import { Schema, type Connection, type Model } from 'mongoose';

/** One cart line: a product reference (hex) at its price, times a quantity. */
export interface CartLine {
  product_id: string;
  price: number;
  quantity: number;
}

/** `carts` (docs/DATA-MODEL.md §1): `amount` = Σ price × quantity, to the cent. */
export interface CartDoc {
  _id: import('mongoose').Types.ObjectId;
  customer_id: string;
  products: CartLine[];
  amount: number;
}

const lineSchema = new Schema<CartLine>(
  {
    product_id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    price: { type: Number, required: true, min: 0 },
    quantity: { type: Number, required: true, min: 1 },
  },
  { _id: false },
);

export const cartSchema = new Schema<CartDoc>(
  {
    customer_id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    products: { type: [lineSchema], required: true },
    amount: { type: Number, required: true, min: 0 },
  },
  { collection: 'carts', versionKey: false, autoIndex: false, autoCreate: false },
);
cartSchema.index({ customer_id: 1 });

export const cartModel = (connection: Connection): Model<CartDoc> => connection.models.Cart ?? connection.model<CartDoc>('Cart', cartSchema);
