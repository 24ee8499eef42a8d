/**
 * The server's jobs (src/jobs/registry.ts) without a database: the fake host of fakes.ts, and
 * reset --drop jobs, whose one phase calls the database only through a dropDatabase the test
 * answers when it wants. What the registry refuses and when: bad input before any lock, a
 * second job while one holds the lock, new jobs once it is shutting down; cancels by id;
 * which finished jobs it keeps.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { ErrorCodes } from '../../../src/errors.js';
import { JobRegistry, type JobRegistryOptions } from '../../../src/jobs/index.js';
import { type FakeHost, fakeHost } from './fakes.js';

/** A database whose dropDatabase calls wait until `finish()` answers the oldest. */
function droppingDatabase(): { database: Database; drops: () => number; finish(): void } {
  const pending: (() => void)[] = [];
  let calls = 0;
  const db = {
    dropDatabase: () => {
      calls++;
      return new Promise<void>((resolve) => pending.push(resolve));
    },
  };
  return {
    database: { db, dbName: 'fake' } as unknown as Database,
    drops: () => calls,
    finish: () => pending.shift()!(),
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

function registryOf(host: FakeHost, options: Partial<JobRegistryOptions> = {}): { registry: JobRegistry; fake: ReturnType<typeof droppingDatabase> } {
  const fake = droppingDatabase();
  const registry = new JobRegistry(fake.database, { holdsDataInMemory: false, env: {}, configFile: {}, host, log: () => undefined, ...options });
  return { registry, fake };
}

const DROP = { drop: true };

describe('the job registry', () => {
  it('starts a job in the background and keeps it: get, list (newest first, by kind), running', async () => {
    const host = fakeHost();
    const { registry, fake } = registryOf(host);
    const first = await registry.start('reset', DROP);
    expect(first.status).toBe('running');
    expect(registry.get(first.id)).toBe(first);
    expect(registry.running()).toBe(first);
    await until(() => fake.drops() === 1);
    fake.finish();
    expect(await first.settled).toEqual({ status: 'succeeded', result: { deleted: {}, dropped: true } });
    expect(registry.running()).toBeUndefined();
    const second = await registry.start('reset', DROP);
    expect(registry.list()).toEqual([second, first]);
    expect(registry.list('reset')).toEqual([second, first]);
    expect(registry.list('seed')).toEqual([]);
    expect(registry.get('no such id')).toBeUndefined();
    // the drop takes the lock document with the database: the heartbeat stops first
    expect(host.calls.slice(0, 4)).toEqual(['lock reset', 'recover', 'detach', 'release']);
  });

  it('refuses bad input before any lock is taken, naming the GraphQL input field', async () => {
    const host = fakeHost();
    const { registry } = registryOf(host);
    await expect(registry.start('seed', { users: 0 })).rejects.toMatchObject({
      code: ErrorCodes.BAD_USER_INPUT,
      message: expect.stringMatching(/^input\.users: /),
    });
    await expect(registry.start('crunch', { year: 'soon' })).rejects.toMatchObject({ code: ErrorCodes.BAD_USER_INPUT });
    expect(host.calls).toEqual([]);
    expect(registry.list()).toEqual([]);
  });

  it('a job the lock refuses (CONFLICT) is not kept', async () => {
    const { registry } = registryOf(fakeHost({ conflict: true }));
    await expect(registry.start('reset', DROP)).rejects.toMatchObject({ code: ErrorCodes.CONFLICT });
    expect(registry.list()).toEqual([]);
  });

  it('cancels a job by id; a finished job is returned as it is; an unknown id is NOT_FOUND', async () => {
    const { registry, fake } = registryOf(fakeHost(), { keepFinished: 3 });
    const job = await registry.start('reset', DROP);
    expect(() => registry.cancel('nope')).toThrowError(
      expect.objectContaining({
        code: ErrorCodes.NOT_FOUND,
        message: 'no job with id "nope" in this server (finished jobs are kept until it restarts, the last 3)',
      }),
    );
    await until(() => fake.drops() === 1);
    fake.finish();
    const state = await job.settled;
    expect(registry.cancel(job.id)).toBe(job);
    expect(job.state).toBe(state);
    expect(job.status).toBe('succeeded');
  });

  it('keeps the last `keepFinished` finished jobs, and every running one', async () => {
    const { registry, fake } = registryOf(fakeHost(), { keepFinished: 2 });
    const finished = [];
    for (let i = 0; i < 4; i++) {
      const job = await registry.start('reset', DROP);
      await until(() => fake.drops() === i + 1);
      fake.finish();
      await job.settled;
      finished.push(job);
    }
    const running = await registry.start('reset', DROP);
    // forgotten when a job starts: the last two finished, and the one that runs
    expect(registry.list()).toEqual([running, finished[3], finished[2]]);
    expect(registry.get(finished[0]!.id)).toBeUndefined();
    await until(() => fake.drops() === 5);
    fake.finish();
    await running.settled;
  });

  it('on shutdown, cancels the running job and waits for it to stop, then refuses new jobs (UNAVAILABLE)', async () => {
    const { registry, fake } = registryOf(fakeHost());
    const job = await registry.start('reset', DROP);
    await until(() => fake.drops() === 1);
    const stopping = registry.stopAll(5_000);
    expect(job.signal.aborted).toBe(true);
    fake.finish();
    expect(await stopping).toEqual([]);
    // the drop had begun: it happened, and the cancelled job says so
    expect(job.state).toEqual({
      status: 'cancelled',
      error: {
        code: ErrorCodes.CANCELLED,
        message: 'the reset was cancelled during drop; the database was dropped all the same: the cancel came once the drop had begun',
      },
    });
    await expect(registry.start('reset', DROP)).rejects.toMatchObject({
      code: ErrorCodes.UNAVAILABLE,
      message: 'the server is shutting down: no new jobs are started',
    });
  });

  it('on shutdown, gives up on a job that does not stop in time and returns it', async () => {
    const { registry, fake } = registryOf(fakeHost());
    const job = await registry.start('reset', DROP);
    await until(() => fake.drops() === 1);
    expect(await registry.stopAll(20)).toEqual([job]);
    expect(job.status).toBe('running');
    fake.finish();
    await job.settled;
  });
});
