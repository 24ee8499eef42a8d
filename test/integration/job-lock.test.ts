/**
 * The job lock against the test server: concurrent acquirers (exactly one wins), holders that
 * are gone (a dead process of this host: taken over at once; no heartbeat for `staleMs` from
 * another host: taken over; a live one: CONFLICT), and heartbeats that fail (the lock taken
 * over or deleted under a holder, the server out of reach): the holder's `lost` signal aborts.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireJobLock, JOBS_COLLECTION, JobConflictError, type JobLock, type LockDoc, LockLostError, readJobLock } from '../../src/jobs/index.js';
import { mongoUri, openTestDatabase, type TestDatabase } from '../helpers/database.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase('job_lock');
});
afterAll(async () => {
  await test.close();
});

const locks = () => test.db.collection<LockDoc>(JOBS_COLLECTION);

/** A pid that no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

function holder(overrides: Partial<LockDoc>): LockDoc {
  const now = new Date();
  return {
    _id: 'job',
    kind: 'seed',
    job: 'theirs',
    token: 'their-token',
    pid: process.pid,
    host: os.hostname(),
    startedAt: now,
    heartbeatAt: now,
    ...overrides,
  };
}

const untilAborted = (signal: AbortSignal, ms: number): Promise<unknown> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return resolve(signal.reason);
    const timer = setTimeout(() => reject(new Error(`not aborted within ${ms} ms`)), ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve(signal.reason)), { once: true });
  });

describe('the job lock', () => {
  it('goes to exactly one of many concurrent acquirers; the others are told who holds it', async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => acquireJobLock(test.db, i % 2 ? 'crunch' : 'reset', `job${i}`)));
    const won = attempts.filter((a): a is PromiseFulfilledResult<JobLock> => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
      expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(JobConflictError);
      expect(((attempt as PromiseRejectedResult).reason as Error).message).toMatch(new RegExp(`a ${won[0]!.value.kind} is running \\(pid ${process.pid} on `));
    }
    const doc = await readJobLock(test.db);
    expect(doc).toMatchObject({ kind: won[0]!.value.kind, token: won[0]!.value.token, pid: process.pid, host: os.hostname() });
    await won[0]!.value.release();
    expect(await readJobLock(test.db)).toBeNull();
  });

  it('goes to exactly one of concurrent takers of a stale lock', async () => {
    await locks().insertOne(holder({ host: 'another-host', heartbeatAt: new Date(Date.now() - 60_000) }));
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => acquireJobLock(test.db, 'crunch')));
    const won = attempts.filter((a): a is PromiseFulfilledResult<JobLock> => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'rejected').map((a) => (a as PromiseRejectedResult).reason)).toEqual(
      Array(7).fill(expect.any(JobConflictError)),
    );
    expect((await readJobLock(test.db))!.token).toBe(won[0]!.value.token);
    await won[0]!.value.release();
  });

  it('is taken over at once from a holder whose process of this host is gone (no 15 s wait)', async () => {
    await locks().insertOne(holder({ pid: deadPid() }));
    const started = Date.now();
    const lock = await acquireJobLock(test.db, 'seed');
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await readJobLock(test.db))!.token).toBe(lock.token);
    await lock.release();
  });

  it('is taken over from another host only once its heartbeat is older than staleMs', async () => {
    await locks().insertOne(holder({ host: 'another-host', heartbeatAt: new Date(Date.now() - 5_000) }));
    await expect(acquireJobLock(test.db, 'reset', 'mine', { staleMs: 30_000 })).rejects.toThrow(
      /cannot reset the database: a seed is running \(pid \d+ on another-host/,
    );
    const lock = await acquireJobLock(test.db, 'reset', 'mine', { staleMs: 2_000 });
    expect(await readJobLock(test.db)).toMatchObject({ kind: 'reset', job: 'mine' });
    await lock.release();
  });

  it('is refused while a live holder of this host keeps its heartbeat', async () => {
    await locks().insertOne(holder({ heartbeatAt: new Date(Date.now() - 1_000) }));
    await expect(acquireJobLock(test.db, 'crunch', 'x')).rejects.toThrow(/cannot start a crunch: a seed is running/);
    expect((await readJobLock(test.db))!.token).toBe('their-token');
    await locks().deleteMany({});
  });

  it('keeps its heartbeat with the server’s clock', async () => {
    const lock = await acquireJobLock(test.db, 'crunch', 'beating', { heartbeatMs: 50 });
    const first = (await readJobLock(test.db))!.heartbeatAt;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await readJobLock(test.db))!.heartbeatAt.getTime()).toBeGreaterThan(first.getTime());
    expect(lock.lost.aborted).toBe(false);
    await lock.assertHeld();
    await lock.release();
  });

  it('knows when it was taken over or deleted under it: `lost` aborts, assertHeld throws', async () => {
    const lock = await acquireJobLock(test.db, 'seed', 'victim', { heartbeatMs: 50 });
    await locks().updateOne({ _id: 'job' }, { $set: { token: 'someone-else' } });
    const reason = await untilAborted(lock.lost, 2000);
    expect(reason).toBeInstanceOf(LockLostError);
    expect((reason as Error).message).toMatch(/lost its lock .*another job took it over, or it was deleted/);
    await expect(lock.assertHeld()).rejects.toBeInstanceOf(LockLostError);
    // releasing a lost lock leaves the new holder's alone
    await lock.release();
    expect((await readJobLock(test.db))!.token).toBe('someone-else');
    await locks().deleteMany({});

    const deleted = await acquireJobLock(test.db, 'seed', 'victim', { heartbeatMs: 1_000 });
    await locks().deleteMany({});
    await expect(deleted.assertHeld()).rejects.toBeInstanceOf(LockLostError);
    expect(deleted.lost.aborted).toBe(true);
    await deleted.release();
  });

  it('gives up when its heartbeat cannot reach the server before others may take over', async () => {
    const client = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 100 });
    const lock = await acquireJobLock(client.db(test.name), 'crunch', 'cut-off', { heartbeatMs: 50, staleMs: 400 });
    await client.close(); // every heartbeat fails from now on
    const reason = await untilAborted(lock.lost, 3000);
    expect((reason as Error).message).toMatch(/lost its lock .*no heartbeat for/);
    await locks().deleteMany({});
  });

  it('is released only by its holder, once', async () => {
    const lock = await acquireJobLock(test.db, 'crunch');
    await lock.release();
    const next = await acquireJobLock(test.db, 'seed');
    await lock.release(); // again: must not delete the next holder's lock
    expect((await readJobLock(test.db))!.token).toBe(next.token);
    await next.release();
  });
});
