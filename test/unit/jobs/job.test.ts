/**
 * A job's state machine on its own (src/jobs/job.ts), driven by the events the runner emits:
 * running phase by phase, committing, then succeeded, failed or cancelled; what a cancel does
 * in each state; the progress and the errors a job keeps. runner.test.ts drives the same
 * machine through startJob.
 */
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCodes, UserInputError } from '../../../src/errors.js';
import { CancelRequest, Job, type JobEvent, LockLostError, type SettledState } from '../../../src/jobs/index.js';
import { errorInfo } from '../../../src/jobs/job.js';

const PHASES = [
  { name: 'users', unit: 'users', total: 10 },
  { name: 'indexes', unit: 'indexes', total: 0 },
];

function newJob(): Job<string, string> {
  return new Job<string, string>('id-1', 'seed', 'plan', PHASES);
}

const view = (job: Job<string, string>): [string, string, number, number][] => job.progress.map((p) => [p.name, p.state, p.done, p.total]);

describe('a new job', () => {
  it('is running, before its first phase, cancellable, every phase pending with its known size', () => {
    const job = newJob();
    expect(job.state).toEqual({ status: 'running', phase: undefined, committing: false });
    expect(job.status).toBe('running');
    expect(job.cancellable).toBe(true);
    expect(job.finishedAt).toBeUndefined();
    expect(job.signal.aborted).toBe(false);
    expect(job.progress).toEqual([
      { name: 'users', unit: 'users', state: 'pending', done: 0, total: 10, seconds: 0, detail: {} },
      { name: 'indexes', unit: 'indexes', state: 'pending', done: 0, total: 0, seconds: 0, detail: {} },
    ]);
    expect(Object.keys(job.times().phases)).toEqual(['users', 'indexes']);
  });
});

