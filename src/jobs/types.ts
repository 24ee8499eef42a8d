/**
 * The vocabulary of jobs. A kind of job (seed, crunch, reset) is declared once, as a
 * `JobDefinition`: how its input is parsed, and, for one plan, its phases (each a name, a
 * unit, a size, and a `run` given a progress callback and an abort signal), the swap that
 * publishes what the phases built, its result, and what a failure leaves in place. The
 * runner (runner.ts) does the rest for every kind: the lock, the staging names, phase
 * timing, progress events, cancellation, cleanup and the commit.
 */
import type { Database } from '../db/index.js';
import type { SwapStep } from './swap.js';

export const JOB_KINDS = ['seed', 'crunch', 'reset'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type PhaseState = 'pending' | 'running' | 'done';

/** Counts a phase reports beside its progress (the documents written so far...). */
export type ProgressDetail = Readonly<Record<string, number>>;

export interface PhaseContext {
  /** Aborted when the job is cancelled or loses its lock: stop soon, throwing. */
  readonly signal: AbortSignal;
  /** `done` of `total` units (a new `total` when the phase learns its size), and counts worth showing. */
  progress(done: number, total?: number, detail?: ProgressDetail): void;
}

export interface Phase {
  readonly name: string;
  /** What `done` and `total` count, for people: "users", "customers", "indexes". */
  readonly unit: string;
  /** The size known before the phase runs (0 when it learns it while running). */
  readonly total: number;
  run(context: PhaseContext): Promise<void>;
}

/** Seconds per phase (by name) and of the whole job. */
export interface JobTimes {
  readonly phases: Readonly<Record<string, number>>;
  readonly total: number;
}

/** One job of a kind, for one plan: what `prepare` returns. */
export interface JobRun<Result> {
  readonly phases: readonly Phase[];
  /**
   * After the last phase: the swap that publishes the staged collections, in order (an
   * empty list publishes nothing). Once the runner has started it, the job can no longer be
   * cancelled.
   */
  commit(): readonly SwapStep[];
  /** The job's result, once the swap is done. */
  result(times: JobTimes): Promise<Result>;
  /** After a failure or a cancel: what was left as it was, in words (for the error message). */
  untouched?(): Promise<string>;
  /**
   * After a failure or a cancel before the commit: removes what the run wrote outside its
   * staging collections (a part of a seed writes its own collection and record).
   */
  discard?(): Promise<void>;
}

export interface JobEnv {
  readonly database: Database;
  readonly jobId: string;
  /** The staging name of `name` for this job (dropped by the runner unless the swap publishes it). */
  staging(name: string): string;
  /** Whether the database server keeps its data in this machine's memory (see seeding/memory.ts). */
  readonly holdsDataInMemory: boolean;
  /** Stops the lock's heartbeat: for a phase that removes the lock along with the database. */
  detachLock(): void;
}

/** Where option values come from besides the input itself (seed options: DATADRAGON_*, the config file). */
export interface OptionSources {
  env?: NodeJS.ProcessEnv;
  file?: Record<string, unknown>;
  /** How input fields are named in messages (`input.maxOrders` for GraphQL, `--max-orders` by default). */
  flagNames?: Record<string, string>;
}

export interface JobDefinition<Input, Plan, Result> {
  readonly kind: JobKind;
  /** Validates the caller's input into a plan, before any database is touched (BAD_USER_INPUT). */
  parse(input: Input, sources?: OptionSources): Plan;
  /**
   * Under the job lock, before the job exists: checks what needs the database (refusals
   * reach the caller as errors: no job is created) and builds the run.
   */
  prepare(plan: Plan, env: JobEnv): Promise<JobRun<Result>>;
  /**
   * For a plan that runs beside other jobs of its kind (a part of a seed, written while other
   * machines write theirs): the id of the lock it takes instead of the database's job lock.
   * Such a job skips the recovery of swaps and staging (which assumes no other job runs), so
   * it must stage nothing and commit no swap.
   */
  lockOf?(plan: Plan): string | undefined;
}

/** Any definition, whatever its types (for registries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any, any, any>;
