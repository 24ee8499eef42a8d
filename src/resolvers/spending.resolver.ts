/** The spending queries: thin calls into the API's read models. */
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver, UseMiddleware } from 'type-graphql';
import { pageSpending, spendingById, spendingSortPath, type Page } from '../read-models/index.js';
import type { CustomerSpending as CustomerSpendingDoc } from '../spending/index.js';
import { CustomerSpending, CustomerSpendingConnection, CustomerSpendingsArgs, pageCost } from '../schema/index.js';
import { timeLimitOf } from './time-limit.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';
import { spendingPageProjection, spendingProjection } from './spending-projection.js';

@Resolver(() => CustomerSpending)
@UseMiddleware(AppErrors)
export class SpendingResolver {
  @Query(() => CustomerSpending, { nullable: true, description: "One customer's spending, by customer id (null if not crunched)." })
  customerSpending(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() { database }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CustomerSpendingDoc | null> {
    return spendingById(database, customerId, spendingProjection(info), timeLimitOf(info));
  }

  @Query(() => CustomerSpendingConnection, {
    description:
      'Customer spendings matching the filter, a page at a time (first: 1–100, default 20; after: a cursor from the previous page). Default order: by customer id.',
    complexity: pageCost,
  })
  customerSpendings(
    @Args(() => CustomerSpendingsArgs) args: CustomerSpendingsArgs,
    @Ctx() { database }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<CustomerSpendingDoc>> {
    const maxTimeMS = timeLimitOf(info);
    return pageSpending(database, {
      ...args,
      projection: spendingPageProjection(info, spendingSortPath(args.sort)),
      ...(maxTimeMS === undefined ? {} : { maxTimeMS }),
    });
  }
}
