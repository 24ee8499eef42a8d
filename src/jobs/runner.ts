/**
 * The job runner: what every kind of job gets without declaring it.
 *
 *   startJob(definition, plan)   takes the database's job lock (CONFLICT if another job
 *                                holds it), finishes a swap a killed job left half-done and
 *                                drops stale staging collections, prepares the run (its
 *                                refusals reach the caller: no job is created), then runs it
 *                                in the background and returns the job at once.
 *   the run                      each phase in order, timed, its progress turned into events;
 *                                between phases and inside them, the job's abort signal
 *                                (a cancel, or the lock lost); then the commit (the swap of
 *                                swap.ts), after which a cancel is too late; then the result.
 *   a failure or a cancel        the job's staging collections are dropped and the lock
 *                                released before the job settles, so whoever sees it settled
 *                                can start the next job at once.
 *
 * The database side (lock, swap, staging) is a `JobHost`, so the runner itself is tested
 * without a database.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Database } from '../db/index.js';
import { AppError, ErrorCodes } from '../errors.js';
import { CancelRequest, errorInfo, Job, type JobListener, type SettledState } from './job.js';
import { acquireJobLock, type JobLock, type LockOptions } from './lock.js';
import { commitSwap, dropStaging, recoverSwap, stagingName, SwapIncompleteError, type Recovery, type SwapHooks, type SwapStep } from './swap.js';
import type { JobDefinition, JobEnv, JobKind, JobRun, ProgressDetail } from './types.js';

/** The database side of running jobs. */
export interface JobHost {
  /** The database's job lock, or the lock `lockId` of a job that runs beside others (types.ts `lockOf`). */
  acquireLock(kind: JobKind, jobId: string, lockId?: string): Promise<JobLock>;
  /** With the lock held: finishes a half-done swap, drops staging collections left behind. */
  recover(): Promise<Recovery>;
  /** Publishes a job's staging collections (swap.ts); a SwapIncompleteError once past the commit point. */
  commit(jobId: string, steps: readonly SwapStep[]): Promise<void>;
  /** After a failure or a cancel: drops the job's staging collections. */
  discard(jobId: string): Promise<void>;
  staging(jobId: string, name: string): string;
}

/** A job id's part in staging names (short: collection names have a length limit). */
export function stagingIdOf(jobId: string): string {
  return jobId.replace(/-/g, '').slice(0, 12);
}

export interface DatabaseHostOptions {
  lock?: LockOptions;
  /** Test hooks of the swap (failure injection); never set in production. */
  swapHooks?: SwapHooks;
}

/** The host of jobs on a MongoDB database (the lock in `datadragon_jobs`, staging names, swaps). */
export function databaseHost(db: Db, options: DatabaseHostOptions = {}): JobHost {
  return {
    acquireLock: (kind, jobId, lockId) => acquireJobLock(db, kind, jobId, { ...options.lock, ...(lockId === undefined ? {} : { id: lockId }) }),
    recover: () => recoverSwap(db),
    commit: (jobId, steps) => commitSwap(db, jobId, steps, options.swapHooks),
    discard: async (jobId) => void (await dropStaging(db, { of: stagingIdOf(jobId) })),
    staging: (jobId, name) => stagingName(stagingIdOf(jobId), name),
  };
}

export interface StartOptions {
  database: Database;
  /** Default: `databaseHost(database.db)`. */
  host?: JobHost;
  /** Whether the database server keeps its data in this machine's memory (default false). */
  holdsDataInMemory?: boolean;
  /** Where cleanup problems are told (default: stderr). */
  log?: (line: string) => void;
  /** Told every event of the job, from its first. */
  onEvent?: JobListener<unknown>;
}

/** A job that settled FAILED keeps the error that failed it, for library callers to rethrow. */
const failures = new WeakMap<object, unknown>();

/** The error a failed job settled with (the original one: its class, its cause). */
export function failureOf<Plan, Result>(job: Job<Plan, Result>): unknown {
  return failures.get(job);
}

/**
 * Starts a job of `definition` for `plan` (already parsed): resolves once it runs, with the
 * job; rejects (and creates nothing) on CONFLICT or when `prepare` refuses.
 */
