/** The crunch and the state of the spending data: thin calls into the server's jobs and the status service. */
import { Arg, Authorized, Ctx, GraphQLISODateTime, ID, Int, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { spendingStatus } from '../spending/index.js';
import { CrunchJob, SpendingStatus } from '../schema/index.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';

@Resolver()
@UseMiddleware(AppErrors)
export class CrunchResolver {
  @Authorized()
  @Mutation(() => CrunchJob, {
    description:
      "Admin. Starts crunching one calendar year (default: the newest order's) into customer_spending in the background and returns the job at once; poll it with job(id) or crunchJob(id). " +
      'With since, only the customers with orders created since then are recomputed and merged in. customer_spending is replaced only when the job ends (untouched if it fails or is cancelled). ' +
      'CONFLICT while another job runs, NOT_FOUND on an unseeded database, BAD_USER_INPUT for a year without orders (reason NO_ORDERS_IN_YEAR, with the years that have some).',
  })
  async crunchSpending(
    @Arg('year', () => Int, { nullable: true }) year: number | null,
    @Arg('since', () => GraphQLISODateTime, {
      nullable: true,
      description: 'Recompute only the customers with orders created since this instant (incremental).',
    })
    since: Date | null,
    @Ctx() { jobs }: GraphQLContext,
  ): Promise<CrunchJob> {
    return CrunchJob.of(await jobs.start('crunch', { year, since }));
  }

  @Query(() => CrunchJob, { nullable: true, description: 'A crunch job of this server, by id (null if unknown or not a crunch).' })
  crunchJob(@Arg('id', () => ID) id: string, @Ctx() { jobs }: GraphQLContext): CrunchJob | null {
    const job = jobs.get(id);
    return job?.kind === 'crunch' ? CrunchJob.of(job) : null;
  }

  @Query(() => SpendingStatus, {
    description: 'Whether customer_spending describes the data in the database (stale after a seed or a reset), its year and when it was crunched.',
  })
  async spendingStatus(@Ctx() { database }: GraphQLContext): Promise<SpendingStatus> {
    return SpendingStatus.of(await spendingStatus(database.db));
  }
}
