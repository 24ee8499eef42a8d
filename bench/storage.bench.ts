/**
 * Storage figures: how long a durable engine takes to open a data directory, at
 * two sizes (it must be flat: no replay, no index rebuild), from process start to accepting
 * connections (`datadragon db`) and in-process (`EmbeddedEngine.start`); the first by-id read
 * after the open (cold cache), its warm latency, and the process's resident memory after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Document, type ObjectId } from 'mongodb';
import { EmbeddedEngine } from '../src/db/embedded/engine.js';
import { cartDocs } from './engine.bench.js';
import { startEngineProcess } from './engine-process.js';
import { percentile, type Figure } from './report.js';

const BATCH = 10_000;

/** A data directory holding `n` cart documents in `shop.carts`, indexed by customer. */
async function fill(dataDir: string, n: number): Promise<ObjectId[]> {
  const engine = await new EmbeddedEngine({ dataDir }).start();
  const client = await MongoClient.connect(engine.uri);
  const ids: ObjectId[] = [];
  try {
    const carts = client.db('shop').collection('carts');
    for (let at = 0; at < n; at += BATCH) {
      const docs = cartDocs(Math.min(BATCH, n - at));
      await carts.insertMany(docs);
      ids.push(docs[0]!._id as ObjectId, docs[docs.length - 1]!._id as ObjectId);
    }
    await carts.createIndex({ customer_id: 1 });
  } finally {
    await client.close();
    await engine.stop();
  }
  return ids;
}

export async function storageBench(options: { sizes: number[] }): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const n of options.sizes) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-storage-bench-'));
    try {
      console.error(`bench storage: writing ${n.toLocaleString('en-US')} documents...`);
      const fillStarted = performance.now();
      const ids = await fill(dataDir, n);
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      const label = `${n.toLocaleString('en-US')} cart documents`;
      const bytes = fs.statSync(path.join(dataDir, 'storage', 'data.mdb')).blocks * 512;
      figures.push({
        suite: 'storage',
        name: `${label}: written through the driver (insertMany of 10,000, default concern)`,
        value: Math.round(n / fillSeconds),
        unit: 'docs/s',
      });
      figures.push({ suite: 'storage', name: `${label}: on disk`, value: Math.round(bytes / 2 ** 20), unit: 'MiB' });
      const inProcess = performance.now();
      const engine = await new EmbeddedEngine({ dataDir }).start();
      figures.push({
        suite: 'storage',
        name: `${label}: EmbeddedEngine.start (open)`,
        value: performance.now() - inProcess,
        unit: 'ms',
        target: '≤ 1000 ms',
        pass: performance.now() - inProcess <= 1000,
      });
      await engine.stop();
      const proc = await startEngineProcess(['--data-dir', dataDir]);
      figures.push({
        suite: 'storage',
        name: `${label}: datadragon db, process start to accepting connections`,
        value: Math.round(proc.startMs),
        unit: 'ms',
        target: '≤ 1000 ms',
        pass: proc.startMs <= 1000,
      });
      const client = await MongoClient.connect(proc.uri);
      try {
        const carts = client.db('shop').collection<Document>('carts');
        let t = performance.now();
        await carts.findOne({ _id: ids[ids.length - 1] });
        figures.push({ suite: 'storage', name: `${label}: first by-id find after the open (cold cache)`, value: performance.now() - t, unit: 'ms' });
        const latencies: number[] = [];
        for (let i = 0; i < 200; i++) {
          t = performance.now();
          await carts.findOne({ _id: ids[i % ids.length] });
          latencies.push(performance.now() - t);
        }
        figures.push({
          suite: 'storage',
          name: `${label}: by-id find, p50 (warm)`,
          value: percentile(
            latencies.sort((a, b) => a - b),
            50,
          ),
          unit: 'ms',
        });
        figures.push({
          suite: 'storage',
          name: `${label}: resident memory of the engine process after these reads`,
          value: Math.round(proc.rssKiB() / 1024),
          unit: 'MiB',
        });
      } finally {
        await client.close();
        await proc.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return figures;
}
