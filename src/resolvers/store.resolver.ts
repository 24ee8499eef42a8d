/** Exploring the seeded collections: pages of users, products, orders; an order's cart and customer, a line's product. */
import type { GraphQLResolveInfo } from 'graphql';
import type { Types } from 'mongoose';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { getOrder, getProduct, listOrders, listProducts, listUsers, type Page } from '../read-models/index.js';
import type { CartDoc, OrderDoc, ProductDoc, UserDoc } from '../models/index.js';
import {
  Cart,
  CartLine,
  ObjectIdScalar,
  Order,
  OrderConnection,
  OrdersArgs,
  pageCost,
  Product,
  ProductConnection,
  ProductsArgs,
  User,
  UserConnection,
  UsersArgs,
} from '../schema/index.js';
import { timeLimitOf } from './time-limit.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';

/** The read options of a resolver: its operation's time limit. */
const bounded = (info: GraphQLResolveInfo): { maxTimeMS?: number } => {
  const maxTimeMS = timeLimitOf(info);
  return maxTimeMS === undefined ? {} : { maxTimeMS };
};

@Resolver()
@UseMiddleware(AppErrors)
export class StoreResolver {
  @Query(() => UserConnection, { description: 'Customers in id order; emailContains ignores case.', complexity: pageCost })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() { database }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<Page<UserDoc>> {
    return listUsers(database, { ...args, ...bounded(info) });
  }

  @Query(() => ProductConnection, { description: 'Products in id order, optionally of one category.', complexity: pageCost })
  products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() { database }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<Page<ProductDoc>> {
    return listProducts(database, { ...args, ...bounded(info) });
  }

  @Query(() => OrderConnection, { description: 'Orders in id order, optionally of one customer.', complexity: pageCost })
  orders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() { database }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<Page<OrderDoc>> {
    return listOrders(database, { ...args, ...bounded(info) });
  }

  @Query(() => Product, { nullable: true })
  product(
    @Arg('id', () => ObjectIdScalar) id: Types.ObjectId,
    @Ctx() { database }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProductDoc | null> {
    return getProduct(database, id, bounded(info));
  }

  @Query(() => Order, { nullable: true })
  order(@Arg('id', () => ObjectIdScalar) id: Types.ObjectId, @Ctx() { database }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<OrderDoc | null> {
    return getOrder(database, id, bounded(info));
  }
}

@Resolver(() => Order)
@UseMiddleware(AppErrors)
export class OrderResolver {
  @FieldResolver(() => Cart, { nullable: true, description: 'The cart this order closed, with its lines.' })
  cart(@Root() order: OrderDoc, @Ctx() { loaders }: GraphQLContext): Promise<CartDoc | null> {
    return loaders.cart.load(order.cart_id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The customer who placed it.' })
  customer(@Root() order: OrderDoc, @Ctx() { loaders }: GraphQLContext): Promise<UserDoc | null> {
    return loaders.user.load(order.customer_id);
  }
}

@Resolver(() => CartLine)
@UseMiddleware(AppErrors)
export class CartLineResolver {
  @FieldResolver(() => Product, { nullable: true })
  product(@Root() line: CartLine, @Ctx() { loaders }: GraphQLContext): Promise<ProductDoc | null> {
    return loaders.product.load(line.product_id);
  }
}
