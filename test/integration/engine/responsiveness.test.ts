/**
 * No client stalls the others (issue 16): while one client runs a long insertMany, createIndex,
 * updateMany or aggregation, another client's ping and find by `_id` are answered before the
 * long command is — and the find sees every write acknowledged before it. Order of events, not
 * timings: the latencies are the bench's (bench/responsiveness.ts) and the fault suite's.
 * Against the engine as the app runs it (a durable engine on its own threads), or the real
 * MongoDB of MONGODB_URI, which answers the same way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineThread, type EngineHandle } from '../../../src/db/embedded/index.js';
import { onEmbeddedEngine, mongoUri, uniqueDbName } from '../../helpers/database.js';
import type { AnyDoc } from './support.js';

let engine: EngineHandle | undefined;
let dataDir: string | undefined;
let long: MongoClient;
let quick: MongoClient;
let dbName: string;

beforeAll(async () => {
  let uri = mongoUri();
  if (onEmbeddedEngine()) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-responsive-'));
    engine = await startEngineThread({ dataDir, threads: 'own' });
    uri = engine.uri;
  }
  dbName = uniqueDbName('responsive');
  long = await MongoClient.connect(uri);
  quick = await MongoClient.connect(uri);
  await quick.db(dbName).collection<AnyDoc>('marks').insertOne({ _id: 'before', v: 1 });
});

afterAll(async () => {
  await quick
    ?.db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await long?.close();
  await quick?.close();
  await engine?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `command` on the long client and, once it has been sent, a ping and a find by `_id` on
 * the quick one: the events in the order their replies came.
 */
async function whileRunning(command: () => Promise<unknown>): Promise<{ events: string[]; found: AnyDoc | null }> {
  const events: string[] = [];
  const running = command().then(() => events.push('long'));
  await pause(100); // the long command is on its way (a sleep that orders, asserting nothing)
  await quick.db(dbName).command({ ping: 1 });
  events.push('ping');
  const found = await quick.db(dbName).collection<AnyDoc>('marks').findOne({ _id: 'before' });
  events.push('find');
  await running;
  return { events, found };
}

const big = (): Collection<AnyDoc> => long.db(dbName).collection<AnyDoc>('big');

describe('a ping and a find by _id from another client answer while a long command runs', () => {
  it('an insertMany of a large batch', async () => {
    const docs = Array.from({ length: 40_000 }, (_, i) => ({ _id: i, v: i % 1000, s: `value ${i} `.repeat(4) }));
    const { events, found } = await whileRunning(() => big().insertMany(docs));
    expect(events).toEqual(['ping', 'find', 'long']);
    expect(found).toEqual({ _id: 'before', v: 1 });
    expect(await big().countDocuments()).toBe(40_000);
  });

  it('a createIndex on a big collection', async () => {
    const { events } = await whileRunning(() => big().createIndex({ v: 1, s: 1 }));
    expect(events).toEqual(['ping', 'find', 'long']);
  });

  it('an updateMany over many documents', async () => {
    const { events } = await whileRunning(() => big().updateMany({ _id: { $lt: 4000 } }, { $inc: { v: 1 } }));
    expect(events).toEqual(['ping', 'find', 'long']);
    expect(await big().countDocuments({ _id: { $lt: 4000 }, v: { $gt: 0 } })).toBe(4000);
  });

  it('an aggregation of several seconds', async () => {
    const small = long.db(dbName).collection<AnyDoc>('small');
    await small.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: i, v: i })));
    const { events } = await whileRunning(() =>
      small.aggregate([{ $lookup: { from: 'small', pipeline: [{ $match: { v: { $gte: 0 } } }], as: 'all' } }, { $count: 'n' }]).toArray(),
    );
    expect(events).toEqual(['ping', 'find', 'long']);
  });
});

describe('a find by _id sees the writes acknowledged before it', () => {
  it('from another client: inserts, updates and deletes, at once', async () => {
    const writer = long.db(dbName).collection<AnyDoc>('seen');
    const reader = quick.db(dbName).collection<AnyDoc>('seen');
    for (let i = 0; i < 20; i++) {
      await writer.insertOne({ _id: `k${i}`, v: i });
      expect(await reader.findOne({ _id: `k${i}` })).toEqual({ _id: `k${i}`, v: i });
      await writer.updateOne({ _id: `k${i}` }, { $set: { v: `changed ${i}` } });
      expect(await reader.findOne({ _id: `k${i}` })).toEqual({ _id: `k${i}`, v: `changed ${i}` });
      await writer.deleteOne({ _id: `k${i}` });
      expect(await reader.findOne({ _id: `k${i}` })).toBeNull();
    }
  });

  it('a collection dropped and created again is read anew', async () => {
    const writer = long.db(dbName).collection<AnyDoc>('again');
    await writer.insertOne({ _id: 1, v: 'first' });
    expect(await quick.db(dbName).collection<AnyDoc>('again').findOne({ _id: 1 })).toEqual({ _id: 1, v: 'first' });
    await writer.drop();
    expect(await quick.db(dbName).collection<AnyDoc>('again').findOne({ _id: 1 })).toBeNull();
    await writer.insertOne({ _id: 1, v: 'second' });
    expect(await quick.db(dbName).collection<AnyDoc>('again').findOne({ _id: 1 })).toEqual({ _id: 1, v: 'second' });
  });
});
