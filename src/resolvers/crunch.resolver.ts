/** The crunch: a thin call into the crunch service. */
import { Arg, Authorized, Ctx, Int, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import { crunchSpending } from '../spending/index.js';
import { CrunchResult } from '../schema/index.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';

@Resolver()
@UseMiddleware(AppErrors)
export class CrunchResolver {
  @Authorized()
  @Mutation(() => CrunchResult, {
    description: "Admin. Crunches one calendar year (default: the newest order's) into customer_spending; returns when done. CONFLICT while another job runs, NOT_FOUND on an unseeded database.",
  })
  async crunchSpending(@Arg('year', () => Int, { nullable: true }) year: number | null, @Ctx() { database, jobs }: GraphQLContext): Promise<CrunchResult> {
    await jobs.assertIdle('crunch');
    return crunchSpending(database, year === null || year === undefined ? {} : { year });
  }
}
