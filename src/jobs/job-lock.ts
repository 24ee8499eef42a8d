/**
 * One datadragon job (seed, crunch, reset) at a time per database, across processes: a lock
 * document in `datadragon_jobs`, kept alive by a heartbeat. A lock whose heartbeat stopped
 * (its process died) is stale and taken over. Works the same on a real MongoDB.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from 'mongodb';
import { AppError, ErrorCodes } from '../errors.js';

export const JOBS_COLLECTION = 'datadragon_jobs';
const LOCK_ID = 'job';
const HEARTBEAT_MS = 2_000;
const STALE_MS = 15_000;

export type JobKind = 'seed' | 'crunch' | 'reset';

interface LockDoc {
  _id: string;
  kind: JobKind;
  token: string;
  pid: number;
  host: string;
  startedAt: Date;
  heartbeatAt: Date;
}

export class JobConflictError extends AppError {
  override name = 'JobConflictError';
  constructor(wanted: JobKind, running: Pick<LockDoc, 'kind' | 'pid' | 'host' | 'startedAt'>) {
    super(
      ErrorCodes.CONFLICT,
      `cannot ${wanted === 'reset' ? 'reset the database' : `start a ${wanted}`}: a ${running.kind} is running (pid ${running.pid} on ${running.host}, since ${running.startedAt.toISOString()}); wait for it to finish`,
      { running: running.kind },
    );
  }
}

export interface JobLock {
  readonly kind: JobKind;
  release(): Promise<void>;
}

/** The job running on this database, if any (ignoring stale locks). */
export async function runningJob(db: Db): Promise<LockDoc | undefined> {
  const doc = await db.collection<LockDoc>(JOBS_COLLECTION).findOne({ _id: LOCK_ID });
  if (!doc || Date.now() - doc.heartbeatAt.getTime() > STALE_MS) return undefined;
  return doc;
}

export async function acquireJobLock(db: Db, kind: JobKind): Promise<JobLock> {
  const jobs = db.collection<LockDoc>(JOBS_COLLECTION);
  const token = randomBytes(12).toString('hex');
  const now = new Date();
  const mine: LockDoc = { _id: LOCK_ID, kind, token, pid: process.pid, host: os.hostname(), startedAt: now, heartbeatAt: now };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await jobs.insertOne(mine);
      break;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const current = await jobs.findOne({ _id: LOCK_ID });
      if (!current) continue;
      if (Date.now() - current.heartbeatAt.getTime() <= STALE_MS) throw new JobConflictError(kind, current);
      // Stale: take it over only if nobody else did in between.
      await jobs.deleteOne({ _id: LOCK_ID, token: current.token });
      if (attempt === 2) throw new JobConflictError(kind, current);
    }
  }
  const timer = setInterval(() => {
    void jobs.updateOne({ _id: LOCK_ID, token }, { $set: { heartbeatAt: new Date() } }).catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  let released = false;
  return {
    kind,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await jobs.deleteOne({ _id: LOCK_ID, token }).catch(() => undefined);
    },
  };
}
