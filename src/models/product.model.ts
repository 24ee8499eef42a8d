import { Schema, type Connection, type Model } from 'mongoose';

/** `products`: the catalogue (docs/DATA-MODEL.md §1). Prices are reais with two decimals. */
export interface ProductDoc {
  _id: import('mongoose').Types.ObjectId;
  title: string;
  description: string;
  categories: string[];
  price: number;
}

export const productSchema = new Schema<ProductDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, required: true },
    categories: { type: [String], required: true },
    price: { type: Number, required: true, min: 0 },
  },
  { collection: 'products', versionKey: false, autoIndex: false, autoCreate: false },
);
productSchema.index({ categories: 1 });

export const productModel = (connection: Connection): Model<ProductDoc> => connection.models.Product ?? connection.model<ProductDoc>('Product', productSchema);
