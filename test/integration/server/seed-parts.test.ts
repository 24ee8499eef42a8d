/**
 * The seed mutation's part and finish over HTTP: two parts and their finish as three jobs,
 * each reporting its options; a bad part refused as BAD_USER_INPUT naming `input.part`; a
 * finish with a part missing refused, naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { startServer, type AppServer } from '../../../src/server/index.js';
import { openServiceDatabase } from '../../helpers/seeded.js';
import { codesOf, dataOf, post, until } from '../../helpers/graphql.js';

let database: Database;
let server: AppServer;

beforeAll(async () => {
  database = await openServiceDatabase('gql_parts');
  server = await startServer({ database, port: 0, log: () => undefined });
});
afterAll(async () => {
  await server?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

const SEED = `mutation Seed($input: SeedInput) { seedDatabase(input: $input) { id status options { seed part { index count } finish shard } timings { products activity split indexes total } } }`;
const JOB = `query Job($id: ID!) { job(id: $id) { id status error { code message } ... on SeedJob { counts { users products } written { users } timings { products activity split indexes total } } } }`;

interface Polled {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
  counts: { users: number; products: number } | null;
  written: { users: number };
}

async function run(input: Record<string, unknown>): Promise<Polled> {
  const started = dataOf(await post<{ seedDatabase: { id: string; options: unknown } }, unknown>(server.url, SEED, { input })).seedDatabase;
  const polls = await until(
    `seed ${started.id}`,
    async () => dataOf(await post<{ job: Polled }, unknown>(server.url, JOB, { id: started.id })).job,
    (job) => job.status !== 'RUNNING',
    120_000,
    50,
  );
  return polls.at(-1)!;
}

const OPTIONS = { users: 2000, seed: 808, year: 2025, workers: 1, products: 40 };

describe('seedDatabase with part and finish', () => {
  it('reports the part in the job options, and writes no dataset until the finish', async () => {
    const started = dataOf(
      await post<{ seedDatabase: { options: unknown } }, unknown>(server.url, SEED, { input: { ...OPTIONS, part: { index: 1, count: 2 } } }),
    ).seedDatabase;
    expect(started.options).toEqual({ seed: 808, part: { index: 1, count: 2 }, finish: false, shard: false });
    await until(
      'part 1/2',
      async () => dataOf(await post<{ job: Polled }, unknown>(server.url, JOB, { id: (started as unknown as { id: string }).id })).job,
      (job) => job.status !== 'RUNNING',
      120_000,
      50,
    );
    // Refused before a job exists: the mutation answers the refusal.
    const missing = await post(server.url, SEED, { input: { ...OPTIONS, finish: true } });
    expect(codesOf(missing)).toEqual(['BAD_USER_INPUT']);
    expect(missing.errors?.[0]?.message).toMatch(/part 2\/2 is missing \(written: 1\/2\)/);
    expect(await database.db.collection('users').estimatedDocumentCount()).toBe(0);
    const second = await run({ ...OPTIONS, part: { index: 2, count: 2 } });
    expect(second).toMatchObject({ status: 'SUCCEEDED', counts: { users: 1000, products: 0 }, written: { users: 1000 } });
    const finished = await run({ ...OPTIONS, finish: true });
    expect(finished).toMatchObject({ status: 'SUCCEEDED', counts: { users: 2000, products: 40 } });
  });

  it('refuses a bad part as BAD_USER_INPUT, naming input.part', async () => {
    const result = await post(server.url, SEED, { input: { ...OPTIONS, part: { index: 3, count: 2 } } });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toMatch(/input\.part: 3\/2: there is no part 3 of 2/);
    const tooMany = await post(server.url, SEED, { input: { ...OPTIONS, part: { index: 1, count: 3 } } });
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 2 parts/);
    const noSeed = await post(server.url, SEED, { input: { users: 2000, part: { index: 1, count: 2 } } });
    expect(noSeed.errors?.[0]?.message).toMatch(/input\.part 1\/2 needs input\.seed/);
  });
});