describe('running, phase by phase', () => {
  it('a phase event makes the phase current and running, with the size it brings', () => {
    const job = newJob();
    job.emit({ type: 'phase', phase: 'users', unit: 'users', total: 12 });
    expect(job.state).toEqual({ status: 'running', phase: 'users', committing: false });
    expect(view(job)).toEqual([
      ['users', 'running', 0, 12],
      ['indexes', 'pending', 0, 0],
    ]);
  });

  it('progress sets done, total and detail of its phase; phase-done ends it with its time', () => {
    const job = newJob();
    job.emit({ type: 'phase', phase: 'users', unit: 'users', total: 10 });
    job.emit({ type: 'progress', phase: 'users', done: 4, total: 10, detail: { written: 4 } });
    expect(job.progress[0]).toMatchObject({ state: 'running', done: 4, total: 10, detail: { written: 4 } });
    job.emit({ type: 'phase-done', phase: 'users', seconds: 1.5 });
    expect(job.progress[0]).toMatchObject({ state: 'done', done: 4, seconds: 1.5 });
    expect(job.times().phases).toEqual({ users: 1.5, indexes: 0 });
    job.emit({ type: 'phase', phase: 'indexes', unit: 'indexes', total: 3 });
    expect(job.state).toEqual({ status: 'running', phase: 'indexes', committing: false });
    expect(view(job)).toEqual([
      ['users', 'done', 4, 10],
      ['indexes', 'running', 0, 3],
    ]);
  });

  it('the running phase’s seconds grow while it runs; a done phase keeps its own', async () => {
    const job = newJob();
    job.emit({ type: 'phase', phase: 'users', unit: 'users', total: 10 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(job.progress[0]!.seconds).toBeGreaterThanOrEqual(0.02);
    job.emit({ type: 'phase-done', phase: 'users', seconds: 7 });
    expect(job.progress[0]!.seconds).toBe(7);
  });

  it('refuses an event of a phase it does not have', () => {
    const job = newJob();
    expect(() => job.emit({ type: 'phase', phase: 'carts', unit: 'carts', total: 1 })).toThrow('job seed has no phase carts');
    expect(() => job.emit({ type: 'progress', phase: 'carts', done: 1, total: 1, detail: {} })).toThrow(/no phase carts/);
  });
});

describe('cancel', () => {
  it('while running: accepted, the signal aborted with a CancelRequest; the job runs on until it settles', () => {
    const job = newJob();
    job.emit({ type: 'phase', phase: 'users', unit: 'users', total: 10 });
    expect(job.cancel()).toBe(true);
    expect(job.signal.aborted).toBe(true);
    expect(job.signal.reason).toBeInstanceOf(CancelRequest);
    expect(job.status).toBe('running');
    const reason: unknown = job.signal.reason;
    expect(job.cancel()).toBe(true); // asked twice: still stopping, for the same reason
    expect(job.signal.reason).toBe(reason);
  });

  it('once committing: refused, the signal left alone (the swap finishes)', () => {
    const job = newJob();
    job.emit({ type: 'commit' });
    expect(job.state).toEqual({ status: 'running', phase: undefined, committing: true });
    expect(job.cancellable).toBe(false);
    expect(job.cancel()).toBe(false);
    expect(job.signal.aborted).toBe(false);
  });

  it.each<SettledState<string>>([
    { status: 'succeeded', result: 'r' },
    { status: 'failed', error: { code: 'FAILED', message: 'm' } },
    { status: 'cancelled', error: { code: 'CANCELLED', message: 'm' } },
  ])('once $status: refused', (state) => {
    const job = newJob();
    job.emit({ type: 'settled', state });
    expect(job.cancellable).toBe(false);
    expect(job.cancel()).toBe(false);
    expect(job.signal.aborted).toBe(false);
  });

  it('after the runner’s abort (a lost lock): refused, the lost lock staying the reason (the job settles failed)', () => {
    const job = newJob();
    const lost = new LockLostError('deleted');
    job.abort(lost);
    expect(job.cancel()).toBe(false);
    expect(job.signal.reason).toBe(lost);
    const other = newJob();
    other.cancel();
    other.abort(new LockLostError('deleted'));
    expect(other.signal.reason).toBeInstanceOf(CancelRequest);
  });
});

describe('settled', () => {
  it.each<SettledState<string>>([
    { status: 'succeeded', result: 'done' },
    { status: 'failed', error: { code: 'FAILED', message: 'worker 2 died' } },
    { status: 'cancelled', error: { code: 'CANCELLED', message: 'the seed was cancelled during users' } },
  ])('$status: final state, finish time, the settled promise resolves with it, and nothing changes it after', async (state) => {
    const job = newJob();
    const events: JobEvent<string>[] = [];
    job.subscribe((event) => events.push(event));
    job.emit({ type: 'phase', phase: 'users', unit: 'users', total: 10 });
    job.emit({ type: 'settled', state });
    expect(job.state).toBe(state);
    expect(job.status).toBe(state.status);
    expect(job.finishedAt).toBeInstanceOf(Date);
    await expect(job.settled).resolves.toBe(state);
    // the phase it stopped in stays 'running', with the time it ran
    expect(job.progress[0]!.state).toBe('running');
    const seconds = job.progress[0]!.seconds;
    const elapsed = job.seconds;
    for (const late of [
      { type: 'phase', phase: 'indexes', unit: 'indexes', total: 1 },
      { type: 'progress', phase: 'users', done: 9, total: 10, detail: {} },
      { type: 'phase-done', phase: 'users', seconds: 99 },
      { type: 'commit' },
      { type: 'settled', state: { status: 'succeeded', result: 'other' } },
    ] as JobEvent<string>[])
      job.emit(late);
    expect(job.state).toBe(state);
    expect(view(job)).toEqual([
      ['users', 'running', 0, 10],
      ['indexes', 'pending', 0, 0],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(job.progress[0]!.seconds).toBe(seconds);
    expect(job.seconds).toBe(elapsed);
    expect(events.map((event) => event.type)).toEqual(['phase', 'settled']);
  });
});

describe('listeners', () => {
  it('get every event after the state has changed, with the job; unsubscribed, nothing more', () => {
    const job = newJob();
    const seen: string[] = [];
    const unsubscribe = job.subscribe((event, j) => seen.push(`${event.type}:${j.state.status === 'running' ? String(j.state.phase) : j.state.status}`));
    job.emit({ type: 'phase', phase: 'users', unit: 'users', total: 1 });
    unsubscribe();
    job.emit({ type: 'phase-done', phase: 'users', seconds: 1 });
    expect(seen).toEqual(['phase:users']);
  });

  it('one that throws does not keep the others from their events, nor the state from changing', () => {
    const job = newJob();
    const seen: string[] = [];
    job.subscribe(() => {
      throw new Error('the terminal went away');
    });
    job.subscribe((event) => seen.push(event.type));
    job.emit({ type: 'phase', phase: 'users', unit: 'users', total: 1 });
    expect(seen).toEqual(['phase']);
    expect(job.state).toMatchObject({ phase: 'users' });
  });
});

describe('the error a failed job keeps', () => {
  it('an AppError keeps its code and message; anything else is INTERNAL', () => {
    expect(errorInfo(new AppError(ErrorCodes.UNAVAILABLE, 'the server went away'))).toEqual({ code: 'UNAVAILABLE', message: 'the server went away' });
    expect(errorInfo(new UserInputError('--users: bad'))).toEqual({ code: 'BAD_USER_INPUT', message: '--users: bad' });
    expect(errorInfo(new LockLostError('deleted'))).toEqual({ code: 'FAILED', message: 'the job lost its lock on the database (deleted) and stopped' });
    expect(errorInfo(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
    expect(errorInfo('a string')).toEqual({ code: 'INTERNAL', message: 'a string' });
  });
});
