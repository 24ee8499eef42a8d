/**
 * The durable store (LMDB, persistence/lmdb-store.ts) as the engine uses it: every write kept
 * across a stop and a start, large transactions whole, failed ones leaving no trace.
 * Engine-only by nature: it starts and restarts engines on data directories of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectId } from 'bson';
import { MongoClient, type Db, type Document } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../../src/db/embedded/engine.js';

describe('the durable store across restarts', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function dataDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-journal-'));
    dirs.push(dir);
    return dir;
  }

  /** Runs `use` against a fresh engine on `dir`, then stops the engine (flushing the journal). */
  async function withEngine<T>(dir: string, use: (db: Db) => Promise<T>): Promise<T> {
    const engine = await new EmbeddedEngine({ dataDir: dir }).start();
    const client = await MongoClient.connect(engine.uri);
    try {
      return await use(client.db('shop'));
    } finally {
      await client.close();
      await engine.stop();
    }
  }

  it('gives back every write, in its last version, after a clean stop', async () => {
    const dir = dataDir();
    const ids = Array.from({ length: 3 }, () => new ObjectId());
    await withEngine(dir, async (db) => {
      const orders = db.collection('orders');
      await orders.insertMany(ids.map((_id, i) => ({ _id, i })));
      await orders.updateOne({ i: 1 }, { $set: { paid: true } });
      await orders.deleteOne({ i: 2 });
      await orders.createIndex({ i: 1 }, { unique: true });
      await db.collection('temp').insertOne({ _id: 1 } as Document);
      await db.collection('temp').drop();
    });
    await withEngine(dir, async (db) => {
      expect(await db.collection('orders').find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: ids[0], i: 0 },
        { _id: ids[1], i: 1, paid: true },
      ]);
      expect(await db.listCollections({ name: 'temp' }).toArray()).toEqual([]);
      expect((await db.collection('orders').indexes()).map((index) => index.name)).toEqual(['_id_', 'i_1']);
    });
  });

  it('keeps the result of $out (one large transaction) and acknowledges j: true writes', async () => {
    const dir = dataDir();
    const filler = 'z'.repeat(64 * 1024);
    await withEngine(dir, async (db) => {
      const source = db.collection('source');
      for (let batch = 0; batch < 6; batch++) {
        const documents = Array.from({ length: 100 }, (_, i) => ({ _id: batch * 100 + i, filler }) as Document);
        expect((await source.insertMany(documents, { writeConcern: { j: true } })).insertedCount).toBe(100);
      }
      await source.aggregate([{ $match: { _id: { $lt: 550 } } }, { $out: 'copy' }]).toArray();
    });
    await withEngine(dir, async (db) => {
      const copy = await db.collection<{ _id: number; filler: string }>('copy').find().sort({ _id: 1 }).toArray();
      expect(copy).toHaveLength(550);
      expect(copy.every((doc, i) => doc._id === i && doc.filler === filler)).toBe(true);
      expect(await db.collection('source').countDocuments()).toBe(600);
    });
  });

  it('leaves no trace of a large $out that failed half-way (its early batches are undone)', async () => {
    const dir = dataDir();
    const filler = 'q'.repeat(64 * 1024);
    await withEngine(dir, async (db) => {
      await db.collection('source').insertMany(Array.from({ length: 700 }, (_, i) => ({ _id: i, filler }) as Document));
      await db.collection('copy').insertOne({ _id: 'before' } as Document);
      // the last document repeats _id 0: DuplicateKey after ~45 MB went into the staging collection
      const failing = [{ $sort: { _id: 1 } }, { $project: { _id: { $cond: [{ $eq: ['$_id', 699] }, 0, '$_id'] }, filler: 1 } }, { $out: 'copy' }];
      await expect(db.collection('source').aggregate(failing).toArray()).rejects.toMatchObject({ code: 11000 });
      await db.collection('after').insertOne({ _id: 1 } as Document);
    });
    await withEngine(dir, async (db) => {
      expect(await db.collection('copy').find().toArray()).toEqual([{ _id: 'before' }]);
      expect(await db.collection('after').countDocuments()).toBe(1);
      const names = (await db.listCollections().toArray()).map((c) => c.name).sort();
      expect(names).toEqual(['after', 'copy', 'source']);
    });
  });
});
