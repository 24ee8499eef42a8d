/**
 * The engine on its own threads, as the app runs it (host/engine-threads.ts: a front thread
 * and an executor thread), started from the TypeScript sources through tsx's loader. Engine
 * only by nature: it tests the engine's threads, which a real MongoDB does not have.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { readLockHolder, startEngineThread, type EngineHandle } from '../../../src/db/embedded/index.js';
import type { AnyDoc } from './support.js';

const started: EngineHandle[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const engine of started.splice(0)) await engine.stop();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function threaded(options: Parameters<typeof startEngineThread>[0] = {}): Promise<EngineHandle> {
  const engine = await startEngineThread({ ...options, threads: 'own' });
  started.push(engine);
  return engine;
}

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-threads-'));
  dirs.push(dir);
  return dir;
}

describe('the engine on its own threads', () => {
  it('keeps a durable engine’s data across a stop and a start, and publishes its address in the lock while it runs', async () => {
    const dir = dataDir();
    const first = await startEngineThread({ dataDir: dir, threads: 'own' });
    expect(readLockHolder(dir)?.uri).toBe(first.uri);
    const client = await MongoClient.connect(first.uri);
    const items = client.db('threads').collection<AnyDoc>('items');
    await items.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: i, name: `item ${i}` })));
    await items.createIndex({ name: 1 });
    await client.close();
    await first.stop();
    expect(readLockHolder(dir)).toBeUndefined();

    const second = await threaded({ dataDir: dir });
    const again = await MongoClient.connect(second.uri);
    try {
      const reopened = again.db('threads').collection<AnyDoc>('items');
      expect(await reopened.countDocuments()).toBe(500);
      expect(await reopened.findOne({ _id: 42 })).toEqual({ _id: 42, name: 'item 42' });
      expect(await reopened.find({ name: 'item 7' }).toArray()).toEqual([{ _id: 7, name: 'item 7' }]);
    } finally {
      await again.close();
    }
  });

  it('in memory: every command runs, finds by _id included', async () => {
    const engine = await threaded();
    const client = await MongoClient.connect(engine.uri);
    try {
      const items = client.db('threads').collection<AnyDoc>('items');
      await items.insertOne({ _id: 'a', v: 1 });
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', v: 1 });
      expect(await items.findOne({ _id: 'b' })).toBeNull();
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('a find by _id answers as the query engine does: projections, views, a collation and other _id values', async () => {
    const engine = await threaded({ dataDir: dataDir() });
    const client = await MongoClient.connect(engine.uri);
    try {
      const db = client.db('threads');
      const items = db.collection<AnyDoc>('items');
      await items.insertMany([
        { _id: 1, v: 'int' },
        { _id: 'A', v: 'string' },
        { _id: { nested: 1 } as never, v: 'document' },
      ]);
      expect(await items.findOne({ _id: 1.0 })).toEqual({ _id: 1, v: 'int' });
      expect(await items.findOne({ _id: 1 }, { projection: { _id: 0 } })).toEqual({ v: 'int' });
      expect(await items.findOne({ _id: { nested: 1 } as never })).toEqual({ _id: { nested: 1 }, v: 'document' });
      expect(await items.findOne({ _id: 'a' })).toBeNull();
      expect(await items.findOne({ _id: 'a' }, { collation: { locale: 'en', strength: 2 } })).toEqual({ _id: 'A', v: 'string' });
      await db.createCollection('shown', { viewOn: 'items', pipeline: [{ $project: { v: 0 } }] });
      expect(await db.collection<AnyDoc>('shown').findOne({ _id: 1 })).toEqual({ _id: 1 });
      expect(await db.collection<AnyDoc>('absent').findOne({ _id: 1 })).toBeNull();
    } finally {
      await client.close();
    }
  });

  it('with authentication: the handshake authenticates on the front, and the commands it hands over run', async () => {
    const engine = await threaded({ dataDir: dataDir(), auth: { user: 'dragon', password: 'fire' } });
    const anonymous = await MongoClient.connect(engine.uri);
    const signedIn = await MongoClient.connect(engine.uri.replace('mongodb://', 'mongodb://dragon:fire@') + '?authSource=admin');
    try {
      expect((await anonymous.db('admin').command({ ping: 1 })).ok).toBe(1);
      await expect(anonymous.db('threads').collection<AnyDoc>('items').findOne({ _id: 1 })).rejects.toMatchObject({ code: 13 });
      await expect(anonymous.db('threads').collection<AnyDoc>('items').insertOne({ _id: 1 })).rejects.toMatchObject({ code: 13 });
      await signedIn.db('threads').collection<AnyDoc>('items').insertOne({ _id: 1, v: 'mine' });
      expect(await signedIn.db('threads').collection<AnyDoc>('items').findOne({ _id: 1 })).toEqual({ _id: 1, v: 'mine' });
    } finally {
      await anonymous.close();
      await signedIn.close();
    }
  });

  it('a second engine on the same data directory is refused, and the first keeps serving', async () => {
    const dir = dataDir();
    const engine = await threaded({ dataDir: dir });
    await expect(startEngineThread({ dataDir: dir, threads: 'own' })).rejects.toThrow(/data directory|locked|in use/i);
    const client = await MongoClient.connect(engine.uri);
    try {
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });
});
