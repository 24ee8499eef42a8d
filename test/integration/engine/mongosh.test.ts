/**
 * mongosh (the npm package, a dev dependency) against the server: `--eval` inserts and reads
 * documents, and `show dbs` works.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, openTestDatabase, type TestDatabase } from '../../helpers/database.js';

const run = promisify(execFile);
const MONGOSH = path.resolve('node_modules/.bin/mongosh');

let t: TestDatabase;
/** mongosh writes logs and history under $HOME: keep them out of the user's. */
let home: string;

beforeAll(async () => {
  t = await openTestDatabase('mongosh');
  home = mkdtempSync(path.join(tmpdir(), 'dd-mongosh-'));
});

afterAll(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

/** The server's URI with `db` as its database (keeping any options and credentials). */
function uriFor(db: string): string {
  const uri = mongoUri();
  const at = uri.indexOf('/', uri.indexOf('://') + 3);
  const base = at < 0 ? uri : uri.slice(0, at);
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?')) : '';
  return `${base}/${db}${query}`;
}

async function mongosh(script: string): Promise<string> {
  const { stdout } = await run(MONGOSH, [uriFor(t.name), '--quiet', '--eval', script], {
    env: { ...process.env, HOME: home, MONGOSH_FORCE_DISABLE_TELEMETRY_FOR_TESTING: '1' },
    timeout: 30_000,
  });
  return stdout.trim();
}

describe('mongosh --eval', () => {
  it('inserts and reads documents; db.version(), getIndexes, getCollectionNames', async () => {
    await t.db.collection('shelf').createIndex({ n: 1 }, { unique: true });
    const out = await mongosh(`
      db.shelf.insertMany([{ n: 1, title: 'Dom Casmurro' }, { n: 2, title: 'Vidas Secas' }]);
      db.shelf.updateOne({ n: 2 }, { $set: { read: true } });
      print(EJSON.stringify(db.shelf.find({}, { _id: 0 }).sort({ n: 1 }).toArray()));
      print('count=' + db.shelf.countDocuments());
      print(db.version());
      print(EJSON.stringify(db.shelf.getIndexes().map((i) => i.name)));
      print(EJSON.stringify(db.getCollectionNames()));
    `);
    const [docs, count, version, indexes, collections] = out.split('\n').map((line) => line.trim());
    expect(JSON.parse(docs!)).toEqual([
      { n: 1, title: 'Dom Casmurro' },
      { n: 2, title: 'Vidas Secas', read: true },
    ]);
    expect(count).toBe('count=2');
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(JSON.parse(indexes!)).toEqual(['_id_', 'n_1']);
    expect(JSON.parse(collections!)).toContain('shelf');
    // What mongosh wrote is what the driver reads.
    expect(await t.db.collection('shelf').countDocuments({ read: true })).toBe(1);
  });

  it('show dbs lists this database', async () => {
    const out = await mongosh('show dbs');
    const names = out.split('\n').map((line) => line.trim().split(/\s+/)[0]);
    expect(names).toContain(t.name);
  });
});
