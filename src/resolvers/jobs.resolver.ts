/** Jobs of every kind: thin calls into the server's jobs. */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, UseMiddleware } from 'type-graphql';
import { Job, JobKind, jobOf } from '../schema/index.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';

@Resolver(() => Job)
@UseMiddleware(AppErrors)
export class JobsResolver {
  @Query(() => Job, { nullable: true, description: 'A job of this server (seed, crunch or reset), by id; null if unknown.' })
  job(@Arg('id', () => ID) id: string, @Ctx() { jobs }: GraphQLContext): Job | null {
    const job = jobs.get(id);
    return job ? jobOf(job) : null;
  }

  @Query(() => [Job], { description: 'The jobs of this server, running and recent (the last 20 finished), newest first; of one kind when given.' })
  jobs(@Arg('kind', () => JobKind, { nullable: true }) kind: JobKind | null, @Ctx() { jobs }: GraphQLContext): Job[] {
    return jobs.list(kind ?? undefined).map(jobOf);
  }

  @Authorized()
  @Mutation(() => Job, {
    description:
      'Admin. Stops a running job of any kind: it settles CANCELLED, the data it was replacing untouched and what it staged dropped (poll it until it has). ' +
      'A finished job, or one already swapping its new data in (cancellable: false), is returned as it is. NOT_FOUND for an unknown id.',
  })
  cancelJob(@Arg('id', () => ID) id: string, @Ctx() { jobs }: GraphQLContext): Job {
    return jobOf(jobs.cancel(id));
  }
}
