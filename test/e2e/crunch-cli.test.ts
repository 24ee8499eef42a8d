/**
 * `datadragon crunch` as a user runs it (the built CLI, MONGODB_URI naming a database of the
 * test server): progress and the summary, --year, the empty database, bad input, the lock.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { acquireJobLock } from '../../src/jobs/job-lock.js';
import { MONTH_KEYS } from '../../src/spending/index.js';
import { runCli } from '../helpers/cli.js';
import { mongoUri, uniqueDbName, uriWithDb } from '../helpers/database.js';
import { openServiceDatabase, seed } from '../helpers/seeded.js';

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
    expect(result.stderr).toMatch(/aggregate: 0\/[\d,]+/);
    expect(result.stderr).toMatch(/indexes: 3\/3/);
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

  it('crunches the year given with --year, replacing the collection', async () => {
    const result = await runCli(['crunch', '--year', '2024'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/300 customers \(0 with orders\), 0 orders/);
    expect(result.stdout).toContain('total spend: R$ 0.00');
    expect(await client.db(database.dbName).collection('customer_spending').distinct('year')).toEqual([2024]);
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
    expect(result.stderr).toMatch(/datadragon: error: the database "dd_cli_crunch_empty_\w+" has no users, so there is nothing to crunch: run "npx datadragon seed" first/);
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
    expect(result.stdout).toMatch(/Examples:\n {2}npx datadragon/);
  });
});
