/**
 * One datadragon job (seed, crunch, reset) at a time per database, across processes and
 * hosts: a lock document in `datadragon_jobs`, kept alive by a heartbeat. Works the same on a
 * real MongoDB. Times are the server's (`$$NOW`), so clocks of different hosts never matter.
 *
 * Taking the lock is one atomic write, never a read followed by a write:
 *   - `insertOne` of the lock document: it succeeds for exactly one of concurrent acquirers;
 *   - when a holder exists but is gone (its heartbeat older than `staleMs`, or, on this host,
 *     its process dead), an update conditioned on that holder's token: it succeeds for
 *     exactly one of concurrent takers; the others see a lock that is not theirs.
 * A lock is only ever returned after one of those writes succeeded for this caller.
 *
 * A held lock watches itself: a heartbeat that finds the document no longer ours (someone
 * took it over), or that cannot reach the server for longer than the others wait before
 * taking over, aborts `lost`. The runner aborts its job on it.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from 'mongodb';
import { AppError, ErrorCodes } from '../errors.js';
import { type BeatAnswer, holderIsGone, lostReason, processIsAlive } from './heartbeat.js';
import type { JobKind } from './types.js';

export const JOBS_COLLECTION = 'datadragon_jobs';
const DATABASE_LOCK_ID = 'job';

export const LOCK_DEFAULTS = Object.freeze({ heartbeatMs: 2_000, staleMs: 15_000 });

export interface LockDoc {
  /** `job` for the database's lock; another id for a lock of its own (a part of a seed: `part:…`). */
  _id: string;
  kind: JobKind;
  job: string;
  token: string;
  pid: number;
  host: string;
  startedAt: Date;
  heartbeatAt: Date;
}

export type LockHolder = Pick<LockDoc, 'kind' | 'job' | 'pid' | 'host' | 'startedAt'>;

export class JobConflictError extends AppError {
  override name = 'JobConflictError';
  constructor(wanted: JobKind, running: LockHolder) {
    super(
      ErrorCodes.CONFLICT,
      `cannot ${wanted === 'reset' ? 'reset the database' : `start a ${wanted}`}: a ${running.kind} is running (pid ${running.pid} on ${running.host}, since ${running.startedAt.toISOString()}); wait for it to finish, or cancel it`,
      { running: running.kind, job: running.job },
    );
  }
}

export class LockLostError extends AppError {
  override name = 'LockLostError';
  constructor(reason: string) {
    super(ErrorCodes.FAILED, `the job lost its lock on the database (${reason}) and stopped`);
  }
}

export interface JobLock {
  readonly kind: JobKind;
  readonly token: string;
  /** Aborted (with a LockLostError) when the lock is no longer this job's. */
  readonly lost: AbortSignal;
  /** Checks with the server, now, that the lock is still ours; throws LockLostError if not. */
  assertHeld(): Promise<void>;
  /** Stops the heartbeat without releasing: for a job whose last act removes the lock with its database. */
  detach(): void;
  /** Deletes the lock if it is still ours (idempotent, never throws). */
  release(): Promise<void>;
}

export interface LockOptions {
  heartbeatMs?: number;
  staleMs?: number;
  /** Whether a process of this host still runs (default: `process.kill(pid, 0)`). */
  isAlive?: (pid: number) => boolean;
  /**
   * The lock's id: default the database's one lock (`job`). A job that runs beside others of
   * its kind (a part of a seed) takes a lock of its own id instead, so that no two processes
   * run the same one.
   */
  id?: string;
}

const isDuplicateKey = (error: unknown): boolean => (error as { code?: number }).code === 11000;

/** The job holding the lock of this database, if any (a stale lock counts: it is still there). */
export async function readJobLock(db: Db): Promise<LockDoc | null> {
  return db.collection<LockDoc>(JOBS_COLLECTION).findOne({ _id: DATABASE_LOCK_ID });
}

/**
 * Locks held now (their heartbeat younger than `staleMs`, by the server's clock): the
 * database's lock (`job`), or with `prefix`, every lock whose id starts with it.
 */
export async function liveLocks(db: Db, which: { prefix: string } | 'job', staleMs: number = LOCK_DEFAULTS.staleMs): Promise<LockDoc[]> {
  const locks = await db
    .collection<LockDoc>(JOBS_COLLECTION)
    .find({ token: { $exists: true }, $expr: { $gte: ['$heartbeatAt', { $subtract: ['$$NOW', staleMs] }] } })
    .toArray();
  return locks.filter((lock) => (which === 'job' ? lock._id === DATABASE_LOCK_ID : lock._id.startsWith(which.prefix)));
}

