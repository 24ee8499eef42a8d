/**
 * `datadragon seed --part I/N` from four processes at once against one database, then
 * `seed --finish`: the same collections as one `datadragon seed`; the finish refused, naming
 * the missing part, when one is; the part refusals of the command line.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mongoUri, uniqueDbName, uriWithDb } from '../helpers/database.js';
import { collectionHash } from '../helpers/seeded.js';

let client: MongoClient;
beforeAll(async () => {
  client = await MongoClient.connect(mongoUri());
});
afterAll(async () => {
  await client.close();
});

const OPTIONS = ['--users', '4000', '--max-orders', '3', '--products', '40', '--year', '2025', '--seed', '2718', '--workers', '1'];

async function hashes(dbName: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of ['users', 'products', 'carts', 'orders']) out[name] = await collectionHash(client.db(dbName), name);
  return out;
}

describe('datadragon seed --part and --finish', () => {
  it('four processes writing a part each, then --finish, give the collections of one seed', async () => {
    const one = uniqueDbName('cli_parts_one');
    const four = uniqueDbName('cli_parts_four');
    try {
      const [whole, ...parts] = await Promise.all([
        runCli(['seed', ...OPTIONS], { env: { MONGODB_URI: uriWithDb(one) }, timeoutMs: 180_000 }),
        ...[1, 2, 3, 4].map((i) => runCli(['seed', ...OPTIONS, '--part', `${i}/4`], { env: { MONGODB_URI: uriWithDb(four) }, timeoutMs: 180_000 })),
      ]);
      expect(whole!.code, whole!.stderr).toBe(0);
      for (const [i, part] of parts.entries()) {
        expect(part.code, part.stderr).toBe(0);
        expect(part.stderr).toContain(`writing part ${i + 1}/4 of a seed of 4,000 users`);
        expect(part.stdout).toMatch(new RegExp(`wrote part ${i + 1}/4 into .*: chunks ${i}–${i}, 1,000 users`));
        expect(part.stdout).toContain(
          'once every part is written: npx datadragon seed --users 4000 --max-orders 3 --products 40 --year 2025 --seed 2718 --finish',
        );
      }
      const finish = await runCli(['seed', ...OPTIONS, '--finish'], { env: { MONGODB_URI: uriWithDb(four) }, timeoutMs: 180_000 });
      expect(finish.code, finish.stderr).toBe(0);
      expect(finish.stdout).toMatch(/seeded .*: 4,000 users, 40 products, [\d,]+ carts, [\d,]+ orders \(from 4 parts\)/);
      expect(await hashes(four)).toEqual(await hashes(one));
    } finally {
      await client.db(one).dropDatabase();
      await client.db(four).dropDatabase();
    }
  });

  it('refuses --finish with a part missing, naming it, and bad parts before opening a database', async () => {
    const dbName = uniqueDbName('cli_parts_missing');
    const env = { MONGODB_URI: uriWithDb(dbName) };
    try {
      const first = await runCli(['seed', ...OPTIONS, '--part', '1/2'], { env, timeoutMs: 120_000 });
      expect(first.code, first.stderr).toBe(0);
      const finish = await runCli(['seed', ...OPTIONS, '--finish'], { env, timeoutMs: 120_000 });
      expect(finish.code).not.toBe(0);
      expect(finish.stderr).toMatch(/part 2\/2 is missing \(written: 1\/2\)\. Write the missing parts \(npx datadragon seed --part 2\/2/);
      expect(await client.db(dbName).collection('users').estimatedDocumentCount()).toBe(0);
      for (const [args, message] of [
        [['--part', '0/3'], /--part: 0\/3: parts are numbered from 1/],
        [['--part', '5/4'], /there is no part 5 of 4/],
        [['--part', '1/5'], /at most 4 parts/],
        [['--part', '1/2', '--finish'], /two runs/],
      ] as const) {
        const result = await runCli(['seed', ...OPTIONS, ...args], { env });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toContain('database:');
      }
      const noSeed = await runCli(['seed', '--users', '4000', '--part', '1/2'], { env });
      expect(noSeed.stderr).toMatch(/--part 1\/2 needs --seed/);
    } finally {
      await client.db(dbName).dropDatabase();
    }
  });
});
