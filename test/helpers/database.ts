/**
 * Test databases: each test file works in a database of its own on the shared server
 * (see global-setup.ts), dropped when the file is done.
 */
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
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

/** A TCP proxy to the test server that can stop forwarding what clients send: a server that answers nothing. */
export async function freezableProxy(): Promise<{ uri: string; freeze(frozen: boolean): void; close(): Promise<void> }> {
  const target = new URL(mongoUri().replace(/^mongodb:/, 'http:'));
  let frozen = false;
  const held = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => (frozen ? held.add(() => upstream.write(chunk)) : upstream.write(chunk)));
    upstream.pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    uri: `mongodb://127.0.0.1:${(proxy.address() as AddressInfo).port}/?directConnection=true`,
    freeze(value) {
      frozen = value;
      if (!value) for (const write of held) write();
      if (!value) held.clear();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
