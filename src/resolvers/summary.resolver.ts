/** Spending summaries for the dashboard: thin calls into the summary service (src/spending/summary.ts). */
import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { UserInputError } from '../errors.js';
import {
  AverageBucket,
  CategoryAmount,
  CustomerListArgs,
  CustomerSearchArgs,
  CustomerSpending,
  DEFAULT_CUSTOMERS_LISTED,
  listCost,
  SpendingSummary,
  SpendingSummaryArgs,
  toCategoryAmounts,
} from '../schema/index.js';
import {
  averageDistribution,
  categoryTotals,
  type CustomerSpending as CustomerSpendingDoc,
  MAX_CUSTOMERS_LISTED,
  searchCustomers,
  topSpenders,
  yearOverview,
  type AverageBucket as AverageBucketDoc,
  type SummaryReadOptions,
} from '../spending/index.js';
import { timeLimitOf } from './time-limit.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';
import { spendingProjection } from './spending-projection.js';

/**
 * What one summary aggregation costs: each reads every customer_spending document of the
 * year (a $group, an $unwind of the months, a $bucket), so a few of them in one operation
 * weigh as much as a full page of customers, and twenty aliased copies are refused.
 */
export const SUMMARY_READ_COST = 500;
const summaryReadCost = ({ childComplexity }: { childComplexity: number }): number => SUMMARY_READ_COST + childComplexity;

/** The time limit of the resolver's reads (the API's), as the summary service takes it. */
const bounded = (info: GraphQLResolveInfo): SummaryReadOptions => {
  const maxTimeMS = timeLimitOf(info);
  return maxTimeMS === undefined ? {} : { maxTimeMS };
};

/** A list of `first` customers costs `first` times what one asks for (an out-of-range `first` as its nearest bound). */
const customerListCost = listCost(DEFAULT_CUSTOMERS_LISTED, MAX_CUSTOMERS_LISTED);

function checkFirst(first: number): number {
  if (!Number.isSafeInteger(first) || first < 1 || first > MAX_CUSTOMERS_LISTED) {
    throw new UserInputError(`first must be a whole number from 1 to ${MAX_CUSTOMERS_LISTED}, got ${first}`, { reason: 'BAD_PAGINATION' });
  }
  return first;
}

@Resolver(() => SpendingSummary)
@UseMiddleware(AppErrors)
export class SummaryResolver {
  @Query(() => SpendingSummary, {
    nullable: true,
    description: 'The crunched spending of a year as a whole; null when customer_spending has nothing for it (seed, then crunch).',
    complexity: summaryReadCost,
  })
  spendingSummary(
    @Args(() => SpendingSummaryArgs) { year }: SpendingSummaryArgs,
    @Ctx() { database }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SpendingSummary | null> {
    return yearOverview(database, year ?? undefined, bounded(info));
  }

  @Query(() => [CustomerSpending], { description: 'Customers by customer id or by the start of their email, by email order.', complexity: customerListCost })
  customerSearch(
    @Args(() => CustomerSearchArgs) { term, first }: CustomerSearchArgs,
    @Ctx() { database }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CustomerSpendingDoc[]> {
    return searchCustomers(database, term, checkFirst(first), spendingProjection(info), bounded(info));
  }

  @FieldResolver(() => [CategoryAmount], {
    description: "Per category, the year's total in it, largest first (a line counts in every category of its product, so they add up to more than the total).",
    complexity: summaryReadCost,
  })
  async categories(@Root() summary: SpendingSummary, @Ctx() { database }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<CategoryAmount[]> {
    return toCategoryAmounts(await categoryTotals(database, summary.year, bounded(info)));
  }

  @FieldResolver(() => [AverageBucket], {
    description:
      'How many customers have a monthly average in each bucket (a 1–2.5–5 progression of bounds, from 0 to the last non-empty bucket; the first bucket, 0 to 0.01, is the customers who spent nothing).',
    complexity: summaryReadCost,
  })
  averageDistribution(@Root() summary: SpendingSummary, @Ctx() { database }: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<AverageBucketDoc[]> {
    return averageDistribution(database, summary.year, bounded(info));
  }

  @FieldResolver(() => [CustomerSpending], { description: 'The customers with the highest monthly average, highest first.', complexity: customerListCost })
  topCustomers(
    @Root() summary: SpendingSummary,
    @Args(() => CustomerListArgs) { first }: CustomerListArgs,
    @Ctx() { database }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CustomerSpendingDoc[]> {
    return topSpenders(database, summary.year, checkFirst(first), spendingProjection(info), bounded(info));
  }
}
