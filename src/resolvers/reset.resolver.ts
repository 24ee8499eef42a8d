/** Reset: a thin call into the server's jobs (a reset is quick: the mutation waits for it). */
import { Args, Authorized, Ctx, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import { UserInputError } from '../errors.js';
import { outcomeOf } from '../jobs/index.js';
import { ResetArgs, ResetResult } from '../schema/index.js';
import type { ResetResult as ResetResultModel } from '../seeding/index.js';
import { AppErrors } from './app-errors.middleware.js';
import type { GraphQLContext } from './context.js';

@Resolver()
@UseMiddleware(AppErrors)
export class ResetResolver {
  @Authorized()
  @Mutation(() => ResetResult, {
    description:
      'Admin. Deletes every document of every datadragon collection, keeping collections and indexes (drop: true drops the database). confirm must be true. ' +
      'Runs as a job (job(id) shows it) and answers when it is done: it swaps in empty copies, so it takes as long for ten documents as for ten million. CONFLICT while a job runs.',
  })
  async resetDatabase(@Args(() => ResetArgs) { confirm, drop }: ResetArgs, @Ctx() { jobs }: GraphQLContext): Promise<ResetResult> {
    if (!confirm) throw new UserInputError('resetDatabase deletes data: pass confirm: true to do it', { reason: 'NOT_CONFIRMED' });
    const job = await jobs.start('reset', { drop });
    return ResetResult.of(job.id, (await outcomeOf(job)) as ResetResultModel);
  }
}
