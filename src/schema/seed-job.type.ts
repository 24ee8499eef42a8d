/** A seed job as the API reports it: the Job fields, and its options, what it wrote, its counts and timings. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { Job as JobModel } from '../jobs/index.js';
import type { SeedPlan, SeedSummary } from '../seeding/index.js';
import { Job, jobFields, roundSeconds } from './job.type.js';
import { SafeIntScalar } from './scalars.js';

@ObjectType({ description: 'Documents the workers have written so far.' })
export class WrittenCounts {
  @Field(() => Int) users!: number;
  @Field(() => Int) carts!: number;
  @Field(() => Int) orders!: number;
}

@ObjectType({ description: 'Documents in the seeded collections once the job succeeded.' })
export class SeedCounts {
  @Field(() => Int) users!: number;
  @Field(() => Int) products!: number;
  @Field(() => Int) carts!: number;
  @Field(() => Int) orders!: number;
}

@ObjectType({ description: 'Seconds per phase, and in all, to the millisecond.' })
export class SeedTimings {
  @Field(() => Float) products!: number;
  @Field(() => Float) activity!: number;
  @Field(() => Float) split!: number;
  @Field(() => Float) indexes!: number;
  @Field(() => Float) total!: number;
}

@ObjectType({ description: 'Part index of count of a seed written in parts.' })
export class SeedPart {
  @Field(() => Int) index!: number;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'The options the job runs with, every default filled in (replay a seed with the same ones).' })
export class SeedOptions {
  @Field(() => Int) users!: number;
  @Field(() => Int) maxOrders!: number;
  @Field(() => Int) products!: number;
  @Field(() => Int) year!: number;
  @Field(() => SafeIntScalar) seed!: number;
  @Field(() => Int) workers!: number;
  @Field(() => Int) batchSize!: number;
  @Field(() => String) locale!: string;
  @Field(() => Boolean) keepActivity!: boolean;
  @Field(() => SeedPart, { nullable: true, description: 'Set when the job writes one part of a seed.' }) part!: SeedPart | null;
  @Field(() => Boolean, { description: 'Whether the job puts written parts together.' }) finish!: boolean;
  @Field(() => Boolean, { description: 'Whether --shard was asked for (a mongos shards without it).' }) shard!: boolean;
}

@ObjectType({ implements: Job, description: 'A seeding run started by seedDatabase; poll it with job(id) or seedJob(id).' })
export class SeedJob extends Job {
  @Field(() => SeedOptions)
  options!: SeedOptions;

  @Field(() => WrittenCounts)
  written!: WrittenCounts;

  @Field(() => SeedCounts, { nullable: true, description: 'Set once the job succeeded.' })
  counts!: SeedCounts | null;

  @Field(() => SeedTimings)
  timings!: SeedTimings;

  @Field(() => Float, { nullable: true, description: 'Orders per second over the whole run, once it succeeded.' })
  ordersPerSecond!: number | null;

  /** A snapshot of a running or finished seed job. */
  static of(job: JobModel): SeedJob {
    const fields = jobFields(job);
    const state = job.state as JobModel<SeedPlan, SeedSummary>['state'];
    const plan = job.plan as SeedPlan;
    const activity = job.progress.find((p) => p.name === 'activity')?.detail ?? {};
    // A part has no products, split or indexes phase, a finish no activity: theirs are 0.
    const seconds = { products: 0, activity: 0, split: 0, indexes: 0, ...Object.fromEntries(fields.progress.map((p) => [p.phase, p.seconds])) };
    return Object.assign(new SeedJob(), fields, {
      options: {
        users: plan.users,
        maxOrders: plan.maxOrders,
        products: plan.products,
        year: plan.year,
        seed: plan.seed,
        workers: plan.workers,
        batchSize: plan.batchSize,
        locale: plan.locale,
        keepActivity: plan.keepActivity,
        part: plan.part ?? null,
        finish: plan.finish,
        shard: plan.shard,
      },
      written: { users: activity.users ?? 0, carts: activity.carts ?? 0, orders: activity.orders ?? 0 },
      counts: state.status === 'succeeded' ? state.result.counts : null,
      timings:
        state.status === 'succeeded'
          ? (Object.fromEntries(Object.entries(state.result.seconds).map(([phase, s]) => [phase, roundSeconds(s)])) as unknown as SeedTimings)
          : ({ ...seconds, total: fields.seconds } as unknown as SeedTimings),
      ordersPerSecond: state.status === 'succeeded' ? state.result.ordersPerSecond : null,
    });
  }
}
