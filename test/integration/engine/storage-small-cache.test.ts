/**
 * A durable engine whose document cache (16 KiB) is far smaller than its data answers every
 * query shape the app uses exactly as the in-memory engine does: the seed, the crunch, pages
 * of spending (filtered, sorted, skipped), by-id reads, counts, sorted finds on indexed fields,
 * and again after a restart. Engine-only by nature: it starts the engines it compares.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/connection.js';
import { EmbeddedEngine } from '../../../src/db/embedded/engine.js';
import { crunchSpending } from '../../../src/jobs/index.js';
import { countSpending, findSpending, getCustomerSpending } from '../../../src/spending/index.js';
import { databaseHash, seed } from '../../helpers/seeded.js';

const CACHE = 16 * 1024;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-small-cache-'));
const engines: EmbeddedEngine[] = [];
const databases: Database[] = [];

async function open(engine: EmbeddedEngine): Promise<Database> {
  await engine.start();
  engines.push(engine);
  const database = await openDatabase(engine.uri, { dbName: 'shop', patient: true });
  databases.push(database);
  return database;
}

let memory: Database;
let durable: Database;

beforeAll(async () => {
  memory = await open(new EmbeddedEngine());
  durable = await open(new EmbeddedEngine({ dataDir, cacheSize: CACHE }));
  for (const database of [memory, durable]) {
    await seed(database, { users: 400, seed: 9, workers: 1, products: 60 });
    await crunchSpending(database, { year: 2025 });
  }
}, 240_000);

afterAll(async () => {
  for (const database of databases) await database.close();
  for (const engine of engines) await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const db = (database: Database): Db => database.db;

/** The data of both engines, but the spending status (it records when each engine crunched). */
async function data(database: Database): Promise<Record<string, string>> {
  const { datadragon_state: _times, ...rest } = await databaseHash(db(database));
  return rest;
}

/** Every read the app makes, answered by `database`. */
async function reads(database: Database): Promise<unknown[]> {
  const some = await findSpending(database, { sort: { total_spend: -1 }, limit: 5 });
  const out: unknown[] = [some];
  out.push(await findSpending(database, { filter: { total_spend: { $gte: 100 } }, sort: { total_spend: 1 }, limit: 20, skip: 10 }));
  out.push(await findSpending(database, { filter: { email: some[2]!.email }, limit: 10 }));
  out.push(await findSpending(database, { sort: { name: 1 }, limit: 25, skip: 50, projection: { name: 1, total_spend: 1 } }));
  out.push(await countSpending(database, { total_spend: { $lt: 500 } }));
  out.push(await getCustomerSpending(database, String(some[1]!._id)));
  out.push(await getCustomerSpending(database, 'ffffffffffffffffffffffff'));
  out.push(await db(database).collection('orders').find({ customer_id: some[0]!._id }).sort({ _id: 1 }).toArray());
  out.push(
    await db(database)
      .collection('users')
      .find({ _id: { $in: some.map((doc) => doc._id) } })
      .sort({ _id: 1 })
      .toArray(),
  );
  out.push(await db(database).collection('orders').countDocuments());
  out.push(
    await db(database)
      .collection('carts')
      .aggregate([{ $group: { _id: null, n: { $sum: 1 } } }])
      .toArray(),
  );
  return out;
}

describe('a durable engine with a 16 KiB cache', () => {
  it('seeds and crunches exactly what the in-memory engine does', async () => {
    expect(await data(durable)).toEqual(await data(memory));
  });

  it('answers every query shape of the app alike', async () => {
    const expected = await reads(memory);
    expect((expected[0] as unknown[]).length).toBe(5);
    expect(await reads(durable)).toEqual(expected);
  });

  it('gives it all back after a restart, indexes included', async () => {
    const engine = engines[1]!;
    await databases[1]!.close();
    await engine.stop();
    durable = await open(new EmbeddedEngine({ dataDir, cacheSize: CACHE }));
    expect(await data(durable)).toEqual(await data(memory));
    expect(await reads(durable)).toEqual(await reads(memory));
  });
});
