/**
 * Engine figures: insertMany throughput over a driver connection against the bson
 * round-trip rate of the same documents (the limit), and indexed find latency on 1M documents.
 * The engine runs as its own process (`datadragon db`), as it does for a seeding run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, ObjectId, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEngineProcess } from './engine-process.js';
import { percentile, type Figure } from './report.js';

/** Cart-shaped documents, as the seed writes them. */
export function cartDocs(n: number): Document[] {
  const docs: Document[] = [];
  for (let i = 0; i < n; i++) {
    const lines = 1 + (i % 3);
    const products = [];
    let cents = 0;
    for (let l = 0; l < lines; l++) {
      const price = 1990 + ((i * 7 + l * 13) % 50000);
      const quantity = 1 + ((i + l) % 4 === 0 ? 1 : 0);
      cents += price * quantity;
      products.push({ product_id: new ObjectId().toHexString(), price: price / 100, quantity });
    }
    docs.push({ _id: new ObjectId(), customer_id: new ObjectId().toHexString(), products, amount: cents / 100 });
  }
  return docs;
}

function bsonRoundTripRate(docs: Document[]): number {
  const start = process.hrtime.bigint();
  for (const doc of docs) deserialize(serialize(doc));
  return docs.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

const IN_FLIGHT = 4;

async function insertRate(uri: string, docs: Document[], batch: number): Promise<number> {
  const client = await MongoClient.connect(uri);
  const coll = client.db('bench').collection('carts');
  await coll.drop().catch(() => undefined);
  // warm-up on another collection
  await client.db('bench').collection('warm').insertMany(cartDocs(2000));
  // A few batches in flight, as a seeding run's workers keep them: client and engine work at once.
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next; i < docs.length; i = next) {
        next += batch;
        await coll.insertMany(docs.slice(i, i + batch), { ordered: false });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const count = await coll.countDocuments();
  if (count !== docs.length) throw new Error(`inserted ${count} of ${docs.length}`);
  await client.close();
  return docs.length / seconds;
}

/** Round trips of a `ping` on one connection: the floor any command's latency stands on here. */
async function pingLatency(uri: string, n: number): Promise<{ p50: number; p99: number }> {
  const client = await MongoClient.connect(uri);
  const admin = client.db('admin');
  const times: number[] = [];
  for (let i = 0; i < n + 200; i++) {
    const start = process.hrtime.bigint();
    await admin.command({ ping: 1 });
    if (i >= 200) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await client.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function findLatency(uri: string, total: number, lookups: number): Promise<{ p50: number; p99: number }> {
  const client = await MongoClient.connect(uri);
  const coll = client.db('bench').collection('lookup');
  await coll.drop().catch(() => undefined);
  const batch = 10_000;
  for (let i = 0; i < total; i += batch) {
    await coll.insertMany(
      Array.from({ length: Math.min(batch, total - i) }, (_, j) => ({ customer_id: `c${i + j}`, n: i + j })),
      { ordered: false },
    );
  }
  await coll.createIndex({ customer_id: 1 });
  const times: number[] = [];
  for (let i = 0; i < lookups + 200; i++) {
    const key = `c${Math.floor(Math.random() * total)}`;
    const start = process.hrtime.bigint();
    const doc = await coll.findOne({ customer_id: key });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!doc) throw new Error(`missing ${key}`);
    if (i >= 200) times.push(ms);
  }
  await coll.drop();
  await client.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function engineBench(options: { docs: number; lookupDocs: number }): Promise<Figure[]> {
  const docs = cartDocs(options.docs);
  const figures: Figure[] = [];
  const memory = await startEngineProcess(['--in-memory']);
  try {
    const limit = bsonRoundTripRate(docs);
    const inMemory = await insertRate(memory.uri, docs, 1000);
    figures.push({ suite: 'engine', name: 'bson serialize+deserialize (limit)', value: Math.round(limit), unit: 'docs/s' });
    figures.push({ suite: 'engine', name: `insertMany in memory (batches of 1000, ${IN_FLIGHT} in flight)`, value: Math.round(inMemory), unit: 'docs/s' });
    figures.push({
      suite: 'engine',
      name: 'in-memory insert / bson limit',
      value: inMemory / limit,
      unit: 'ratio',
      target: '≥ 0.5',
      pass: inMemory / limit >= 0.5,
    });
    const latency = await findLatency(memory.uri, options.lookupDocs, 5000);
    const ping = await pingLatency(memory.uri, 5000);
    figures.push({ suite: 'engine', name: 'ping round trip (the floor), p50', value: ping.p50, unit: 'ms' });
    figures.push({ suite: 'engine', name: 'ping round trip (the floor), p99', value: ping.p99, unit: 'ms' });
    figures.push({ suite: 'engine', name: `find by indexed field, ${options.lookupDocs.toLocaleString('en-US')} docs, p50`, value: latency.p50, unit: 'ms' });
    figures.push({
      suite: 'engine',
      name: `find by indexed field, ${options.lookupDocs.toLocaleString('en-US')} docs, p99`,
      value: latency.p99,
      unit: 'ms',
      target: '≤ 1 ms',
      pass: latency.p99 <= 1,
    });
  } finally {
    await memory.stop();
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-bench-'));
  const durable = await startEngineProcess(['--data-dir', dataDir]);
  try {
    const rate = await insertRate(durable.uri, docs, 1000);
    figures.push({ suite: 'engine', name: `insertMany durable (batches of 1000, ${IN_FLIGHT} in flight)`, value: Math.round(rate), unit: 'docs/s' });
  } finally {
    await durable.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
