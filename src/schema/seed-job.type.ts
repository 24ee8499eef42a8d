/** A seed job as the API reports it: status, the phase running, progress per phase, counts, timings, error. */
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SeedJob as SeedJobModel } from '../jobs/seed-jobs.js';
import { SafeIntScalar } from './scalars.js';

export enum SeedJobStatus {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(SeedJobStatus, { name: 'SeedJobStatus', description: 'RUNNING, then SUCCEEDED, FAILED or CANCELLED.' });

export enum SeedPhase {
  PRODUCTS = 'products',
  ACTIVITY = 'activity',
  SPLIT = 'split',
  INDEXES = 'indexes',
}
registerEnumType(SeedPhase, {
  name: 'SeedPhase',
  description: 'PRODUCTS (the catalogue), ACTIVITY (customers, carts and orders generated on every core), SPLIT (activity → users, carts, orders), INDEXES.',
});

export enum PhaseState {
  PENDING = 'pending',
  RUNNING = 'running',
  DONE = 'done',
}
registerEnumType(PhaseState, { name: 'PhaseState' });

@ObjectType()
export class PhaseProgress {
  @Field(() => SeedPhase)
  phase!: SeedPhase;

  @Field(() => PhaseState)
  state!: PhaseState;

  @Field(() => Int)
  done!: number;

  @Field(() => Int, { description: 'The size of the phase (0 until it has reported it).' })
  total!: number;

  @Field(() => Float, { description: 'done / total, from 0 to 1 (1 once the phase is done).' })
  fraction!: number;

  @Field(() => Float, { description: 'Seconds spent in the phase so far.' })
  seconds!: number;
}

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

@ObjectType({ description: 'Seconds per phase, and in all.' })
export class SeedTimings {
  @Field(() => Float) products!: number;
  @Field(() => Float) activity!: number;
  @Field(() => Float) split!: number;
  @Field(() => Float) indexes!: number;
  @Field(() => Float) total!: number;
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
}

@ObjectType()
export class JobError {
  @Field(() => String, { description: 'BAD_USER_INPUT, CONFLICT, FAILED, UNAVAILABLE or INTERNAL.' })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'A seeding run started by seedDatabase; poll it with seedJob(id).' })
export class SeedJob {
  @Field(() => ID)
  id!: string;

  @Field(() => SeedJobStatus)
  status!: SeedJobStatus;

  @Field(() => SeedPhase, { nullable: true, description: 'The phase running now (null once the job has finished).' })
  phase!: SeedPhase | null;

  @Field(() => [PhaseProgress], { description: 'Every phase, in order.' })
  progress!: PhaseProgress[];

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

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => JobError, { nullable: true, description: 'Why the job failed or was cancelled.' })
  error!: JobError | null;

  /** A snapshot of a running or finished job. */
  static of(job: SeedJobModel): SeedJob {
    const ms = (seconds: number): number => Math.round(seconds * 1000) / 1000;
    const state = job.state;
    const progress = job.progress.map((p) => ({
      phase: p.phase as SeedPhase,
      state: p.state as PhaseState,
      done: p.done,
      total: p.total,
      fraction: p.state === 'done' ? 1 : p.total > 0 ? Math.min(1, p.done / p.total) : 0,
      seconds: ms(p.seconds),
    }));
    const end = job.finishedAt ?? new Date();
    const seconds = Object.fromEntries(progress.map((p) => [p.phase, p.seconds])) as Record<SeedPhase, number>;
    const { plan } = job;
    return Object.assign(new SeedJob(), {
      id: job.id,
      status: state.status as SeedJobStatus,
      phase: state.status === 'running' ? ((state.phase as SeedPhase | undefined) ?? null) : null,
      progress,
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
      },
      written: job.written,
      counts: state.status === 'succeeded' ? state.summary.counts : null,
      timings:
        state.status === 'succeeded'
          ? (Object.fromEntries(Object.entries(state.summary.seconds).map(([phase, s]) => [phase, ms(s)])) as unknown as SeedTimings)
          : { ...seconds, total: ms((end.getTime() - job.startedAt.getTime()) / 1000) },
      ordersPerSecond: state.status === 'succeeded' ? state.summary.ordersPerSecond : null,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt ?? null,
      error: state.status === 'failed' || state.status === 'cancelled' ? state.error : null,
    });
  }
}
