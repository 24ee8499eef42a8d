/**
 * Size limits, as mongod enforces them: documents up to 16 MiB, reply batches of at most
 * 16 MiB (a ~40 MB result comes back over several getMores), messages up to 48 MB. What the
 * driver refuses before sending is also sent on a raw socket, to the engine only.
 */
import { calculateObjectSize, serialize } from 'bson';
import { MongoClient, MongoInvalidArgumentError, MongoServerError, type Collection, type Document, type Long } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, onEmbeddedEngine, openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { OP_MSG, RawConnection, rawMessage } from './raw-wire.js';
import { type AnyDoc, MiB, RAW } from './support.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase('limits');
});

afterAll(async () => {
  await t.close();
});

/** BSON bytes of `{ _id: <int32>, s: 'xxx…' }` besides the string itself. */
const OVERHEAD = 22;

/** `{ _id, s: 'xxx…' }` of exactly `size` bytes of BSON. */
function docOfSize(id: number, size: number): Document {
  return { _id: id, s: 'x'.repeat(size - OVERHEAD) };
}

/** The same document, encoded by hand (bson's serialize is slow on huge strings and capped at 17 MiB). */
function bsonOfSize(id: number, size: number): Buffer {
  const out = Buffer.alloc(size, 'x');
  let o = out.writeInt32LE(size, 0);
  out[o++] = 0x10; // int32
  o += out.write('_id\0', o, 'latin1');
  o = out.writeInt32LE(id, o);
  out[o++] = 0x02; // string
  o += out.write('s\0', o, 'latin1');
  out.writeInt32LE(size - OVERHEAD + 1, o);
  out[size - 2] = 0; // end of string
  out[size - 1] = 0; // end of document
  return out;
}

/** The kind-0 body `{ insert, $db, documents: [doc] }` around an already-encoded document. */
function insertBody(collection: string, db: string, doc: Buffer): Buffer {
  const head = Buffer.from(serialize({ insert: collection, $db: db }));
  const array = Buffer.concat([Buffer.alloc(4), Buffer.from([0x03]), Buffer.from('0\0', 'latin1'), doc, Buffer.from([0])]);
  array.writeInt32LE(array.length, 0);
  const out = Buffer.concat([head.subarray(0, -1), Buffer.from([0x04]), Buffer.from('documents\0', 'latin1'), array, Buffer.from([0])]);
  out.writeInt32LE(out.length, 0);
  return out;
}

