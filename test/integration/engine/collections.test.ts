/**
 * Collection and database DDL: create (and NamespaceExists), drop, dropDatabase,
 * listCollections (nameOnly, filter, reply shape) and renameCollection.
 */
import { Binary, Long, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { type AnyDoc, RAW, bare } from './support.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase('collections');
});

afterAll(async () => {
  await t.close();
});

async function names(): Promise<string[]> {
  return (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
}

describe('create', () => {
  it('creates an empty collection that listCollections shows', async () => {
    expect(bare(await t.db.command({ create: 'made' }))).toEqual({ ok: 1 });
    expect(await names()).toContain('made');
    expect(await t.db.collection<AnyDoc>('made').countDocuments()).toBe(0);
  });

  it('creating it again with the same options is a no-op (MongoDB 7.0), with other options 48 NamespaceExists', async () => {
    await t.db.command({ create: 'twice' });
    expect(bare(await t.db.command({ create: 'twice' }))).toEqual({ ok: 1 });
    await t.db.createCollection('twice');
    const error = await t.db.command({ create: 'twice', capped: true, size: 4096 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 48, codeName: 'NamespaceExists' });
  });

  it('refuses an invalid collection name with 73 InvalidNamespace', async () => {
    await expect(t.db.command({ create: '' })).rejects.toMatchObject({ code: 73, codeName: 'InvalidNamespace' });
  });

  it('an insert creates its collection implicitly', async () => {
    await t.db.collection<AnyDoc>('implicit').insertOne({ a: 1 });
    expect(await names()).toContain('implicit');
  });
});

describe('drop', () => {
  it('drops a collection and its documents', async () => {
    await t.db.collection<AnyDoc>('doomed').insertMany([{ a: 1 }, { a: 2 }]);
    await t.db.collection<AnyDoc>('doomed').createIndex({ a: 1 });
    const reply = bare(await t.db.command({ drop: 'doomed' }));
    expect(reply).toEqual({ nIndexesWas: 2, ns: `${t.name}.doomed`, ok: 1 });
    expect(await names()).not.toContain('doomed');
    expect(await t.db.collection<AnyDoc>('doomed').countDocuments()).toBe(0);
  });

  it('dropping a missing collection is ok (MongoDB 7.0)', async () => {
    expect(bare(await t.db.command({ drop: 'never-was' }))).toMatchObject({ ok: 1 });
    await expect(t.db.collection<AnyDoc>('never-was').drop()).resolves.toBe(true);
    await expect(t.db.dropCollection('never-was')).resolves.toBe(true);
  });
});

describe('dropDatabase', () => {
  it('drops every collection of the database, and is ok on a missing one', async () => {
    const other = t.client.db(`${t.name}_drop`);
    await other.collection('a').insertOne({ a: 1 });
    await other.collection('b').insertOne({ b: 1 });
    const reply = bare(await other.command({ dropDatabase: 1 }));
    expect(reply.ok).toBe(1);
    expect(await other.listCollections().toArray()).toEqual([]);
    const dbs = await t.client.db('admin').command({ listDatabases: 1, nameOnly: true });
    expect(dbs.databases.map((d: { name: string }) => d.name)).not.toContain(`${t.name}_drop`);
    expect(await t.client.db(`${t.name}_none`).dropDatabase()).toBe(true);
  });
});

describe('listCollections', () => {
  beforeAll(async () => {
    await t.db.collection<AnyDoc>('alpha').insertOne({ a: 1 });
    await t.db.collection<AnyDoc>('beta').insertOne({ b: 1 });
  });

  it('nameOnly entries are { name, type }', async () => {
    const reply = await t.db.command({ listCollections: 1, nameOnly: true, authorizedCollections: false, filter: { name: { $in: ['alpha', 'beta'] } } }, RAW);
    expect(reply.ok).toBe(1);
    expect(reply.cursor.ns).toBe(`${t.name}.$cmd.listCollections`);
    expect(Long.isLong(reply.cursor.id) && reply.cursor.id.isZero()).toBe(true);
    const entries = [...reply.cursor.firstBatch].sort((a, b) => a.name.localeCompare(b.name));
    expect(entries).toEqual([
      { name: 'alpha', type: 'collection' },
      { name: 'beta', type: 'collection' },
    ]);
  });

  it('full entries carry options, info (a stable UUID) and the _id index', async () => {
    const [first] = await t.db.listCollections({ name: 'alpha' }).toArray();
    expect(first).toMatchObject({
      name: 'alpha',
      type: 'collection',
      options: {},
      info: { readOnly: false },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    });
    const uuid = (first as { info: { uuid: Binary } }).info.uuid;
    expect(uuid.sub_type).toBe(4);
    const [again] = await t.db.listCollections({ name: 'alpha' }).toArray();
    expect((again as { info: { uuid: Binary } }).info.uuid.toString('hex')).toBe(uuid.toString('hex'));
    const [beta] = await t.db.listCollections({ name: 'beta' }).toArray();
    expect((beta as { info: { uuid: Binary } }).info.uuid.toString('hex')).not.toBe(uuid.toString('hex'));
  });

  it('filters on any field of the entries', async () => {
    expect((await t.db.listCollections({ name: 'beta' }).toArray()).map((c) => c.name)).toEqual(['beta']);
    expect((await t.db.listCollections({ name: /^alp/ }, { nameOnly: true }).toArray()).map((c) => c.name)).toEqual(['alpha']);
    expect(await t.db.listCollections({ name: 'nope' }).toArray()).toEqual([]);
    expect((await t.db.listCollections({ type: 'collection' }).toArray()).length).toBeGreaterThanOrEqual(2);
  });

  it('batches with cursor.batchSize and continues with getMore', async () => {
    const reply = await t.db.command({ listCollections: 1, nameOnly: true, cursor: { batchSize: 1 } }, RAW);
    expect(reply.cursor.firstBatch).toHaveLength(1);
    expect(reply.cursor.id.isZero()).toBe(false);
    const more = await t.db.command({ getMore: reply.cursor.id, collection: '$cmd.listCollections' }, RAW);
    expect(more.cursor.nextBatch.length).toBeGreaterThan(0);
    expect(more.cursor.id.isZero()).toBe(true);
  });
});

describe('renameCollection', () => {
  it('moves documents and indexes to the new name', async () => {
    const from = t.db.collection<AnyDoc>('old_name');
    await from.insertMany([{ k: 1 }, { k: 2 }]);
    await from.createIndex({ k: 1 }, { unique: true });
    await from.rename('new_name');
    expect(await names()).not.toContain('old_name');
    const to = t.db.collection<AnyDoc>('new_name');
    expect(await to.countDocuments()).toBe(2);
    expect((await to.indexes()).map((i) => i.name)).toEqual(['_id_', 'k_1']);
    await expect(to.insertOne({ k: 1 })).rejects.toMatchObject({ code: 11000 });
  });

  it('refuses an existing target (48) unless dropTarget, and a missing source (26)', async () => {
    await t.db.collection<AnyDoc>('src').insertOne({ from: 'src' });
    await t.db.collection<AnyDoc>('dst').insertOne({ from: 'dst' });
    const admin = t.client.db('admin');
    await expect(admin.command({ renameCollection: `${t.name}.src`, to: `${t.name}.dst` })).rejects.toMatchObject({ code: 48, codeName: 'NamespaceExists' });
    expect(bare(await admin.command({ renameCollection: `${t.name}.src`, to: `${t.name}.dst`, dropTarget: true }))).toEqual({ ok: 1 });
    expect(
      await t.db
        .collection<AnyDoc>('dst')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
    ).toEqual([{ from: 'src' }]);
    await expect(admin.command({ renameCollection: `${t.name}.src`, to: `${t.name}.elsewhere` })).rejects.toMatchObject({
      code: 26,
      codeName: 'NamespaceNotFound',
    });
  });
});
