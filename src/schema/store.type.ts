/**
 * The seeded collections (docs/DATA-MODEL.md §1) as GraphQL types, for exploring the data: the classes
 * mirror the documents (snake_case properties, camelCase schema names). An order's cart,
 * a line's product and an order's customer are resolved by `store.resolver.ts`.
 */
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import type { Types } from 'mongoose';
import type { CartDoc, CartLine as CartLineDoc, OrderDoc, ProductDoc, UserDoc } from '../models/index.js';
import { connectionOf } from './page-info.type.js';
import { ObjectIdScalar } from './scalars.js';

@ObjectType('UserDetails')
export class UserDetails {
  @Field(() => String, { name: 'firstName' })
  first_name!: string;

  @Field(() => String, { name: 'lastName' })
  last_name!: string;

  @Field(() => String, { name: 'fullName', nullable: true, description: 'null in the seeded data.' })
  full_name!: string | null;
}

@ObjectType({ description: 'A customer.' })
export class User implements UserDoc {
  @Field(() => ObjectIdScalar, { name: 'id' })
  _id!: Types.ObjectId;

  @Field(() => ID, { name: 'customerId', description: 'What carts and orders refer to (24 hexadecimal digits).' })
  customer_id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => UserDetails)
  details!: UserDetails;
}

@ObjectType({ description: 'A product of the catalogue.' })
export class Product implements ProductDoc {
  @Field(() => ObjectIdScalar, { name: 'id' })
  _id!: Types.ObjectId;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [String], { description: 'Its category path and tags (2–4).' })
  categories!: string[];

  @Field(() => Float)
  price!: number;
}

@ObjectType({ description: 'One line of a cart: a product at its price, times a quantity.' })
export class CartLine implements CartLineDoc {
  @Field(() => ID, { name: 'productId' })
  product_id!: string;

  @Field(() => Float)
  price!: number;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Float, { description: 'price × quantity, rounded to cents.' })
  get amount(): number {
    return Math.round(this.price * this.quantity * 100) / 100;
  }
}

@ObjectType({ description: 'A cart: ordered (it has an order) or abandoned.' })
export class Cart implements CartDoc {
  @Field(() => ObjectIdScalar, { name: 'id' })
  _id!: Types.ObjectId;

  @Field(() => ID, { name: 'customerId' })
  customer_id!: string;

  @Field(() => [CartLine], { name: 'lines', complexity: ({ childComplexity }) => 1 + 5 * childComplexity })
  products!: CartLine[];

  @Field(() => Float, { description: 'Σ price × quantity of its lines, to the cent.' })
  amount!: number;
}

@ObjectType({ description: 'An order: the order that closed a cart.' })
export class Order implements OrderDoc {
  @Field(() => ObjectIdScalar, { name: 'id' })
  _id!: Types.ObjectId;

  @Field(() => ID, { name: 'customerId' })
  customer_id!: string;

  @Field(() => ID, { name: 'cartId' })
  cart_id!: string;

  @Field(() => GraphQLISODateTime, { name: 'createdAt' })
  created_at!: Date;
}

export const UserConnection = connectionOf(User, 'User');
export const ProductConnection = connectionOf(Product, 'Product');
export const OrderConnection = connectionOf(Order, 'Order');