describe('16 MiB documents', () => {
  it('a document of exactly 16 MiB is stored and read back', async () => {
    const c = t.db.collection<AnyDoc>('exact');
    await c.insertOne(docOfSize(1, 16 * MiB));
    expect(calculateObjectSize(docOfSize(1, 16 * MiB))).toBe(16 * MiB);
    const back = await c.findOne({ _id: 1 });
    expect(back!.s).toHaveLength(16 * MiB - OVERHEAD);
  });

  it('a document over 16 MiB is refused by the server (insertOne), and nothing is stored', async () => {
    const c = t.db.collection<AnyDoc>('over');
    const error = await c.insertOne(docOfSize(1, 16 * MiB + 100)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 2 });
    expect((error as MongoServerError).errmsg).toMatch(/^object to insert too large\. size in bytes: 16777316, max size: 16777216/);
    expect(await c.countDocuments()).toBe(0);
  });

  it('insertMany refuses it before sending (the driver checks maxBsonObjectSize)', async () => {
    const c = t.db.collection<AnyDoc>('over_many');
    const error = await c.insertMany([{ _id: 0 }, docOfSize(1, 16 * MiB + 1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoInvalidArgumentError);
    expect((error as Error).message).toMatch(/Document is larger than the maximum size 16777216/);
    expect(await c.countDocuments()).toBe(0);
  });

  // The driver never sends these: a raw client shows what the engine does with them.
  describe.runIf(onEmbeddedEngine())('from a raw client (engine only)', () => {
    it('an oversize document in a kind-1 sequence is a write error; the other documents go in', async () => {
      const raw = await RawConnection.open(mongoUri());
      try {
        const reply = await raw.command(
          { insert: 'raw_over', ordered: false, $db: t.name },
          { sequences: { documents: [bsonOfSize(1, 16 * MiB + 1), serialize({ _id: 2 }), bsonOfSize(3, 16 * MiB)] } },
        );
        expect(reply).toMatchObject({ ok: 1, n: 2 });
        expect(reply.writeErrors).toHaveLength(1);
        expect(reply.writeErrors[0]).toMatchObject({ index: 0, code: 2 });
        expect(await t.db.collection<AnyDoc>('raw_over').distinct('_id')).toEqual([2, 3]);
      } finally {
        raw.end();
      }
    });

    it('a command body over 16 MiB + 16 KiB is refused as BSONObjectTooLarge; the connection stays usable', async () => {
      const raw = await RawConnection.open(mongoUri());
      try {
        const reply = await raw.command(insertBody('raw_body', t.name, bsonOfSize(1, 16 * MiB + 20 * 1024)));
        expect(reply).toMatchObject({ ok: 0, code: 10334, codeName: 'BSONObjectTooLarge' });
        expect(await raw.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
        expect(await t.db.collection('raw_body').countDocuments()).toBe(0);
      } finally {
        raw.end();
      }
    });
  });
});

describe('nesting', () => {
  /** `levels` levels of objects, the document itself included: { a: { a: ... { a: 1 } } }. */
  function nestedDoc(levels: number): Document {
    let doc: Document = { a: 1 };
    for (let i = 1; i < levels; i++) doc = { a: doc };
    return doc;
  }

  it('a document may nest 180 levels, not 181 (15 Overflow), on insert and on update', async () => {
    const c = t.db.collection<AnyDoc>('nesting');
    await c.insertOne({ _id: 'ok', ...nestedDoc(180) });
    const error = await c.insertOne({ _id: 'deep', ...nestedDoc(181) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 15, codeName: 'Overflow' });
    await expect(c.updateOne({ _id: 'ok' }, { $set: { b: nestedDoc(180) } })).rejects.toMatchObject({ code: 15 });
    expect(await c.countDocuments()).toBe(1);
  });
});

describe("mongod's nesting limit on commands (200 levels below the command)", () => {
  /** `{ $and: [{ $and: [ ... { a: 1 } ] }] }`: every $and adds two levels (the array and its object). */
  function nestedAnd(levels: number): Document {
    let filter: Document = { a: 1 };
    for (let i = 0; i < levels; i++) filter = { $and: [filter] };
    return filter;
  }
  /** `{ $add: [{ $add: [ ... 1 ] }] }`, an expression nested the same way. */
  function nestedAdd(levels: number): Document | number {
    let expression: Document | number = 1;
    for (let i = 0; i < levels; i++) expression = { $add: [expression, 1] };
    return expression;
  }

  it('a filter nested past the limit is refused with 15 Overflow before it runs; one well within runs', async () => {
    const c = t.db.collection<AnyDoc>('nested_filters');
    await c.insertOne({ _id: 1, a: 1 });
    expect(await c.countDocuments(nestedAnd(40))).toBe(1);
    const error = await c
      .find(nestedAnd(150))
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 15 });
    expect((error as Error).message).toMatch(/nested object depth/);
  });

  it('so are an expression, an update and a pipeline nested past it', async () => {
    const c = t.db.collection<AnyDoc>('nested_exprs');
    await c.insertOne({ _id: 1, a: 1 });
    expect(await c.aggregate([{ $project: { v: nestedAdd(40) } }]).toArray()).toEqual([{ _id: 1, v: 41 }]);
    await expect(c.aggregate([{ $project: { v: nestedAdd(150) } }]).toArray()).rejects.toMatchObject({ code: 15 });
    await expect(c.updateOne({ _id: 1 }, { $set: { v: nestedAdd(150) } })).rejects.toMatchObject({ code: 15 });
    let pipeline: Document[] = [{ $match: {} }];
    for (let i = 0; i < 70; i++) pipeline = [{ $facet: { f: pipeline } }]; // three levels each
    await expect(c.aggregate(pipeline).toArray()).rejects.toMatchObject({ code: 15 });
  });

  it('a pipeline of more than 1000 stages is refused (7749501)', async () => {
    const c = t.db.collection<AnyDoc>('long_pipeline');
    await c.insertOne({ _id: 1 });
    const stages = Array.from({ length: 1001 }, () => ({ $match: {} }));
    const error = await c
      .aggregate(stages)
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 7749501 });
    expect((error as Error).message).toMatch(/no longer than 1000 stages/);
  });
});

