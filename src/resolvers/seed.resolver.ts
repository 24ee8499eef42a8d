/** Seeding: thin calls into the server's jobs. */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { SeedInput, SeedJob } from '../schema/index.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';

@Resolver(() => SeedJob)
@UseMiddleware(AppErrors)
export class SeedResolver {
  @Authorized()
  @Mutation(() => SeedJob, {
    description:
      'Admin. Starts seeding in the background and returns the job at once; poll it with job(id). The new dataset replaces the current one at once when the job ends; until then (and if it fails or is cancelled) the current one is untouched. CONFLICT while another job (seed, crunch, reset) runs.',
  })
  async seedDatabase(@Arg('input', () => SeedInput, { nullable: true }) input: SeedInput | null, @Ctx() { jobs }: GraphQLContext): Promise<SeedJob> {
    return SeedJob.of(await jobs.start('seed', { ...input }));
  }

  @Query(() => SeedJob, { nullable: true, description: 'A seed job of this server, by id (null if unknown or not a seed).' })
  seedJob(@Arg('id', () => ID) id: string, @Ctx() { jobs }: GraphQLContext): SeedJob | null {
    const job = jobs.get(id);
    return job?.kind === 'seed' ? SeedJob.of(job) : null;
  }

  @Query(() => [SeedJob], { description: 'The seed jobs of this server (running and recent), newest first.', deprecationReason: 'Use jobs(kind: SEED).' })
  seedJobs(@Ctx() { jobs }: GraphQLContext): SeedJob[] {
    return jobs.list('seed').map((job) => SeedJob.of(job));
  }

  @Authorized()
  @Mutation(() => SeedJob, {
    description: 'Admin. Stops a running seed; a finished job is returned unchanged.',
    deprecationReason: 'Use cancelJob(id), for any kind of job.',
  })
  cancelSeedJob(@Arg('id', () => ID) id: string, @Ctx() { jobs }: GraphQLContext): SeedJob {
    return SeedJob.of(jobs.cancel(id));
  }
}
