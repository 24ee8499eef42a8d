/**
 * `datadragon crunch` as a user runs it (the built CLI, MONGODB_URI naming a database of the
 * test server): progress and the summary, --year, --since, the empty database, bad input, the
 * lock, Ctrl-C.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { acquireJobLock } from '../../src/jobs/index.js';
import { MONTH_KEYS } from '../../src/spending/index.js';
import { runCli } from '../helpers/cli.js';
import { mongoUri, uniqueDbName, uriWithDb } from '../helpers/database.js';
import { databaseHash, openServiceDatabase, seed } from '../helpers/seeded.js';

let client: MongoClient;
let database: Database;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  client = await MongoClient.connect(mongoUri());
  database = await openServiceDatabase('cli_crunch');
  await seed(database, { users: 300, seed: 4242, workers: 1, products: 80 });
  env = { MONGODB_URI: uriWithDb(database.dbName) };
});
afterAll(async () => {
  await database.db.dropDatabase();
  await database.close();
  await client.close();
});

const noStack = /\n\s+at /;

describe('datadragon crunch', () => {
  it('crunches the newest year, shows progress, and prints customers, year, total spend and seconds', async () => {
    const result = await runCli(['crunch'], { env });
    expect(result.stderr).not.toMatch(noStack);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^aggregate: 0\/300 customers$/m);
    expect(result.stderr).toMatch(/^aggregate: 300\/300 customers \(100%, [\d.]+ s\)$/m);
    expect(result.stderr).toMatch(/^indexes: 3\/3 indexes \(100%/m);
    expect(result.stdout).toMatch(/crunched 2025 into dd_cli_crunch_\w+\.customer_spending: 300 customers \(\d+ with orders\), [\d,]+ orders/);
    expect(result.stdout).toMatch(/^year: 2025$/m);
    expect(result.stdout).toMatch(/^time: \d+\.\d s$/m);
    const docs = await client.db(database.dbName).collection('customer_spending').find().toArray();
    expect(docs).toHaveLength(300);
    const cents = docs.reduce((sum, doc) => sum + MONTH_KEYS.reduce((s, key) => s + Math.round(doc.monthly_spenses[key] * 100), 0), 0);
    const expected = `R$ ${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(result.stdout).toContain(`total spend: ${expected}`);
    expect(cents).toBeGreaterThan(0);
  });

  it('refuses a year without orders (exit 2), naming the years that have some, and keeps the collection', async () => {
    const before = await databaseHash(client.db(database.dbName));
    const result = await runCli(['crunch', '--year', '2024'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /datadragon: error: there are no orders in 2024, so its crunch would give every customer zeros: the orders are from 2025 \([\d,]+ orders\); crunch one of those years \(--year 2025\)/,
    );
    expect(await databaseHash(client.db(database.dbName))).toEqual(before);
  });

  it('--since refreshes the customers with orders since a date, and says so', async () => {
    const result = await runCli(['crunch', '--since', '2025-12-01'], { env });
    expect(result.stderr).not.toMatch(noStack);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^refreshed 2025 in dd_cli_crunch_\w+\.customer_spending: [\d,]+ customers with orders since 2025-12-01T00:00:00\.000Z recomputed; now 300 customers/m,
    );
    const bad = await runCli(['crunch', '--since', 'last week'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since: 'last week' is not a date \(2025-11-01, from midnight UTC\) or an instant with its zone/);
  });

  const badYears: [string, RegExp][] = [
    ['abc', /--year: a year is a whole number/],
    ['2025.5', /--year: a year is a whole number/],
    ['0', /year must be an integer between 1 and 9999/],
    ['-3', /--year/],
  ];
  for (const [year, message] of badYears) {
    it(`refuses --year ${year} with exit code 2`, async () => {
      const result = await runCli(['crunch', `--year=${year}`], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(noStack);
    });
  }

  it('says to seed first on an empty database, with a non-zero exit and no stack trace', async () => {
    const dbName = uniqueDbName('cli_crunch_empty');
    const result = await runCli(['crunch'], { env: { MONGODB_URI: uriWithDb(dbName) } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /datadragon: error: the database "dd_cli_crunch_empty_\w+" has no users, so there is nothing to crunch: run "npx datadragon seed" first/,
    );
    expect(result.stderr).not.toMatch(noStack);
    expect(result.stdout).toBe('');
    await client.db(dbName).dropDatabase();
  });

  it('is refused while a seed runs', async () => {
    const lock = await acquireJobLock(client.db(database.dbName), 'seed');
    try {
      const result = await runCli(['crunch'], { env });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot start a crunch: a seed is running/);
    } finally {
      await lock.release();
    }
  });

  it('has --help with examples', async () => {
    const result = await runCli(['crunch', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--year <year>/);
    expect(result.stdout).toMatch(/--since <date>/);
    expect(result.stdout).toMatch(/Examples:\n {2}npx datadragon/);
  });
});

describe('Ctrl-C during a crunch', () => {
  let big: Database;
  beforeAll(async () => {
    big = await openServiceDatabase('cli_crunch_ctrl_c');
    await seed(big, { users: 12_000, seed: 77, workers: 2, products: 60 });
    await runCli(['crunch'], { env: { MONGODB_URI: uriWithDb(big.dbName) } });
  });
  afterAll(async () => {
    await big.db.dropDatabase();
    await big.close();
  });

  it('cancels it: exit 130, what was kept, customer_spending untouched, nothing staged left', async () => {
    const before = await databaseHash(big.db);
    const result = await runCli(['crunch'], { env: { MONGODB_URI: uriWithDb(big.dbName) }, interruptWhen: /^aggregate: 0\/12,000 customers$/m });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/datadragon: SIGINT: cancelling the crunch/);
    expect(result.stderr).toMatch(
      /datadragon: the crunch was cancelled during aggregate; customer_spending is untouched: 2025, 12,000 customers, crunched at /,
    );
    expect(result.stderr).not.toMatch(noStack);
    expect(result.stdout).toBe('');
    expect(await databaseHash(big.db)).toEqual(before);
    const names = (await big.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((name) => name.startsWith('datadragon_staging_'))).toEqual([]);
    expect(await big.db.collection('datadragon_jobs').countDocuments()).toBe(0);
  });
});
