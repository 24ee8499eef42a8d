/**
 * The server's jobs: started in the background by the GraphQL mutations (which answer at
 * once), kept for `job(id)` and `jobs` to report, cancelled on request, and stopped cleanly on
 * shutdown (cancelled, then awaited: workers gone, staging dropped, lock released, before
 * the database closes). One job at a time per database: the job lock says so, whichever
 * process holds it.
 */
import { readConfigFile } from '../config.js';
import type { Database } from '../db/index.js';
import { AppError, ErrorCodes } from '../errors.js';
import { SeedOptionsSchema } from '../seeding/index.js';
import type { Job } from './job.js';
import { JOB_DEFINITIONS } from './kinds/index.js';
import { type JobHost, startJob } from './runner.js';
import type { JobKind } from './types.js';

export interface JobRegistryOptions {
  /** Whether the backend keeps the data in this machine's memory (seeding/memory.ts): seeds too big for it are refused. */
  holdsDataInMemory: boolean;
  /** Finished jobs kept for `jobs` (default 20). */
  keepFinished?: number;
  /** Environment and config file for the seed options' defaults (DATADRAGON_USERS...); default process.env and ./datadragon.config.json. */
  env?: NodeJS.ProcessEnv;
  configFile?: Record<string, unknown>;
  /** The database side of jobs (tests inject failures there); default the database's. */
  host?: JobHost;
  log?: (line: string) => void;
}

/** GraphQL input fields are named as such in messages (`input.maxOrders`, not `--max-orders`). */
const INPUT_FIELD_NAMES = Object.fromEntries([...Object.keys(SeedOptionsSchema.shape), 'part', 'finish', 'shard'].map((key) => [key, `input.${key}`]));

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private closed = false;

  constructor(
    private readonly database: Database,
    private readonly options: JobRegistryOptions,
  ) {}

  /**
   * Parses the input (for a seed: input, then DATADRAGON_* environment, then the config
   * file, then defaults), takes the job lock (CONFLICT when another job holds it), checks
   * what needs the database, and starts the job in the background.
   */
  async start(kind: JobKind, input: unknown = {}): Promise<Job> {
    if (this.closed) throw new AppError(ErrorCodes.UNAVAILABLE, 'the server is shutting down: no new jobs are started');
    const definition = JOB_DEFINITIONS[kind];
    const { env, configFile } = this.options;
    const plan: unknown = definition.parse(input ?? {}, {
      ...(env ? { env } : {}),
      // Read only by the kinds that take options from it (a seed), so that a broken file fails only them.
      get file() {
        return configFile ?? readConfigFile();
      },
      flagNames: INPUT_FIELD_NAMES,
    });
    const job = await startJob(definition, plan, {
      database: this.database,
      holdsDataInMemory: this.options.holdsDataInMemory,
      ...(this.options.host ? { host: this.options.host } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    this.jobs.set(job.id, job as Job);
    this.forgetOldJobs();
    return job as Job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Newest first; of one kind when given. */
  list(kind?: JobKind): Job[] {
    return [...this.jobs.values()].reverse().filter((job) => kind === undefined || job.kind === kind);
  }

  running(): Job | undefined {
    return [...this.jobs.values()].find((job) => job.status === 'running');
  }

  /** Cancels a job (a finished one, or one already swapping its data in, is returned as it is); NOT_FOUND for an unknown id. */
  cancel(id: string): Job {
    const job = this.jobs.get(id);
    if (!job)
      throw new AppError(
        ErrorCodes.NOT_FOUND,
        `no job with id ${JSON.stringify(id)} in this server (finished jobs are kept until it restarts, the last ${this.options.keepFinished ?? 20})`,
      );
    job.cancel();
    return job;
  }

  /**
   * Shutdown: refuses new jobs, cancels running ones and waits until they have stopped, at
   * most `timeoutMs`. Resolves with the jobs that did not stop in time (none, normally).
   */
  async stopAll(timeoutMs = 30_000): Promise<Job[]> {
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
