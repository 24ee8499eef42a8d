/**
 * The server's seed jobs: `seedDatabase` started in the background (the GraphQL mutation
 * returns at once), its progress kept per phase for `seedJob(id)` to report, and stopped
 * cleanly on cancel or shutdown (its AbortSignal aborted, its promise awaited, so the workers
 * are gone and the job lock released before the database closes).
 *
 * One job at a time per database: a second start while one runs here, or while another
 * process holds the database's job lock (`job-lock.ts`), is a CONFLICT.
 *
 * Lifecycle of a job (transitions only in `SeedJob#settle`):
 *   running → succeeded | failed | cancelled
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { readConfigFile, resolveOptions } from '../config.js';
import type { Database } from '../db/connection.js';
import { AppError, ErrorCodes } from '../errors.js';
import { checkMemory, planSeed, SEED_PHASES, SeedOptionsSchema, seedDatabase, type SeedCounts, type SeedOptionsInput, type SeedPhase, type SeedPlan, type SeedProgress, type SeedRunOptions, type SeedSummary } from '../seeding/index.js';
import { JobConflictError, runningJob, type JobKind } from './job-lock.js';

export type SeedJobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface PhaseProgress {
  phase: SeedPhase;
  state: 'pending' | 'running' | 'done';
  done: number;
  /** 0 until the phase reports its size. */
  total: number;
  /** Seconds spent in the phase so far (final once done). */
  seconds: number;
}

export interface JobErrorInfo {
  /** The AppError code (BAD_USER_INPUT, CONFLICT, FAILED...) or INTERNAL. */
  code: string;
  message: string;
}

/** The state of a job, tagged by status: what a job is at any moment. */
export type SeedJobState =
  | { status: 'running'; phase: SeedPhase | undefined }
  | { status: 'succeeded'; summary: SeedSummary }
  | { status: 'failed'; error: JobErrorInfo }
  | { status: 'cancelled'; error: JobErrorInfo };

type SeedFn = (database: Database, plan: SeedPlan, options: SeedRunOptions) => Promise<SeedSummary>;

export class SeedJob {
  readonly id = randomUUID();
  readonly startedAt = new Date();
  private finished: Date | undefined;
  private current: SeedJobState = { status: 'running', phase: undefined };
  private readonly phases = new Map<SeedPhase, PhaseProgress & { enteredAt: number }>();
  private readonly controller = new AbortController();
  private writtenSoFar: Omit<SeedCounts, 'products'> = { users: 0, carts: 0, orders: 0 };
  /** Settles when the job has stopped (never rejects). */
  readonly settled: Promise<void>;

  constructor(
    readonly plan: SeedPlan,
    run: (options: SeedRunOptions) => Promise<SeedSummary>,
  ) {
    const initialTotals: Record<SeedPhase, number> = { products: plan.products, activity: plan.users, split: 0, indexes: 0 };
    for (const phase of SEED_PHASES) this.phases.set(phase, { phase, state: 'pending', done: 0, total: initialTotals[phase], seconds: 0, enteredAt: 0 });
    this.settled = run({
      signal: this.controller.signal,
      onPhase: (phase) => this.enter(phase),
      onProgress: (progress) => this.record(progress),
    }).then(
      (summary) => this.settle({ status: 'succeeded', summary }),
      (error: unknown) => {
        const info = errorInfo(error);
        this.settle(this.controller.signal.aborted ? { status: 'cancelled', error: info } : { status: 'failed', error: info });
      },
    );
  }

  get state(): SeedJobState {
    return this.current;
  }

  get status(): SeedJobStatus {
    return this.current.status;
  }

  get finishedAt(): Date | undefined {
    return this.finished;
  }

  /** Documents the workers have written so far (users, carts, orders). */
  get written(): Omit<SeedCounts, 'products'> {
    return { ...this.writtenSoFar };
  }

  /** Every phase, in order, with its progress and time. */
  get progress(): PhaseProgress[] {
    const now = performance.now();
    return SEED_PHASES.map((phase) => {
      const { enteredAt, ...entry } = this.phases.get(phase)!;
      return entry.state === 'running' ? { ...entry, seconds: (now - enteredAt) / 1000 } : entry;
    });
  }

  /** Asks the job to stop; it settles as `cancelled` once its workers are gone. */
  cancel(): void {
    if (this.current.status === 'running') this.controller.abort();
  }

  private enter(phase: SeedPhase): void {
    const now = performance.now();
    for (const entry of this.phases.values()) {
      if (entry.state === 'running') {
        entry.state = 'done';
        entry.seconds = (now - entry.enteredAt) / 1000;
      }
    }
    const entry = this.phases.get(phase)!;
    entry.state = 'running';
    entry.enteredAt = now;
    if (this.current.status === 'running') this.current = { status: 'running', phase };
  }

  private record(update: SeedProgress): void {
    const entry = this.phases.get(update.phase)!;
    entry.done = update.done;
    entry.total = update.total;
    this.writtenSoFar = { ...update.written };
  }