describe('namespaces clients may not write, as mongod refuses them', () => {
  it('inserts, updates, deletes and creates in system.* are 73 InvalidNamespace', async () => {
    const system = t.db.collection<AnyDoc>('system.foo');
    await expect(system.insertOne({ a: 1 })).rejects.toMatchObject({ code: 73 });
    await expect(system.updateOne({}, { $set: { a: 1 } }, { upsert: true })).rejects.toMatchObject({ code: 73 });
    await expect(system.deleteMany({})).rejects.toMatchObject({ code: 73 });
    await expect(t.db.createCollection('system.bar')).rejects.toMatchObject({ code: 73 });
    const names = (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('system.'))).toEqual([]);
  });

  it('$out and $merge into system.* or into admin, config and local are refused with their own codes', async () => {
    const source = t.db.collection<AnyDoc>('out_source');
    await source.insertOne({ _id: 1 });
    const cases: [Document, number][] = [
      [{ $out: 'system.foo' }, 17385],
      [{ $out: { db: 'admin', coll: 'dd_out' } }, 31321],
      [{ $out: { db: 'local', coll: 'dd_out' } }, 31321],
      [{ $out: { db: 'config', coll: 'dd_out' } }, 31321],
      [{ $merge: { into: 'system.foo' } }, 31319],
      [{ $merge: { into: { db: 'admin', coll: 'dd_merge' } } }, 31320],
      [{ $merge: { into: { db: 'local', coll: 'dd_merge' } } }, 31320],
    ];
    for (const [stage, code] of cases) {
      await expect(source.aggregate([{ $match: {} }, stage]).toArray(), JSON.stringify(stage)).rejects.toMatchObject({ code });
    }
    expect(
      await t.client
        .db('admin')
        .listCollections({ name: { $in: ['dd_out', 'dd_merge'] } })
        .toArray(),
    ).toEqual([]);
  });

  it('a plain insert into admin is allowed, as on a standalone mongod', async () => {
    const admin = t.client.db('admin').collection<AnyDoc>(`dd_${t.name}`);
    try {
      await admin.insertOne({ _id: 1 });
      expect(await admin.countDocuments()).toBe(1);
    } finally {
      await admin.drop();
    }
  });
});

describe('reply batches', () => {
  const DOCS = 40;
  let big: Collection<AnyDoc>;

  beforeAll(async () => {
    big = t.db.collection<AnyDoc>('big');
    // ~40 MiB in all: the driver splits the insert by its own message limits.
    await big.insertMany(Array.from({ length: DOCS }, (_, i) => docOfSize(i, MiB + 1000)));
  });

  it('a ~40 MB result comes back in several batches, none over 16 MiB', async () => {
    const first = await t.db.command({ find: 'big', filter: {}, batchSize: 1000 }, RAW);
    const batches: Document[][] = [first.cursor.firstBatch];
    let id = first.cursor.id as Long;
    while (!id.isZero()) {
      const more = await t.db.command({ getMore: id, collection: 'big', batchSize: 1000 }, RAW);
      batches.push(more.cursor.nextBatch);
      id = more.cursor.id;
    }
    const sizes = batches.map((batch) => batch.reduce((sum, doc) => sum + calculateObjectSize(doc), 0));
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(16 * MiB);
    expect(batches.flat().map((d) => d._id)).toEqual(Array.from({ length: DOCS }, (_, i) => i));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(DOCS * (MiB + 1000));
  });

  it('the driver reads it with toArray, and an aggregate batches the same way', async () => {
    expect(await big.find({}, { projection: { _id: 1 } }).toArray()).toHaveLength(DOCS);
    const reply = await t.db.command({ aggregate: 'big', pipeline: [{ $match: {} }], cursor: { batchSize: 1000 } }, RAW);
    const firstSize = reply.cursor.firstBatch.reduce((sum: number, doc: Document) => sum + calculateObjectSize(doc), 0);
    expect(firstSize).toBeLessThanOrEqual(16 * MiB);
    expect(reply.cursor.id.isZero()).toBe(false);
    await t.db.command({ killCursors: 'big', cursors: [reply.cursor.id] });
  });
});

describe.runIf(onEmbeddedEngine())('48 MB messages (engine only: needs a raw socket)', () => {
  it('a message claiming more than 48,000,000 bytes gets its connection closed; other clients carry on', async () => {
    const other = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 5000 });
    const raw = await RawConnection.open(mongoUri());
    try {
      await raw.write(rawMessage(OP_MSG, Buffer.alloc(1024), 48_000_001));
      expect(await raw.waitClosed()).toBe(true);
      expect(await other.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
      expect(await t.db.collection('big').estimatedDocumentCount()).toBe(40);
    } finally {
      raw.end();
      await other.close();
    }
  });

  it('a real 49 MB message is refused the same way', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      const payload = Buffer.alloc(49_000_000 - 16, 1);
      await raw.write(rawMessage(OP_MSG, payload));
      expect(await raw.waitClosed(5000)).toBe(true);
      expect(await t.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      raw.end();
    }
  });

  it('a message of up to 48,000,000 bytes is accepted', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      // Three 15 MiB documents in a kind-1 sequence: ~47 MB in one message.
      const docs = [0, 1, 2].map((i) => bsonOfSize(i, 15 * MiB));
      const reply = await raw.command({ insert: 'near_limit', $db: t.name }, { sequences: { documents: docs } });
      expect(reply).toMatchObject({ ok: 1, n: 3 });
    } finally {
      raw.end();
    }
  });
});
