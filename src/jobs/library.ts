/**
 * The jobs as library calls (the library surface of docs/ARCHITECTURE.md §1): each starts the
 * job, waits for it and returns its result, or throws what failed it (an AppError CANCELLED
 * when `signal` stopped it). Same lock, staging and swap as the CLI's and the server's jobs.
 *
 *   const summary = await seedDatabase(database, parseSeedOptions({ users: 5000, seed: 1 }));
 *   // a seed in parts (each call may run in another process or on another machine), then its finish:
 *   await seedDatabase(database, planRun(parseSeedOptions({ users: 5000, seed: 1 }), { part: '1/2' }));
 *   await seedDatabase(database, planRun(parseSeedOptions({ users: 5000, seed: 1 }), { finish: true }));
 *   const result = await crunchSpending(database, { year: 2025 });
 */
import type { Database } from '../db/index.js';
import type { ResetResult, SeedPlan, SeedSummary, WrittenCounts } from '../seeding/index.js';
import type { CrunchResult } from '../spending/index.js';
import type { JobListener } from './job.js';
import { crunchJob, type CrunchInput } from './kinds/crunch.js';
import { resetJob } from './kinds/reset.js';
import { seedJob } from './kinds/seed.js';
import { outcomeOf, startJob, type StartOptions } from './runner.js';
import type { JobDefinition } from './types.js';

export interface RunOptions extends Omit<StartOptions, 'database'> {
  /** Cancels the job when aborted. */
  signal?: AbortSignal;
}

/** A phase's progress, as the callbacks of the library calls see it. */
export interface PhaseReport {
  phase: string;
  done: number;
  total: number;
}

/** Starts a job of `definition` for `plan`, waits for it, and returns its result. */
export async function runJob<Plan, Result>(
  database: Database,
  definition: JobDefinition<unknown, Plan, Result>,
  plan: Plan,
  options: RunOptions = {},
): Promise<Result> {
  options.signal?.throwIfAborted();
  const { signal, ...start } = options;
  const job = await startJob(definition, plan, { ...start, database });
  const cancel = (): void => void job.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await outcomeOf(job);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/** `onProgress` from the job's events: every phase start (done 0) and report. */
function progressListener<T>(
  onProgress: ((report: PhaseReport & T) => void) | undefined,
  extra: (detail: Record<string, number>) => T,
): JobListener<unknown> | undefined {
  if (!onProgress) return undefined;
  return (event) => {
    if (event.type === 'phase') onProgress({ phase: event.phase, done: 0, total: event.total, ...extra({}) });
    if (event.type === 'progress') onProgress({ phase: event.phase, done: event.done, total: event.total, ...extra(event.detail) });
  };
}

export interface SeedRunOptions extends RunOptions {
  onProgress?: (progress: PhaseReport & { written: WrittenCounts }) => void;
}

/** Seeds `database` with `plan` (see `parseSeedOptions`), replacing the previous dataset at once at the end. */
export async function seedDatabase(database: Database, plan: SeedPlan, options: SeedRunOptions = {}): Promise<SeedSummary> {
  const { onProgress, ...rest } = options;
  let written: WrittenCounts = { users: 0, carts: 0, orders: 0 };
  const onEvent = progressListener(onProgress, (detail) => {
    if ('users' in detail) written = { users: detail.users ?? 0, carts: detail.carts ?? 0, orders: detail.orders ?? 0 };
    return { written };
  });
  return runJob(database, seedJob, plan, { ...rest, ...(onEvent ? { onEvent } : {}) });
}

export interface CrunchRunOptions extends RunOptions, CrunchInput {
  onProgress?: (progress: PhaseReport) => void;
}

/** Crunches one year into `customer_spending` (or refreshes it, with `since`). */
export async function crunchSpending(database: Database, options: CrunchRunOptions = {}): Promise<CrunchResult> {
  const { onProgress, year, since, ...rest } = options;
  const request = crunchJob.parse({ year: year ?? null, since: since ?? null });
  const onEvent = progressListener(onProgress, () => ({}));
  return runJob(database, crunchJob, request, { ...rest, ...(onEvent ? { onEvent } : {}) });
}

/** Empties every datadragon collection (indexes kept), or drops the database with `drop`. */
export async function resetDatabase(database: Database, options: RunOptions & { drop?: boolean } = {}): Promise<ResetResult> {
  const { drop, ...rest } = options;
  return runJob(database, resetJob, resetJob.parse({ drop: drop ?? false }), rest);
}
