/**
 * Jobs as the API reports them: the `Job` interface (what every kind has: status, the phase
 * running, progress per phase, timing, error) and the enums. Each kind's type (SeedJob,
 * CrunchJob, ResetJob) implements it and adds its options and result. A snapshot is read
 * from the job's state, which the job's events build (src/jobs/job.ts).
 */
import { Field, Float, GraphQLISODateTime, ID, InterfaceType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { JOB_PHASES, type Job as JobModel } from '../jobs/index.js';
import { upperCaseEnum } from './enum-values.js';

export enum JobKind {
  SEED = 'seed',
  CRUNCH = 'crunch',
  RESET = 'reset',
}
registerEnumType(JobKind, { name: 'JobKind', description: 'SEED (seedDatabase), CRUNCH (crunchSpending), RESET (resetDatabase).' });

export enum JobStatus {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(JobStatus, { name: 'JobStatus', description: 'RUNNING, then SUCCEEDED, FAILED or CANCELLED.' });

/** One value per phase name of every kind (JOB_PHASES): PRODUCTS → 'products'. */
export const JobPhase = upperCaseEnum(JOB_PHASES);
export type JobPhase = (typeof JOB_PHASES)[number];
registerEnumType(JobPhase, {
  name: 'JobPhase',
  description:
    'Seed: PRODUCTS (the catalogue), ACTIVITY (customers, carts and orders generated on every core), SPLIT (activity → users, carts, orders), INDEXES. ' +
    'Crunch: AGGREGATE (the pipeline, slice by slice of customers), INDEXES. Reset: EMPTY (empty copies of the collections) or DROP.',
});

export enum PhaseState {
  PENDING = 'pending',
  RUNNING = 'running',
  DONE = 'done',
}
registerEnumType(PhaseState, { name: 'PhaseState' });

/** Seconds to the millisecond (0.459, not 0.45942864699999336). */
export const roundSeconds = (seconds: number): number => Math.round(seconds * 1000) / 1000;

@ObjectType()
export class PhaseProgress {
  @Field(() => JobPhase)
  phase!: JobPhase;

  @Field(() => String, { description: 'What done and total count: users, customers, indexes...' })
  unit!: string;

  @Field(() => PhaseState)
  state!: PhaseState;

  @Field(() => Int)
  done!: number;

  @Field(() => Int, { description: 'The size of the phase (0 until it knows it).' })
  total!: number;

  @Field(() => Float, { description: 'done / total, from 0 to 1 (1 once the phase is done).' })
  fraction!: number;

  @Field(() => Float, { description: 'Seconds spent in the phase so far, to the millisecond.' })
  seconds!: number;
}

@ObjectType()
export class JobError {
  @Field(() => String, { description: 'CANCELLED, FAILED, BAD_USER_INPUT, CONFLICT, UNAVAILABLE or INTERNAL.' })
  code!: string;

  @Field(() => String, { description: 'What happened, and for a cancelled or failed job what was left as it was.' })
  message!: string;
}

const TYPE_OF_KIND: Record<JobKind, string> = { seed: 'SeedJob', crunch: 'CrunchJob', reset: 'ResetJob' };

@InterfaceType({
  description: 'A long piece of work the server runs in the background (one at a time per database): poll it with job(id), stop it with cancelJob(id).',
  resolveType: (job: { kind: JobKind }) => TYPE_OF_KIND[job.kind],
})
export abstract class Job {
  @Field(() => ID)
  id!: string;

  @Field(() => JobKind)
  kind!: JobKind;

  @Field(() => JobStatus)
  status!: JobStatus;

  @Field(() => JobPhase, { nullable: true, description: 'The phase running now (null before the first, while the new data is swapped in, and once finished).' })
  phase!: JobPhase | null;

  @Field(() => [PhaseProgress], { description: 'Every phase of this job, in order.' })
  progress!: PhaseProgress[];

  @Field(() => Boolean, { description: 'Whether cancelJob can still stop it (not once its new data is being swapped in).' })
  cancellable!: boolean;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Float, { description: 'Seconds since it started (in all, once finished), to the millisecond.' })
  seconds!: number;

  @Field(() => JobError, { nullable: true, description: 'Why the job failed or was cancelled.' })
  error!: JobError | null;
}

/** The fields every kind shares, from a job's state. */
export function jobFields(job: JobModel): Job {
  const state = job.state;
  return {
    id: job.id,
    kind: job.kind as JobKind,
    status: state.status as JobStatus,
    phase: state.status === 'running' ? ((state.phase as JobPhase | undefined) ?? null) : null,
    progress: job.progress.map((p) => ({
      phase: p.name as JobPhase,
      unit: p.unit,
      state: p.state as PhaseState,
      done: p.done,
      total: p.total,
      fraction: p.state === 'done' ? 1 : p.total > 0 ? Math.min(1, p.done / p.total) : 0,
      seconds: roundSeconds(p.seconds),
    })),
    cancellable: job.cancellable,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt ?? null,
    seconds: roundSeconds(job.seconds),
    error: state.status === 'failed' || state.status === 'cancelled' ? state.error : null,
  };
}
