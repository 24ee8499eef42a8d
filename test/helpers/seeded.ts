/** Seeding a test database through the seed job, and reading a collection back in _id order. */
import { createHash } from 'node:crypto';
import { EJSON } from 'bson';
import type { Db, Document } from 'mongodb';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { seedDatabase, type SeedRunOptions } from '../../src/jobs/index.js';
import { parseSeedOptions, type SeedOptionsInput, type SeedSummary } from '../../src/seeding/index.js';
import { mongoUri, uniqueDbName } from './database.js';

export async function openServiceDatabase(prefix: string): Promise<Database> {
  return openDatabase(mongoUri(), { dbName: uniqueDbName(prefix) });
}

export async function seed(database: Database, options: SeedOptionsInput, run: SeedRunOptions = {}): Promise<SeedSummary> {
  return seedDatabase(database, parseSeedOptions({ year: 2025, ...options }), run);
}

export async function allDocs<T extends Document = Document>(db: Db, name: string): Promise<T[]> {
  return (await db.collection(name).find({}).sort({ _id: 1 }).toArray()) as unknown as T[];
}

/** A hash of a whole collection in _id order, types included (canonical Extended JSON). */
export async function collectionHash(db: Db, name: string): Promise<string> {
  const hash = createHash('sha256');
  for (const doc of await allDocs(db, name)) hash.update(EJSON.stringify(doc, { relaxed: false })).update('\n');
  return hash.digest('hex');
}

/** Bookkeeping of the jobs (lock, swap journal): not data. */
const BOOKKEEPING = new Set(['datadragon_jobs']);

/**
 * A hash of every collection of the database but the jobs' bookkeeping: its documents in _id
 * order (types included) and its indexes (name, keys, uniqueness). Equal hashes: the same data.
 */
export async function databaseHash(db: Db): Promise<Record<string, string>> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => !BOOKKEEPING.has(name))
    .sort();
  const out: Record<string, string> = {};
  for (const name of names) {
    const indexes = (await db.collection(name).indexes())
      .map((i) => ({ name: i.name, key: i.key, unique: i.unique === true }))
      .sort((a, b) => (a.name! < b.name! ? -1 : 1));
    out[name] = `${await collectionHash(db, name)} ${createHash('sha256').update(EJSON.stringify(indexes)).digest('hex').slice(0, 16)}`;
  }
  return out;
}
