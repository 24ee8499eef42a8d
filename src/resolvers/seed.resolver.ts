/** Seeding and reset: thin calls into the job registry and the reset service. */
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { resetDatabase } from '../seeding/index.js';
import { UserInputError } from '../errors.js';
import { ResetArgs, ResetResult, SeedInput, SeedJob } from '../schema/index.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';

@Resolver(() => SeedJob)
@UseMiddleware(AppErrors)
export class SeedResolver {
  @Authorized()
  @Mutation(() => SeedJob, {
    description: 'Admin. Starts seeding in the background and returns the job at once; poll it with seedJob(id). CONFLICT while another job (seed, crunch, reset) runs.',
  })
  async seedDatabase(@Arg('input', () => SeedInput, { nullable: true }) input: SeedInput | null, @Ctx() { jobs }: GraphQLContext): Promise<SeedJob> {
    return SeedJob.of(await jobs.start({ ...input }));
  }

  @Authorized()
  @Mutation(() => SeedJob, { description: 'Admin. Stops a running seed (its workers are killed, nothing half-written is kept); a finished job is returned unchanged.' })
  cancelSeedJob(@Arg('id', () => ID) id: string, @Ctx() { jobs }: GraphQLContext): SeedJob {
    return SeedJob.of(jobs.cancel(id));
  }

  @Query(() => SeedJob, { nullable: true, description: 'A seed job of this server, by id (null if unknown).' })
  seedJob(@Arg('id', () => ID) id: string, @Ctx() { jobs }: GraphQLContext): SeedJob | null {
    const job = jobs.get(id);
    return job ? SeedJob.of(job) : null;
  }

  @Query(() => [SeedJob], { description: 'The seed jobs of this server (running and recent), newest first.' })
  seedJobs(@Ctx() { jobs }: GraphQLContext): SeedJob[] {
    return jobs.list().map((job) => SeedJob.of(job));
  }

  @Authorized()
  @Mutation(() => ResetResult, {
    description: 'Admin. Deletes every document of every datadragon collection, keeping collections and indexes (drop: true drops the database). confirm must be true. CONFLICT while a job runs.',
  })
  async resetDatabase(@Args(() => ResetArgs) { confirm, drop }: ResetArgs, @Ctx() { database, jobs }: GraphQLContext): Promise<ResetResult> {
    if (!confirm) throw new UserInputError('resetDatabase deletes data: pass confirm: true to do it', { reason: 'NOT_CONFIRMED' });
    await jobs.assertIdle('reset');
    const result = await resetDatabase(database, { drop });
    const deleted = Object.entries(result.deleted).map(([collection, count]) => ({ collection, count }));
    return { dropped: result.dropped, deleted, total: deleted.reduce((sum, d) => sum + d.count, 0) };
  }
}
