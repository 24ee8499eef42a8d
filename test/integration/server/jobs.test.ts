/**
 * Jobs of every kind over HTTP, as a client polls them: a seed, a crunch and a reset each
 * started by its mutation, followed with job(id) until it settles; cancelJob on a running
 * seed; the spending status through a seed and a crunch. Runs on the shared test server in
 * a database of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { startServer, type AppServer } from '../../../src/server/index.js';
import { openServiceDatabase } from '../../helpers/seeded.js';
import {
  CancelJobDocument,
  CrunchSpendingDocument,
  JobDocument,
  type JobQuery,
  JobsDocument,
  ResetDatabaseDocument,
  SeedDatabaseDocument,
  SpendingStatusDocument,
} from '../../helpers/generated/graphql.js';
import { dataOf, post, until } from '../../helpers/graphql.js';

let database: Database;
let server: AppServer;

beforeAll(async () => {
  database = await openServiceDatabase('gql_jobs');
  server = await startServer({ database, port: 0, log: () => undefined });
});
afterAll(async () => {
  await server?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

type Polled = NonNullable<JobQuery['job']>;

async function follow(id: string): Promise<Polled[]> {
  return until(
    `job ${id}`,
    async () => dataOf(await post(server.url, JobDocument, { id })).job!,
    (job) => job.status !== 'RUNNING',
    120_000,
    20,
  );
}

/** Every poll's progress: phases in order, never backwards, done within total. */
function expectSaneProgress(polls: Polled[], phases: string[]): void {
  let at = -1;
  for (const poll of polls) {
    expect(poll.progress.map((p) => p.phase)).toEqual(phases);
    if (poll.phase) {
      expect(phases.indexOf(poll.phase)).toBeGreaterThanOrEqual(at);
      at = phases.indexOf(poll.phase);
    }
    for (const p of poll.progress) {
      expect(p.done).toBeLessThanOrEqual(p.total);
      expect(p.fraction).toBeGreaterThanOrEqual(0);
      expect(p.fraction).toBeLessThanOrEqual(1);
    }
  }
}

describe('jobs of every kind over HTTP', () => {
  it('a seed: seedDatabase answers at once; job(id) follows its four phases to SUCCEEDED', async () => {
    const started = Date.now();
    const job = dataOf(await post(server.url, SeedDatabaseDocument, { input: { users: 2500, seed: 41, year: 2025, workers: 2, products: 60 } })).seedDatabase;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(job).toMatchObject({ kind: 'SEED', status: 'RUNNING', cancellable: true });
    const polls = await follow(job.id);
    expectSaneProgress(polls, ['PRODUCTS', 'ACTIVITY', 'SPLIT', 'INDEXES']);
    const last = polls.at(-1)!;
    expect(last).toMatchObject({ status: 'SUCCEEDED', phase: null, error: null, cancellable: false });
    expect(last.progress.map((p) => [p.phase, p.unit, p.state, p.fraction])).toEqual([
      ['PRODUCTS', 'products', 'DONE', 1],
      ['ACTIVITY', 'users', 'DONE', 1],
      ['SPLIT', 'collections', 'DONE', 1],
      ['INDEXES', 'indexes', 'DONE', 1],
    ]);
    expect(await database.db.collection('users').countDocuments()).toBe(2500);
  });

  it('a crunch: crunchSpending answers at once with a CrunchJob; its progress counts the customers', async () => {
    const { crunchSpending: job } = dataOf(await post(server.url, CrunchSpendingDocument, {}));
    expect(job).toMatchObject({ kind: 'CRUNCH', status: 'RUNNING', request: { year: null, since: null }, result: null });
    const polls = await follow(job.id);
    expectSaneProgress(polls, ['AGGREGATE', 'INDEXES']);
    const last = polls.at(-1)!;
    expect(last.status).toBe('SUCCEEDED');
    expect(last.progress[0]).toMatchObject({ unit: 'customers', done: 2500, total: 2500 });
    expect(last.__typename === 'CrunchJob' && last.result).toMatchObject({ year: 2025, mode: 'FULL', customers: 2500, recomputed: 2500 });
    expect(dataOf(await post(server.url, SpendingStatusDocument)).spendingStatus).toMatchObject({ year: 2025, stale: false, customers: 2500 });
  });

  it('cancelJob stops a running seed (any kind): CANCELLED, what was kept in its message, the data as it was', async () => {
    const job = dataOf(await post(server.url, SeedDatabaseDocument, { input: { users: 300_000, seed: 42, year: 2025, workers: 2 } })).seedDatabase;
    await until(
      'the activity',
      async () => dataOf(await post(server.url, JobDocument, { id: job.id })).job!,
      (j) => j.status !== 'RUNNING' || j.phase === 'ACTIVITY',
      60_000,
      20,
    );
    const cancelled = dataOf(await post(server.url, CancelJobDocument, { id: job.id })).cancelJob;
    expect(cancelled.id).toBe(job.id);
    const last = (await follow(job.id)).at(-1)!;
    expect(last.status).toBe('CANCELLED');
    expect(last.error).toEqual({
      code: 'CANCELLED',
      message: expect.stringMatching(/^the seed was cancelled during (products|activity); the previous data is untouched: 2,500 users, 60 products, /),
    });
    expect(await database.db.collection('users').countDocuments()).toBe(2500);
    expect(dataOf(await post(server.url, JobsDocument, {})).jobs.map((j) => [j.kind, j.status])).toEqual([
      ['SEED', 'CANCELLED'],
      ['CRUNCH', 'SUCCEEDED'],
      ['SEED', 'SUCCEEDED'],
    ]);
  });

  it('after a new seed the spending is reported stale, with the reason', async () => {
    const job = dataOf(await post(server.url, SeedDatabaseDocument, { input: { users: 700, seed: 43, year: 2025, workers: 1, products: 30 } })).seedDatabase;
    expect((await follow(job.id)).at(-1)!.status).toBe('SUCCEEDED');
    const status = dataOf(await post(server.url, SpendingStatusDocument)).spendingStatus;
    expect(status).toMatchObject({ year: 2025, stale: true, customers: 2500, source: { origin: 'SEED', seed: 41 }, dataset: { origin: 'SEED', seed: 43 } });
    expect(status.reason).toMatch(/seeded with seed 43 .*run "npx datadragon crunch"/);
  });

  it('a reset: resetDatabase answers when done, with its job, which job(id) shows', async () => {
    const { resetDatabase: result } = dataOf(await post(server.url, ResetDatabaseDocument, { confirm: true }));
    expect(result).toMatchObject({ dropped: false });
    expect(Object.fromEntries(result.deleted.map((d) => [d.collection, d.count]))).toMatchObject({ users: 700, customer_spending: 2500 });
    const job = dataOf(await post(server.url, JobDocument, { id: result.jobId })).job!;
    expect(job).toMatchObject({ kind: 'RESET', status: 'SUCCEEDED', drop: false, result: { dropped: false, total: result.total } });
    expect(job.progress).toEqual([expect.objectContaining({ phase: 'EMPTY', unit: 'collections', state: 'DONE', done: result.deleted.length })]);
    expect(dataOf(await post(server.url, SpendingStatusDocument)).spendingStatus).toMatchObject({
      year: null,
      stale: false,
      customers: 0,
      dataset: { origin: 'RESET' },
    });
  });
});
