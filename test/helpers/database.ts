/**
 * Test databases: each test file works in a database of its own on the shared server
 * (see global-setup.ts), dropped when the file is done.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { inject } from 'vitest';

export const mongoUri = (): string => inject('mongoUri');
/** True when the suite runs against the engine that global-setup started. */
export const onEmbeddedEngine = (): boolean => inject('backend') === 'embedded';

export interface TestDatabase {
  client: MongoClient;
  db: Db;
  name: string;
  close(): Promise<void>;
}

export function uniqueDbName(prefix: string): string {
  return `dd_${prefix.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

export async function openTestDatabase(prefix: string): Promise<TestDatabase> {
  const client = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 5000 });
  const name = uniqueDbName(prefix);
  const db = client.db(name);
  return {
    client,
    db,
    name,
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

/** The shared server's URI with `dbName` as its database (for CLI runs through MONGODB_URI). */
export function uriWithDb(dbName: string): string {
  const uri = mongoUri();
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`cannot add a database name to ${uri}`);
  return `${match[1]}/${dbName}${match[3] ?? ''}`;
}
