/**
 * The app against a `datadragon db` engine shared through MONGODB_URI, end to
 * end, while the engine is busy with another client's long aggregation:
 * - that long command succeeds, and the app's connection never fails a heartbeat;
 * - a crunch run from the CLI meanwhile succeeds, without "server monitor timeout";
 * - the GraphQL API answers meanwhile: its data, or SERVICE_UNAVAILABLE (503, Retry-After)
 *   when the engine cannot take the read up in time, never INTERNAL_SERVER_ERROR; and its
 *   data once the engine is free.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { runCli, startDbProcess, type RunningEngine } from '../helpers/cli.js';
import { uniqueDbName } from '../helpers/database.js';
import { seed } from '../helpers/seeded.js';
import { startApiServer, type ApiServer } from '../helpers/api-server.js';
import { codesOf, post } from '../helpers/graphql.js';

/** n² documents through two $unwind stages: seconds of work for an engine that runs one command at a time. */
const busyPipeline = (n: number) => [
  { $project: { x: { $range: [0, n] } } },
  { $unwind: '$x' },
  { $project: { y: { $range: [0, n] } } },
  { $unwind: '$y' },
  { $group: { _id: null, n: { $sum: 1 } } },
];
const BUSY_N = 5_000;

let engine: RunningEngine;
let database: Database;
let api: ApiServer;
const dbName = uniqueDbName('shared_engine');

beforeAll(async () => {
  engine = await startDbProcess(['--in-memory', '--port', '0']);
  database = await openDatabase(`${engine.uri.replace(/\/$/, '')}/${dbName}`);
  await seed(database, { users: 100, seed: 4, workers: 1, products: 20 });
  await database.db.collection('one').insertOne({ _id: 'one' as never });
  api = await startApiServer(database, { limits: { maxTimeMS: 200 } });
});

afterAll(async () => {
  await api?.stop();
  await database?.close();
  if (engine && engine.child.exitCode === null) {
    engine.child.kill('SIGINT');
    await engine.exited;
  }
});

describe('an engine busy with a long command', () => {
  it('is waited for by the app and the CLI, and answered 503 by the API meanwhile', async () => {
    const failedHeartbeats = { app: 0 };
    database.connection.getClient().on('serverHeartbeatFailed', () => failedHeartbeats.app++);
    {
      const started = Date.now();
      const busy = database.db.collection('one').aggregate(busyPipeline(BUSY_N)).toArray();
      await new Promise((resolve) => setTimeout(resolve, 300));

      const during = await post(api.url, '{ customerSpendings(first: 1) { edges { cursor } } }');
      // Which one depends on how the engine schedules the two commands; both are right, a 500 never is.
      if (during.status === 503) {
        expect([during.headers.get('retry-after'), [...new Set(codesOf(during))]]).toEqual(['5', ['SERVICE_UNAVAILABLE']]);
        expect(during.errors![0]!.message).toMatch(/the database cannot serve this request now: it did not answer in time .*Retry in 5 seconds/);
      } else {
        expect([during.status, during.errors]).toEqual([200, undefined]);
      }

      const crunch = runCli(['crunch'], { env: { MONGODB_URI: `${engine.uri.replace(/\/$/, '')}/${dbName}`, COLUMNS: '' }, timeoutMs: 120_000 });
      const [result] = await busy;
      const busyMs = Date.now() - started;
      expect(result).toEqual({ _id: null, n: BUSY_N * BUSY_N });
      const crunched = await crunch;
      expect([crunched.code, crunched.stderr]).toEqual([0, expect.not.stringMatching(/monitor timeout|interrupted/i)]);
      expect(await database.db.collection('customer_spending').countDocuments()).toBe(100);

      const after = await post(api.url, '{ customerSpendings(first: 1) { totalCount } }');
      expect([after.status, after.data]).toEqual([200, { customerSpendings: { totalCount: 100 } }]);
      // A long command (seconds of work) ran beside the app's: its connection failed no heartbeat.
      expect(busyMs).toBeGreaterThan(1_000);
      expect(failedHeartbeats.app).toBe(0);
    }
  });
});