  private settle(next: Exclude<SeedJobState, { status: 'running' }>): void {
    if (this.current.status !== 'running') return;
    const now = performance.now();
    for (const entry of this.phases.values()) {
      if (entry.state === 'running') {
        entry.seconds = (now - entry.enteredAt) / 1000;
        // A phase that was running when the job failed is left as it was, not "done".
        if (next.status === 'succeeded') entry.state = 'done';
      }
    }
    if (next.status === 'succeeded') {
      for (const phase of SEED_PHASES) {
        const entry = this.phases.get(phase)!;
        entry.seconds = next.summary.seconds[phase];
        entry.state = 'done';
      }
    }
    this.current = next;
    this.finished = new Date();
  }
}

function errorInfo(error: unknown): JobErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export interface SeedJobRegistryOptions {
  /** Whether the backend keeps the data in this machine's memory (the embedded engine): seeds too big for it are refused. */
  backendHoldsData: boolean;
  /** Finished jobs kept for `seedJobs` (default 20). */
  keepFinished?: number;
  /** The seeding service (tests may pass a fake); default `seedDatabase`. */
  seed?: SeedFn;
  /** Environment and config file for option defaults (DATADRAGON_USERS...); default process.env and ./datadragon.config.json. */
  env?: NodeJS.ProcessEnv;
  configFile?: Record<string, unknown>;
}

/** Where GraphQL input fields are named in messages (`input.maxOrders`, not `--max-orders`). */
const INPUT_FIELD_NAMES = Object.fromEntries(Object.keys(SeedOptionsSchema.shape).map((key) => [key, `input.${key}`]));

export class SeedJobRegistry {
  private readonly jobs = new Map<string, SeedJob>();
  private readonly seed: SeedFn;
  private closed = false;

  constructor(
    private readonly database: Database,
    private readonly options: SeedJobRegistryOptions,
  ) {
    this.seed = options.seed ?? seedDatabase;
  }

  /**
   * Validates the options (input, then DATADRAGON_* environment, then the config file, then
   * defaults), refuses a conflicting or oversized seed, and starts it in the background.
   */
  async start(input: SeedOptionsInput = {}): Promise<SeedJob> {
    if (this.closed) throw new AppError(ErrorCodes.UNAVAILABLE, 'the server is shutting down: no new jobs are started');
    // An explicit null means "not given", like an absent field.
    const flags = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
    const options = resolveOptions(SeedOptionsSchema, {
      flags,
      ...(this.options.env ? { env: this.options.env } : {}),
      file: this.options.configFile ?? readConfigFile(),
      flagNames: INPUT_FIELD_NAMES,
    });
    const plan = planSeed(options);
    checkMemory(plan, this.options.backendHoldsData);
    await this.assertIdle('seed');
    const job = new SeedJob(plan, (run) => this.seed(this.database, plan, run));
    this.jobs.set(job.id, job);
    this.forgetOldJobs();
    return job;
  }

  get(id: string): SeedJob | undefined {
    return this.jobs.get(id);
  }

  /** Newest first. */
  list(): SeedJob[] {
    return [...this.jobs.values()].reverse();
  }

  running(): SeedJob | undefined {
    return [...this.jobs.values()].find((job) => job.status === 'running');
  }

  /**
   * Throws CONFLICT when a seed runs in this server or any job (seed, crunch, reset) holds
   * the database's lock: called before a seed, a crunch or a reset is started.
   */
  async assertIdle(wanted: JobKind): Promise<void> {
    const mine = this.running();
    if (mine) throw new JobConflictError(wanted, { kind: 'seed', pid: process.pid, host: os.hostname(), startedAt: mine.startedAt });
    const other = await runningJob(this.database.db);
    if (other) throw new JobConflictError(wanted, other);
  }

  /** Cancels a running job (no effect on a finished one); NOT_FOUND for an unknown id. */
  cancel(id: string): SeedJob {
    const job = this.jobs.get(id);
    if (!job) throw new AppError(ErrorCodes.NOT_FOUND, `no seed job with id ${JSON.stringify(id)} (finished jobs are kept until the server restarts)`);
    job.cancel();
    return job;
  }

  /**
   * Shutdown: refuses new jobs, cancels running ones and waits until they have stopped
   * (workers killed, lock released), at most `timeoutMs`. Resolves with the jobs that did
   * not stop in time (none, normally).
   */
  async stopAll(timeoutMs = 30_000): Promise<SeedJob[]> {
    this.closed = true;
    const running = [...this.jobs.values()].filter((job) => job.status === 'running');
    for (const job of running) job.cancel();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.all(running.map((job) => job.settled)), timeout]);
    clearTimeout(timer);
    return running.filter((job) => job.status === 'running');
  }

  private forgetOldJobs(): void {
    const keep = this.options.keepFinished ?? 20;
    const finished = [...this.jobs.values()].filter((job) => job.status !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - keep))) this.jobs.delete(job.id);
  }
}
