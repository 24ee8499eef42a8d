/**
 * `datadragon seed` and `reset` as a user runs them: the summary, replay, progress, options
 * from the environment and the config file, the bad-input catalogue (clear message, non-zero
 * exit, nothing written), Ctrl-C (exit 130, the previous data kept), and the spending data
 * reported stale by the API after a new seed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mongoUri, uniqueDbName, uriWithDb } from '../helpers/database.js';

let client: MongoClient;
beforeAll(async () => {
  client = await MongoClient.connect(mongoUri());
});
afterAll(async () => {
  await client.close();
});

async function collectionsOf(dbName: string): Promise<string[]> {
  return (await client.db(dbName).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
}

describe('datadragon seed', () => {
  it('seeds, prints a summary with the seed, and logs the backend', async () => {
    const dbName = uniqueDbName('cli_seed');
    const result = await runCli(['seed', '--users', '300', '--seed', '77', '--workers', '2', '--year', '2024'], { env: { MONGODB_URI: uriWithDb(dbName) } });
    expect(result.stderr).toContain('database: MongoDB at');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/seeded .*: 300 users, 500 products, [\d,]+ carts, [\d,]+ orders/);
    expect(result.stdout).toContain('--seed 77');
    expect(result.stdout).toMatch(/orders\/s/);
    // one number format, percentages from the counts
    expect(result.stderr).toMatch(/^activity: 0\/300 users$/m);
    expect(result.stderr).toMatch(/^activity: 300\/300 users \(100%, [\d.]+ s\), [\d,]+ carts, [\d,]+ orders$/m);
    expect(result.stderr).toMatch(/^split: 1\/3 collections \(33%, /m);
    expect(result.stderr).toMatch(/^indexes: 7\/7 indexes \(100%, /m);
    const orders = client.db(dbName).collection('orders');
    const first = await orders.find().sort({ created_at: 1 }).limit(1).next();
    expect(first!.created_at.getUTCFullYear()).toBe(2024);
    await client.db(dbName).dropDatabase();
  });

  it('draws and prints a seed when none is given', async () => {
    const dbName = uniqueDbName('cli_random');
    const result = await runCli(['seed', '--users', '20', '--workers', '1'], { env: { MONGODB_URI: uriWithDb(dbName) } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/seed \d+ \(random: replay with --seed \d+\)/);
    await client.db(dbName).dropDatabase();
  });

  it('takes options from the environment and the config file, flags first', async () => {
    const dbName = uniqueDbName('cli_precedence');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-config-'));
    fs.writeFileSync(path.join(dir, 'datadragon.config.json'), JSON.stringify({ users: 40, products: 25, maxOrders: 2 }));
    const env = { MONGODB_URI: uriWithDb(dbName), DATADRAGON_USERS: '30', DATADRAGON_WORKERS: '1' };
    const fromEnv = await runCli(['seed', '--seed', '1'], { env, cwd: dir });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toMatch(/30 users, 25 products/);
    const fromFlag = await runCli(['seed', '--seed', '1', '--users', '35'], { env, cwd: dir });
    expect(fromFlag.stdout).toMatch(/35 users, 25 products/);
    const perCustomer = await client
      .db(dbName)
      .collection('orders')
      .aggregate([{ $group: { _id: '$customer_id', n: { $sum: 1 } } }, { $sort: { n: -1 } }, { $limit: 1 }])
      .toArray();
    expect(perCustomer[0]?.n ?? 0).toBeLessThanOrEqual(2);
    await client.db(dbName).dropDatabase();
  });

  const badInput: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
    ['zero users', ['--users', '0'], {}, /--users: the number of users must be at least 1/],
    ['negative users', ['--users', '-5'], {}, /--users: .*at least 1/],
    ['fractional users', ['--users', '1.5'], {}, /--users: the number of users must be a whole number/],
    ['non-numeric users', ['--users', 'lots'], {}, /--users: the number of users must be a whole number/],
    ['absurd users', ['--users', '99999999999'], {}, /--users: .*at most 1000000000/],
    ['zero workers', ['--workers', '0'], {}, /--workers: .*at least 1/],
    [
      'more workers than the memory holds',
      ['--workers', '256'],
      {},
      /--workers 256 needs about [\d.]+ GiB \(about 125 MB a worker\), more than this machine can give them .*use at most [\d,]+ workers here/,
    ],
    ['zero max orders', ['--max-orders', '0'], {}, /--max-orders: .*at least 1/],
    ['a year out of range', ['--year', '1800'], {}, /--year: .*at least/],
    ['an unknown locale', ['--locale', 'xx_YY'], {}, /--locale: unknown locale/],
    ['an unknown option', ['--userz', '5'], {}, /unknown option '--userz'/],
    ['a bad environment value', [], { DATADRAGON_USERS: 'many' }, /DATADRAGON_USERS: .*whole number/],
  ];
  for (const [what, args, env, message] of badInput) {
    it(`refuses ${what} with a clear message, exit code 2 and nothing written`, async () => {
      const dbName = uniqueDbName('cli_bad');
      const result = await runCli(['seed', ...args], { env: { MONGODB_URI: uriWithDb(dbName), ...env } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(await collectionsOf(dbName)).toEqual([]);
    });
  }

  it('fails within seconds on an unreachable MONGODB_URI', async () => {
    const started = Date.now();
    const result = await runCli(['seed', '--users', '10'], { env: { MONGODB_URI: 'mongodb://127.0.0.1:9/nowhere' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:9\/nowhere/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('datadragon reset', () => {
  it('needs --yes when not on a terminal, then empties the collections', async () => {
    const dbName = uniqueDbName('cli_reset');
    const env = { MONGODB_URI: uriWithDb(dbName) };
    expect((await runCli(['seed', '--users', '50', '--seed', '3', '--workers', '1'], { env })).code).toBe(0);
    const refused = await runCli(['reset'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes');
    expect(await client.db(dbName).collection('users').countDocuments()).toBe(50);
    const done = await runCli(['reset', '--yes'], { env });
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/deleted .*users 50/);
    expect(await client.db(dbName).collection('users').countDocuments()).toBe(0);
    expect((await client.db(dbName).collection('users').indexes()).length).toBeGreaterThan(1);
    const dropped = await runCli(['reset', '--yes', '--drop'], { env });
    expect(dropped.stdout).toContain('dropped the database');
    expect(await collectionsOf(dbName)).toEqual([]);
  });
});

describe('Ctrl-C during a seed', () => {
  it('cancels it: exit 130, says what was kept, and the previous data is exactly as it was', async () => {
    const dbName = uniqueDbName('cli_seed_ctrl_c');
    const env = { MONGODB_URI: uriWithDb(dbName) };
    expect((await runCli(['seed', '--users', '150', '--seed', '5', '--workers', '1'], { env })).code).toBe(0);
    const db = client.db(dbName);
    const counts = async (): Promise<number[]> => Promise.all(['users', 'products', 'carts', 'orders'].map((name) => db.collection(name).countDocuments()));
    const before = await counts();
    const result = await runCli(['seed', '--users', '300000', '--seed', '6', '--workers', '2'], {
      env,
      interruptWhen: /^activity: 0\/300,000 users$/m,
      timeoutMs: 120_000,
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/datadragon: SIGINT: cancelling the seed \(the data in the database stays as it was\)/);
    expect(result.stderr).toMatch(
      new RegExp(
        `datadragon: the seed was cancelled during activity; the previous data is untouched: 150 users, 500 products, ${before[2]!.toLocaleString('en-US')} carts, ${before[3]!.toLocaleString('en-US')} orders \\(seed 5, `,
      ),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(await counts()).toEqual(before);
    expect((await collectionsOf(dbName)).sort()).toEqual(['carts', 'datadragon_jobs', 'datadragon_state', 'orders', 'products', 'users']);
    expect(await db.collection('datadragon_jobs').countDocuments()).toBe(0);
    await db.dropDatabase();
  });
});