/**
 * Takes the database's job lock for `kind` (job id `job`), or throws JobConflictError naming
 * the holder. A holder that is gone (dead process on this host, or no heartbeat for
 * `staleMs`) is taken over at once.
 */
export async function acquireJobLock(db: Db, kind: JobKind, job: string = randomBytes(6).toString('hex'), options: LockOptions = {}): Promise<JobLock> {
  const { heartbeatMs, staleMs } = { ...LOCK_DEFAULTS, ...options };
  const isAlive = options.isAlive ?? processIsAlive;
  const lockId = options.id ?? DATABASE_LOCK_ID;
  const jobs = db.collection<LockDoc>(JOBS_COLLECTION);
  const token = randomBytes(12).toString('hex');
  const identity = { kind, job, token, pid: process.pid, host: os.hostname() };
  // Pipeline updates: `$$NOW` is the server's clock.
  const claim = [{ $set: { ...identity, startedAt: '$$NOW', heartbeatAt: '$$NOW' } }];

  for (let attempt = 0; attempt < 5; attempt++) {
    const inserted = await jobs.updateOne({ _id: lockId, token: { $exists: false } }, claim, { upsert: true }).then(
      (result) => result.upsertedCount === 1,
      (error: unknown) => {
        if (isDuplicateKey(error)) return false;
        throw error;
      },
    );
    if (inserted) return holdLock(db, lockId, identity, { heartbeatMs, staleMs });

    const holder = await jobs.findOne({ _id: lockId });
    if (!holder) continue; // released in between: try again
    const gone = holderIsGone(holder, os.hostname(), isAlive);
    const condition = gone ? {} : { $expr: { $lt: ['$heartbeatAt', { $subtract: ['$$NOW', staleMs] }] } };
    const taken = await jobs.updateOne({ _id: lockId, token: holder.token, ...condition }, claim);
    if (taken.modifiedCount === 1) return holdLock(db, lockId, identity, { heartbeatMs, staleMs });
    // Not stale, or someone else changed the lock first: a live holder means conflict.
    const now = await jobs.findOne({ _id: lockId });
    if (now && now.token === holder.token) throw new JobConflictError(kind, now);
    if (now) {
      if (!holderIsGone(now, os.hostname(), isAlive)) throw new JobConflictError(kind, now);
    }
  }
  const holder = await jobs.findOne({ _id: lockId });
  throw holder ? new JobConflictError(kind, holder) : new AppError(ErrorCodes.CONFLICT, `cannot start a ${kind}: the job lock keeps changing hands; try again`);
}

function holdLock(
  db: Db,
  lockId: string,
  identity: Pick<LockDoc, 'kind' | 'job' | 'token'>,
  { heartbeatMs, staleMs }: { heartbeatMs: number; staleMs: number },
): JobLock {
  const jobs = db.collection<LockDoc>(JOBS_COLLECTION);
  const controller = new AbortController();
  const lose = (reason: string): void => {
    if (!controller.signal.aborted) controller.abort(new LockLostError(reason));
    stop();
  };
  let lastBeat = performance.now();
  let beating = false;
  const beat = async (): Promise<void> => {
    if (beating || controller.signal.aborted) return;
    beating = true;
    try {
      const answer = await jobs.updateOne({ _id: lockId, token: identity.token }, [{ $set: { heartbeatAt: '$$NOW' } }]).then(
        (result): BeatAnswer => ({ matched: result.matchedCount > 0 }),
        (error: unknown): BeatAnswer => ({ error: error as Error }),
      );
      const reason = lostReason(answer, performance.now() - lastBeat, { heartbeatMs, staleMs });
      if (reason !== undefined) lose(reason);
      else if ('matched' in answer) lastBeat = performance.now();
    } finally {
      beating = false;
    }
  };
  const timer = setInterval(() => void beat(), heartbeatMs);
  timer.unref();
  let stopped = false;
  function stop(): void {
    stopped = true;
    clearInterval(timer);
  }
  let released: Promise<void> | undefined;
  return {
    kind: identity.kind,
    token: identity.token,
    lost: controller.signal,
    async assertHeld() {
      if (controller.signal.aborted) throw controller.signal.reason as Error;
      const mine = await jobs.findOne({ _id: lockId, token: identity.token }, { projection: { _id: 1 } });
      if (!mine) {
        lose('another job took it over, or it was deleted');
        throw controller.signal.reason as Error;
      }
    },
    detach() {
      if (!stopped) stop();
    },
    release() {
      stop();
      released ??= jobs.deleteOne({ _id: lockId, token: identity.token }).then(
        () => undefined,
        () => undefined,
      );
      return released;
    },
  };
}
