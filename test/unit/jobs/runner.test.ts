/**
 * The job runner without a database: a fake host (lock, swap, staging) records what the
 * runner asks of it, and jobs of made-up kinds run phases the tests control. Phases and their
 * events, progress, cancel before and inside every phase and during the commit, a lost lock,
 * failures before and after the commit point, refusals before the job exists.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { AppError, ErrorCodes } from '../../../src/errors.js';
import {
  failureOf,
  type Job,
  JobConflictError,
  type JobDefinition,
  type JobEvent,
  LockLostError,
  outcomeOf,
  type Phase,
  startJob,
  SwapIncompleteError,
  type SwapStep,
} from '../../../src/jobs/index.js';
import { fakeHost, gatedPhase } from './fakes.js';

const database = { dbName: 'fake' } as unknown as Database;

function definition(phases: () => Phase[], extra: { commit?: SwapStep[]; prepare?: () => Promise<void> } = {}): JobDefinition<unknown, string, string> {
  return {
    kind: 'crunch',
    parse: () => 'plan',
    async prepare() {
      await extra.prepare?.();
      return {
        phases: phases(),
        commit: () => extra.commit ?? [{ op: 'drop', name: 'x' }],
        result: async (times) => `done in ${Object.keys(times.phases).join('+')}`,
        untouched: async () => 'the previous data is untouched: 3 things',
      };
    },
  };
}

function record(job: Job<unknown, unknown>): JobEvent[] {
  const events: JobEvent[] = [];
  job.subscribe((event) => events.push(event));
  return events;
}

describe('the runner', () => {
  it('runs the phases in order, then commits, then settles SUCCEEDED with the result; lock held throughout', async () => {
    const host = fakeHost();
    const a = gatedPhase('a', 10);
    const b = gatedPhase('b', 0);
    const events: JobEvent[] = [];
    const job = await startJob(
      definition(() => [a, b]),
      'plan',
      { database, host, onEvent: (event) => events.push(event) },
    );
    expect(job.status).toBe('running');
    await a.started;
    expect(job.state).toEqual({ status: 'running', phase: 'a', committing: false });
    expect(job.progress.map((p) => [p.name, p.state, p.done, p.total])).toEqual([
      ['a', 'running', 1, 10],
      ['b', 'pending', 0, 0],
    ]);
    a.release();
    const context = await b.started;
    context.progress(3, 7);
    expect(job.progress[1]).toMatchObject({ state: 'running', done: 3, total: 7, detail: {} });
    b.release();
    expect(await outcomeOf(job)).toBe('done in a+b');
    expect(events.map((e) => e.type + ('phase' in e ? ` ${e.phase}` : ''))).toEqual([
      'phase a',
      'progress a',
      'progress a',
      'phase-done a',
      'phase b',
      'progress b',
      'progress b',
      'progress b',
      'phase-done b',
      'commit',
      'settled',
    ]);
    expect(events[1]).toEqual({ type: 'progress', phase: 'a', done: 1, total: 10, detail: { things: 1, others: 5 } });
    // the detail is kept until a report brings another
    expect(events[2]).toEqual({ type: 'progress', phase: 'a', done: 10, total: 10, detail: { things: 1, others: 5 } });
    expect(host.calls).toEqual(['lock crunch', 'recover', 'assert held', 'commit 1', 'release']);
    expect(job.progress.map((p) => p.state)).toEqual(['done', 'done']);
    expect(job.finishedAt).toBeInstanceOf(Date);
  });

  it('times each phase and the whole job', async () => {
    const slow: Phase = { name: 'slow', unit: 'ms', total: 1, run: () => new Promise((resolve) => setTimeout(resolve, 60)) };
    const job = await startJob(
      definition(() => [slow]),
      'plan',
      { database, host: fakeHost() },
    );
    await job.settled;
    expect(job.progress[0]!.seconds).toBeGreaterThanOrEqual(0.05);
    expect(job.seconds).toBeGreaterThanOrEqual(job.progress[0]!.seconds - 0.01);
    expect(job.times().phases.slow).toBe(job.progress[0]!.seconds);
  });

  for (const [where, phase] of [
    ['before the first phase runs', 0],
    ['inside the first phase', 0],
    ['inside the last phase', 2],
  ] as const) {
    it(`cancels ${where}: CANCELLED, the staging discarded, nothing committed, the lock released before it settles`, async () => {
      const host = fakeHost();
      const phases = [gatedPhase('a', 1), gatedPhase('b', 1), gatedPhase('c', 1)];
      let releasedBeforeSettled = false;
      const job = await startJob(
        definition(() => phases),
        'plan',
        {
          database,
          host,
          onEvent: (event) => {
            if (event.type === 'settled') releasedBeforeSettled = host.calls.includes('release');
          },
        },
      );
      if (where === 'before the first phase runs') expect(job.cancel()).toBe(true);
      for (let i = 0; i < phase; i++) {
        await phases[i]!.started;
        phases[i]!.release();
      }
      if (where !== 'before the first phase runs') {
        await phases[phase]!.started;
        expect(job.cancel()).toBe(true);
      }
      const state = await job.settled;
      expect(state).toEqual({
        status: 'cancelled',
        error: { code: ErrorCodes.CANCELLED, message: `the crunch was cancelled during ${['a', 'b', 'c'][phase]}; the previous data is untouched: 3 things` },
      });
      expect(host.calls).toEqual(['lock crunch', 'recover', 'discard', 'release']);
      expect(releasedBeforeSettled).toBe(true);
      expect(job.cancellable).toBe(false);
      await expect(outcomeOf(job)).rejects.toMatchObject({ code: ErrorCodes.CANCELLED });
    });
  }

  it('cancels between two phases: the next one never starts', async () => {
    const ran: string[] = [];
    let job!: Job<string, string>;
    const first: Phase = {
      name: 'first',
      unit: 'x',
      total: 1,
      run: async () => {
        await new Promise((resolve) => setImmediate(resolve)); // startJob has returned the job by now
        ran.push('first');
        job.cancel(); // the phase ends normally: the cancel lands between the two phases
      },
    };
    const second: Phase = { name: 'second', unit: 'x', total: 1, run: async () => void ran.push('second') };
    job = await startJob(
      definition(() => [first, second]),
      'plan',
      { database, host: fakeHost() },
    );
    expect((await job.settled).status).toBe('cancelled');
    expect(ran).toEqual(['first']);
    expect(job.progress.map((p) => p.state)).toEqual(['done', 'pending']);
  });

  it('refuses a cancel once the swap has begun: the job finishes', async () => {
    let job!: Job<string, string>;
    const seen: unknown[] = [];
    const host = fakeHost({
      commit: async () => {
        seen.push(job.state, job.cancellable, job.cancel());
      },
    });
    const quick: Phase = { name: 'quick', unit: 'x', total: 1, run: async () => undefined };
    job = await startJob(
      definition(() => [quick]),
      'plan',
      { database, host },
    );
    expect(await outcomeOf(job)).toBe('done in quick');
    expect(seen).toEqual([{ status: 'running', phase: undefined, committing: true }, false, false]);
  });

  it('a job that publishes nothing skips the swap (and its lock check)', async () => {
    const host = fakeHost();
    const quick: Phase = { name: 'quick', unit: 'x', total: 1, run: async () => undefined };
    const job = await startJob(
      definition(() => [quick], { commit: [] }),
      'plan',
      { database, host },
    );
    await outcomeOf(job);
    expect(host.calls).toEqual(['lock crunch', 'recover', 'release']);
  });

  it('a lost lock aborts the running phase: FAILED with the reason, staging discarded', async () => {
    const host = fakeHost();
    const phase = gatedPhase('long', 100);
    const job = await startJob(
      definition(() => [phase]),
      'plan',
      { database, host },
    );
    await phase.started;
    host.lose('another job took it over');
    const state = await job.settled;
    expect(state).toEqual({
      status: 'failed',
      error: { code: ErrorCodes.FAILED, message: 'the job lost its lock on the database (another job took it over) and stopped' },
    });
    expect(failureOf(job)).toBeInstanceOf(LockLostError);
    expect(host.calls).toEqual(['lock crunch', 'recover', 'discard', 'release']);
    await expect(outcomeOf(job)).rejects.toBeInstanceOf(LockLostError);
  });

  it('a lock lost between the last phase and the swap stops the swap before its commit point', async () => {
    const host = fakeHost();
    const losing: Phase = { name: 'p', unit: 'x', total: 1, run: async () => host.lose('deleted') };
    const job = await startJob(
      definition(() => [losing]),
      'plan',
      { database, host },
    );
    expect((await job.settled).status).toBe('failed');
    expect(host.calls).not.toContain('commit 1');
    expect(host.calls).toContain('discard');
  });

  it('a failing phase fails the job with its own error; the phases after it never run', async () => {
    class Boom extends AppError {
      constructor() {
        super(ErrorCodes.FAILED, 'worker 2 died');
      }
    }
    const ran: string[] = [];
    const failing: Phase = {
      name: 'bad',
      unit: 'x',
      total: 1,
      run: async () => {
        ran.push('bad');
        throw new Boom();
      },
    };
    const after: Phase = { name: 'after', unit: 'x', total: 1, run: async () => void ran.push('after') };
    const host = fakeHost();
    const job = await startJob(
      definition(() => [failing, after]),
      'plan',
      { database, host },
    );
    expect(await job.settled).toEqual({ status: 'failed', error: { code: 'FAILED', message: 'worker 2 died' } });
    expect(failureOf(job)).toBeInstanceOf(Boom);
    expect(ran).toEqual(['bad']);
    expect(host.calls).toEqual(['lock crunch', 'recover', 'discard', 'release']);
    // an error that is not an AppError is INTERNAL
    const internal = await startJob(
      definition(() => [
        {
          name: 'x',
          unit: 'x',
          total: 1,
          run: async () => {
            throw new TypeError('oops');
          },
        },
      ]),
      'plan',
      { database, host: fakeHost() },
    );
    expect(await internal.settled).toEqual({ status: 'failed', error: { code: 'INTERNAL', message: 'oops' } });
  });

  it('a swap that fails before its commit point fails the job and discards the staging', async () => {
    const host = fakeHost({
      commit: async () => {
        throw new Error('the staging collection x is missing');
      },
    });
    const job = await startJob(
      definition(() => []),
      'plan',
      { database, host },
    );
    expect((await job.settled).status).toBe('failed');
    expect(host.calls).toEqual(['lock crunch', 'recover', 'assert held', 'commit 1', 'discard', 'release']);
  });

  it('a swap stopped after its commit point is finished at once by a recovery: the job succeeds', async () => {
    const host = fakeHost({
      commit: async () => {
        throw new SwapIncompleteError(new Error('rename failed'));
      },
    });
    const job = await startJob(
      definition(() => []),
      'plan',
      { database, host },
    );
    expect(await outcomeOf(job)).toBe('done in ');
    expect(host.calls).toEqual(['lock crunch', 'recover', 'assert held', 'commit 1', 'recover', 'release']);
  });

  it('… and when the recovery fails too, the job fails and leaves the staging for the next job to finish the swap', async () => {
    const host = fakeHost({
      commit: async () => {
        throw new SwapIncompleteError(new Error('rename failed'));
      },
      recover: async () => {
        throw new Error('server gone');
      },
    });
    const job = await startJob(
      definition(() => []),
      'plan',
      { database, host },
    );
    const state = await job.settled;
    expect(state).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/committed but the swap stopped .*the next job finishes it/) } });
    expect(host.calls).not.toContain('discard');
  });

  it('a conflict or a refusal in prepare rejects the start: no job, the lock released', async () => {
    await expect(
      startJob(
        definition(() => []),
        'plan',
        { database, host: fakeHost({ conflict: true }) },
      ),
    ).rejects.toBeInstanceOf(JobConflictError);
    const host = fakeHost();
    const refused = definition(() => [], {
      prepare: async () => {
        throw new AppError(ErrorCodes.NOT_FOUND, 'nothing to crunch');
      },
    });
    await expect(startJob(refused, 'plan', { database, host })).rejects.toThrow('nothing to crunch');
    expect(host.calls).toEqual(['lock crunch', 'recover', 'release']);
  });

  it('a listener that throws does not stop the job', async () => {
    const quick: Phase = { name: 'quick', unit: 'x', total: 1, run: async ({ progress }) => progress(1) };
    const job = await startJob(
      definition(() => [quick]),
      'plan',
      {
        database,
        host: fakeHost(),
        onEvent: () => {
          throw new Error('the terminal went away');
        },
      },
    );
    expect(await outcomeOf(job)).toBe('done in quick');
  });

  it('events after the end change nothing', async () => {
    const quick: Phase = { name: 'quick', unit: 'x', total: 1, run: async () => undefined };
    const job = await startJob(
      definition(() => [quick]),
      'plan',
      { database, host: fakeHost() },
    );
    const events = record(job as Job<unknown, unknown>);
    const state = await job.settled;
    job.emit({ type: 'phase', phase: 'quick', unit: 'x', total: 9 });
    expect(job.state).toBe(state);
    expect(events.at(-1)).toEqual({ type: 'settled', state });
    expect(job.cancel()).toBe(false);
  });
});

describe('a job that runs beside others (lockOf)', () => {
  const beside = (phases: () => Phase[], discarded: string[]): JobDefinition<unknown, string, string> => ({
    kind: 'seed',
    parse: () => 'part',
    lockOf: (plan) => `part:${plan}`,
    async prepare() {
      return {
        phases: phases(),
        commit: () => [],
        result: async () => 'written',
        discard: async () => void discarded.push('own collection'),
      };
    },
  });

  it('takes its own lock, skips the recovery (other jobs run), commits no swap, and keeps what it wrote', async () => {
    const host = fakeHost();
    const discarded: string[] = [];
    const a = gatedPhase('a', 1);
    const job = await startJob(
      beside(() => [a], discarded),
      'plan',
      { database, host },
    );
    a.release();
    expect(await outcomeOf(job)).toBe('written');
    expect(host.calls).toEqual(['lock seed part:plan', 'release']);
    expect(discarded).toEqual([]);
  });

  it('removes what it wrote outside its staging collections when it fails or is cancelled', async () => {
    const host = fakeHost();
    const discarded: string[] = [];
    const a = gatedPhase('a', 1);
    const job = await startJob(
      beside(() => [a], discarded),
      'plan',
      { database, host },
    );
    await a.started;
    job.cancel();
    const state = await job.settled;
    expect(state.status).toBe('cancelled');
    expect(discarded).toEqual(['own collection']);
    expect(host.calls).toEqual(['lock seed part:plan', 'discard', 'release']);
  });
});
