/**
 * The durable store: the engine-side journal buffer, and the journal writer thread as the
 * engine uses it (in this process, through EmbeddedEngine with a data directory).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, ObjectId, serialize, UUID } from 'bson';
import { MongoClient, type Db, type Document } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../../src/db/embedded/engine.js';
import { JournalBuffer } from '../../../src/db/embedded/persistence/journal-buffer.js';
import type { JournalOp } from '../../../src/db/embedded/persistence/journal-ops.js';
import { SqliteStore } from '../../../src/db/embedded/persistence/sqlite-store.js';

/** The documents of a put payload, in order. */
function docsOf(payload: Uint8Array): Document[] {
  const docs: Document[] = [];
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let at = 0; at < bytes.length; at += bytes.readInt32LE(at)) docs.push(deserialize(bytes.subarray(at, at + bytes.readInt32LE(at))));
  return docs;
}

function puts(ops: JournalOp[]): { cid: number; docs: Document[] }[] {
  return ops.flatMap((op) => (op.op === 'put' ? [{ cid: op.cid, docs: docsOf(op.payload) }] : []));
}

describe('JournalBuffer', () => {
  it('keeps encoded and raw documents back to back, one payload per run of one collection', () => {
    const buffer = new JournalBuffer();
    buffer.put(1, buffer.encode({ _id: 1, a: 'x' }));
    buffer.put(1, serialize({ _id: 2, b: [1, 2] })); // bytes off the wire
    buffer.put(2, buffer.encode({ _id: 3 }));
    buffer.put(1, buffer.encode({ _id: 4 }));
    const { ops, bytes } = buffer.take();
    expect(puts(ops)).toEqual([
      { cid: 1, docs: [{ _id: 1, a: 'x' }, { _id: 2, b: [1, 2] }] },
      { cid: 2, docs: [{ _id: 3 }] },
      { cid: 1, docs: [{ _id: 4 }] },
    ]);
    expect(bytes).toBe([{ _id: 1, a: 'x' }, { _id: 2, b: [1, 2] }, { _id: 3 }, { _id: 4 }].reduce((n, d) => n + serialize(d).length, 0));
    expect(buffer.isEmpty).toBe(true);
  });

  it('forgets an encoded document that was never recorded (an insert refused after measuring)', () => {
    const buffer = new JournalBuffer();
    buffer.encode({ _id: 'refused', big: 'x'.repeat(100) });
    buffer.put(1, buffer.encode({ _id: 'kept' }));
    expect(puts(buffer.take().ops)).toEqual([{ cid: 1, docs: [{ _id: 'kept' }] }]);
  });

  it('spreads a transaction larger than a chunk over several payloads, losing nothing', () => {
    const buffer = new JournalBuffer();
    const filler = 'y'.repeat(4 * 1024 * 1024);
    for (let i = 0; i < 20; i++) buffer.put(7, buffer.encode({ _id: i, filler })); // 80 MiB
    const { ops, transfer } = buffer.take();
    const written = puts(ops);
    expect(written.length).toBeGreaterThan(1);
    expect(written.flatMap((p) => p.docs.map((d) => d._id))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(written.every((p) => p.docs.every((d) => d.filler === filler))).toBe(true);
    // every payload's memory is handed to the writer thread, not copied
    for (const op of ops) if (op.op === 'put') expect(transfer).toContain(op.payload.buffer);
  });

  it('hands over the filled chunks of a large transaction early, keeping the rest in order', () => {
    const buffer = new JournalBuffer();
    const filler = 'w'.repeat(4 * 1024 * 1024);
    buffer.other({ op: 'create', cid: 9, db: 'd', name: 'n', options: serialize({}), indexes: serialize({ list: [] }) });
    let i = 0;
    while (!buffer.hasFullChunks) buffer.put(9, buffer.encode({ _id: i++, filler }));
    const early = buffer.takeFull();
    expect(buffer.hasFullChunks).toBe(false);
    buffer.put(9, buffer.encode({ _id: i++, filler }));
    const rest = buffer.take();
    expect(early.ops[0]!.op).toBe('create');
    const ids = [...puts(early.ops), ...puts(rest.ops)].flatMap((p) => p.docs.map((d) => d._id));
    expect(ids).toEqual(Array.from({ length: i }, (_, n) => n));
    expect(puts(rest.ops).length).toBeGreaterThan(0);
  });

  it('drops the earlier changes of a collection dropped in the same transaction, and discards on failure', () => {
    const buffer = new JournalBuffer();
    buffer.put(1, buffer.encode({ _id: 1 }));
    buffer.put(2, buffer.encode({ _id: 2 }));
    buffer.delete(1, 'n1');
    buffer.other({ op: 'drop', cid: 1 });
    expect(buffer.take().ops.map((op) => [op.op, op.cid])).toEqual([
      ['put', 2],
      ['drop', 1],
    ]);
    buffer.put(3, buffer.encode({ _id: 3 }));
    buffer.discard();
    expect(buffer.isEmpty).toBe(true);
    expect(buffer.take().ops).toEqual([]);
  });

  it('gives each small transaction its own bytes, so the next one cannot overwrite them', () => {
    const buffer = new JournalBuffer();
    buffer.put(1, buffer.encode({ _id: 'first' }));
    const first = buffer.take();
    buffer.put(1, buffer.encode({ _id: 'second' }));
    buffer.take();
    expect(puts(first.ops)).toEqual([{ cid: 1, docs: [{ _id: 'first' }] }]);
  });
});

describe('the durable store across restarts (journal writer thread)', () => {
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

  it('refuses writes, saying why, once the journal cannot be written', async () => {
    const store = new SqliteStore(dataDir());
    for (const loaded of store.load()) void loaded; // an empty directory: starts the writer
    try {
      const record = { db: 'shop', name: 'twice', options: {}, indexes: [], uuid: new UUID() };
      store.transaction(() => store.createCollection(record));
      // The engine never does this; the journal's UNIQUE (db, name) makes the writer fail.
      store.transaction(() => store.createCollection(record));
      expect(() => store.flush()).toThrow(/can no longer be written \(UNIQUE constraint failed.*restart the engine/);
      expect(() => store.transaction(() => store.createCollection({ ...record, name: 'other' }))).toThrow(/writes are refused/);
    } finally {
      await store.close();
    }
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
