/** `resetDatabase`'s answer, and a reset job as `job(id)` reports it. */
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import type { Job as JobModel, ResetPlan } from '../jobs/index.js';
import type { ResetResult as ResetResultModel } from '../seeding/index.js';
import { Job, jobFields } from './job.type.js';

@ObjectType()
export class CollectionCount {
  @Field(() => String)
  collection!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'What resetDatabase did.' })
export class ResetResult {
  @Field(() => ID, { description: 'The reset job (job(id) shows it).' })
  jobId!: string;

  @Field(() => Boolean, { description: 'Whether the whole database was dropped (drop: true).' })
  dropped!: boolean;

  @Field(() => [CollectionCount], { description: 'Documents deleted per collection (collections and indexes are kept).' })
  deleted!: CollectionCount[];

  @Field(() => Int, { description: 'Documents deleted in all.' })
  total!: number;

  static of(jobId: string, result: ResetResultModel): ResetResult {
    const deleted = Object.entries(result.deleted).map(([collection, count]) => ({ collection, count }));
    return Object.assign(new ResetResult(), { jobId, dropped: result.dropped, deleted, total: deleted.reduce((sum, d) => sum + d.count, 0) });
  }
}

@ObjectType({ implements: Job, description: 'A reset started by resetDatabase.' })
export class ResetJob extends Job {
  @Field(() => Boolean, { description: 'Whether it drops the whole database.' })
  drop!: boolean;

  @Field(() => ResetResult, { nullable: true, description: 'Set once the job succeeded.' })
  result!: ResetResult | null;

  static of(job: JobModel): ResetJob {
    const state = job.state as JobModel<ResetPlan, ResetResultModel>['state'];
    return Object.assign(new ResetJob(), jobFields(job), {
      drop: (job.plan as ResetPlan).drop,
      result: state.status === 'succeeded' ? ResetResult.of(job.id, state.result) : null,
    });
  }
}

@ArgsType()
export class ResetArgs {
  @Field(() => Boolean, { description: 'Must be true: a reset deletes data.' })
  confirm!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'Drop the whole database instead of emptying the collections.' })
  drop!: boolean;
}