export async function startJob<Plan, Result>(definition: JobDefinition<unknown, Plan, Result>, plan: Plan, options: StartOptions): Promise<Job<Plan, Result>> {
  const host = options.host ?? databaseHost(options.database.db);
  const log = options.log ?? ((line: string) => console.error(line));
  const id = randomUUID();
  const lockId = definition.lockOf?.(plan);
  const lock = lockId === undefined ? await host.acquireLock(definition.kind, id) : await host.acquireLock(definition.kind, id, lockId);
  let run: JobRun<Result>;
  try {
    // A job beside others must not drop their staging collections: only the database's lock holder recovers.
    if (lockId === undefined) {
      const recovery = await host.recover();
      if (recovery.finished) log(`datadragon: finished the swap of job ${recovery.finished}, which had stopped half-way`);
    }
    const env: JobEnv = {
      database: options.database,
      jobId: id,
      staging: (name) => host.staging(id, name),
      holdsDataInMemory: options.holdsDataInMemory ?? false,
      detachLock: () => lock.detach(),
    };
    run = await definition.prepare(plan, env);
  } catch (error) {
    await lock.release();
    throw error;
  }
  const job = new Job<Plan, Result>(id, definition.kind, plan, run.phases);
  if (options.onEvent) job.subscribe(options.onEvent);
  void execute(job, run, lock, host, log);
  return job;
}

async function execute<Plan, Result>(job: Job<Plan, Result>, run: JobRun<Result>, lock: JobLock, host: JobHost, log: (line: string) => void): Promise<void> {
  const onLost = (): void => job.abort(lock.lost.reason as Error);
  lock.lost.addEventListener('abort', onLost, { once: true });
  let committed = false;
  let phaseAtStop: string | undefined;
  let final: SettledState<Result>;
  try {
    for (const phase of run.phases) {
      job.signal.throwIfAborted();
      phaseAtStop = phase.name;
      const enteredAt = performance.now();
      job.emit({ type: 'phase', phase: phase.name, unit: phase.unit, total: phase.total });
      job.signal.throwIfAborted(); // a listener of the event may have cancelled
      let total = phase.total;
      let detail: ProgressDetail = {};
      await phase.run({
        signal: job.signal,
        progress: (done, newTotal, newDetail) => {
          if (newTotal !== undefined) total = newTotal;
          if (newDetail !== undefined) detail = newDetail;
          job.emit({ type: 'progress', phase: phase.name, done, total, detail });
        },
      });
      job.emit({ type: 'phase-done', phase: phase.name, seconds: (performance.now() - enteredAt) / 1000 });
    }
    job.signal.throwIfAborted(); // a cancel during the last phase, which ended anyway
    phaseAtStop = undefined;
    const steps = run.commit();
    job.emit({ type: 'commit' });
    if (steps.length > 0) {
      await lock.assertHeld();
      try {
        await host.commit(job.id, steps);
      } catch (error) {
        if (!(error instanceof SwapIncompleteError)) throw error;
        committed = true;
        // Past the commit point: finish the swap now (the next job would, otherwise).
        await host.recover().catch(() => {
          throw error;
        });
      }
    }
    committed = true;
    final = { status: 'succeeded', result: await run.result(job.times()) };
  } catch (error) {
    final = await failed(job, run, error, { committed, phase: phaseAtStop, host, log });
  } finally {
    lock.lost.removeEventListener('abort', onLost);
  }
  await lock.release();
  job.emit({ type: 'settled', state: final });
}

async function failed<Result>(
  job: Job<unknown, Result>,
  run: JobRun<Result>,
  error: unknown,
  context: { committed: boolean; phase: string | undefined; host: JobHost; log: (line: string) => void },
): Promise<SettledState<Result>> {
  if (!context.committed) {
    await context.host.discard(job.id).catch((cause: unknown) => {
      context.log(`datadragon: could not drop the staging collections of job ${job.id} (${(cause as Error).message}); the next job drops them`);
    });
    await run.discard?.().catch((cause: unknown) => {
      context.log(`datadragon: could not remove what job ${job.id} wrote (${(cause as Error).message}); running it again replaces it`);
    });
  }
  const reason: unknown = job.signal.aborted ? job.signal.reason : undefined;
  if (reason instanceof CancelRequest && !context.committed) {
    const untouched = await run.untouched?.().catch(() => undefined);
    const during = context.phase ? ` during ${context.phase}` : '';
    const message = `the ${job.kind} was cancelled${during}; ${untouched ?? 'the previous data is untouched'}`;
    return { status: 'cancelled', error: { code: ErrorCodes.CANCELLED, message } };
  }
  // A lost lock is why the phase failed, whatever it threw on its way out.
  const cause = reason instanceof Error && !(reason instanceof CancelRequest) ? reason : error;
  failures.set(job, cause);
  return { status: 'failed', error: errorInfo(cause) };
}

/** Awaits a started job: its result, or the error it failed with (an AppError CANCELLED for a cancel). */
export async function outcomeOf<Result>(job: Job<unknown, Result>): Promise<Result> {
  const state = await job.settled;
  if (state.status === 'succeeded') return state.result;
  if (state.status === 'cancelled') throw new AppError(ErrorCodes.CANCELLED, state.error.message);
  throw failureOf(job) ?? new AppError(ErrorCodes.FAILED, state.error.message);
}
