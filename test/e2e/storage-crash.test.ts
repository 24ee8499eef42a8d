/**
 * kill -9 of a durable engine (`datadragon db`) in the middle of large writes — insertMany
 * batches, a `$out` of many documents, an index build — then a restart: every write
 * acknowledged with `j: true` is there, and nothing half-written is visible (each command is
 * kept whole or not at all). Engine-only by nature: these start and kill engines themselves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDbProcess, type RunningEngine } from '../helpers/cli.js';

const running: RunningEngine[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const engine of running.splice(0)) engine.child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-crash-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<{ engine: RunningEngine; client: MongoClient }> {
  const engine = await startDbProcess(['--data-dir', dataDir, '--port', '0']);
  running.push(engine);
  return { engine, client: await MongoClient.connect(engine.uri, { retryWrites: false, serverSelectionTimeoutMS: 5000 }) };
}

async function kill(engine: RunningEngine, client: MongoClient): Promise<void> {
  engine.child.kill('SIGKILL');
  expect((await engine.exited).signal).toBe('SIGKILL');
  await client.close(true).catch(() => undefined);
}

const journaled = { writeConcern: { j: true } };
const BATCH = 2000;

describe('a durable engine killed with -9 during large writes', () => {
  it('keeps every acknowledged insertMany batch, and every batch whole or not at all', async () => {
    const dataDir = tempDir();
    const { engine, client } = await start(dataDir);
    const orders = client.db('shop').collection('orders');
    await orders.createIndex({ batch: 1, i: 1 }, { unique: true, ...journaled });
    const acknowledged: number[] = [];
    let stop = false;
    const writer = (async () => {
      for (let batch = 0; !stop; batch++) {
        const docs = Array.from({ length: BATCH }, (_, i) => ({ batch, i, filler: 'x'.repeat(200) }));
        await orders.insertMany(docs, batch % 2 === 0 ? journaled : {});
        if (batch % 2 === 0) acknowledged.push(batch);
      }
    })().catch(() => undefined); // the kill ends it with a network error
    await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 1000));
    stop = true;
    await kill(engine, client);
    await writer;
    expect(acknowledged.length).toBeGreaterThan(0);

    const again = await start(dataDir);
    const counts = await again.client
      .db('shop')
      .collection('orders')
      .aggregate<{ _id: number; n: number }>([{ $group: { _id: '$batch', n: { $sum: 1 } } }])
      .toArray();
    const byBatch = new Map(counts.map((c) => [c._id, c.n]));
    for (const batch of acknowledged) expect(byBatch.get(batch), `batch ${batch}`).toBe(BATCH);
    for (const [batch, n] of byBatch) expect(n, `batch ${batch}`).toBe(BATCH);
    // and the index came back whole with them
    await expect(again.client.db('shop').collection('orders').insertOne({ batch: acknowledged[0], i: 0 })).rejects.toMatchObject({ code: 11000 });
    await again.client.close();
  });

  it('shows the old target or the whole $out result, never part of it, and no staging collection', async () => {
    const dataDir = tempDir();
    const { engine, client } = await start(dataDir);
    const db = client.db('shop');
    // About 60 MiB: an $out of several steps (aggregate/write-stages.ts), so that the kill
    // lands before, between or after the commits of its staging collection.
    const N = 60_000;
    for (let at = 0; at < N; at += 10_000) {
      await db
        .collection('source')
        .insertMany(Array.from({ length: 10_000 }, (_, i) => ({ _id: at + i, v: (at + i) % 97, filler: 'y'.repeat(1000) })) as Document[], journaled);
    }
    await db.collection('copy').insertOne({ _id: 'old' } as Document, journaled);
    const out = db
      .collection('source')
      .aggregate([{ $match: {} }, { $out: 'copy' }])
      .toArray()
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 2500));
    await kill(engine, client);
    await out;

    const again = await start(dataDir);
    const copy = await again.client.db('shop').collection('copy').countDocuments();
    expect([1, N]).toContain(copy);
    if (copy === 1) expect(await again.client.db('shop').collection('copy').findOne()).toEqual({ _id: 'old' });
    expect(await again.client.db('shop').collection('source').countDocuments()).toBe(N);
    expect((await again.client.db('shop').listCollections().toArray()).map((c) => c.name).sort()).toEqual(['copy', 'source']);
    await again.client.close();
  });

  it('has an index built whole or not at all', async () => {
    const dataDir = tempDir();
    const { engine, client } = await start(dataDir);
    const users = client.db('shop').collection('users');
    for (let at = 0; at < 60_000; at += 10_000) {
      await users.insertMany(Array.from({ length: 10_000 }, (_, i) => ({ _id: at + i, email: `u${at + i}@x.br` })) as Document[], journaled);
    }
    const build = users.createIndex({ email: 1 }, { unique: true }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 300));
    await kill(engine, client);
    await build;

    const again = await start(dataDir);
    const reopened = again.client.db('shop').collection('users');
    const names = (await reopened.indexes()).map((index) => index.name);
    if (names.includes('email_1')) {
      await expect(reopened.insertOne({ email: 'u59999@x.br' })).rejects.toMatchObject({ code: 11000 });
      expect(await reopened.find({ email: 'u12345@x.br' }).toArray()).toEqual([{ _id: 12345, email: 'u12345@x.br' }]);
    } else {
      expect(names).toEqual(['_id_']);
      await reopened.createIndex({ email: 1 }, { unique: true }); // nothing half-built stands in the way
    }
    expect(await reopened.countDocuments()).toBe(60_000);
    await again.client.close();
  });
});
