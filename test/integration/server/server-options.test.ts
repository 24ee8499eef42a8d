/**
 * `startServer` hands its options on: the API's limits reach Apollo and every read a request
 * makes (the per-request loaders included), and the allowed host names reach the Host guard.
 */
import http from 'node:http';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { seedDatabase } from '../../../src/jobs/index.js';
import { parseSeedOptions } from '../../../src/seeding/index.js';
import { startServer, type AppServer } from '../../../src/server/index.js';
import { mongoUri, uniqueDbName } from '../../helpers/database.js';

let watched: Database;
let server: AppServer;
const reads: { name: string; maxTimeMS: unknown }[] = [];

beforeAll(async () => {
  const dbName = uniqueDbName('gql_server_options');
  const connection = mongoose.createConnection(mongoUri(), { dbName, monitorCommands: true });
  await connection.asPromise();
  watched = { uri: mongoUri(), dbName, connection, db: connection.db as unknown as Database['db'], close: () => connection.close() };
  await seedDatabase(watched, parseSeedOptions({ users: 30, seed: 3, workers: 1, products: 10, year: 2025 }));
  connection.getClient().on('commandStarted', (event) => {
    if (['find', 'aggregate', 'count'].includes(event.commandName))
      reads.push({ name: `${event.commandName} ${String(event.command[event.commandName])}`, maxTimeMS: event.command.maxTimeMS });
  });
  server = await startServer({ database: watched, port: 0, log: () => undefined, limits: { maxTimeMS: 1234 }, allowedHosts: ['devbox.local'] });
});
afterAll(async () => {
  await server?.stop();
  await watched?.db.dropDatabase().catch(() => undefined);
  await watched?.close();
});

function requestWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

describe('startServer', () => {
  it('gives every read of a request the configured time limit, the loaders’ reads included', async () => {
    reads.length = 0;
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ orders(first: 3) { edges { node { customer { email } cart { amount lines { product { title } } } } } } }' }),
    });
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
    const byLoaders = reads.filter((read) => /^(find|aggregate) (carts|products|users)$/.test(read.name));
    expect(byLoaders.length).toBeGreaterThanOrEqual(3);
    expect(reads.filter((read) => read.maxTimeMS !== 1234)).toEqual([]);
  });

  it('answers the allowed host names besides the loopback ones, and refuses others', async () => {
    expect(await requestWithHost(server.url, 'devbox.local')).toBe(200);
    expect(await requestWithHost(server.url, 'localhost')).toBe(200);
    expect(await requestWithHost(server.url, 'rebind.attacker.example')).toBe(403);
  });
});
