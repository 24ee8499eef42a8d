/**
 * Handshake and admin commands, as the driver and mongosh send them: hello/isMaster, ping,
 * buildInfo, listDatabases, getLog, hostInfo, connectionStatus, dbStats/collStats,
 * endSessions, and the error shape of an unknown command.
 */
import { Long, MongoClient, MongoServerError, UUID, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, onEmbeddedEngine, openTestDatabase, type TestDatabase } from '../../helpers/database.js';

let t: TestDatabase;
let admin: Db;

beforeAll(async () => {
  t = await openTestDatabase('handshake');
  admin = t.client.db('admin');
  await t.db.collection('people').insertMany([{ name: 'ana' }, { name: 'bia' }, { name: 'caio' }]);
  await t.db.collection('people').createIndex({ name: 1 });
  await t.db.collection('places').insertOne({ city: 'Recife' });
});

afterAll(async () => {
  await t.close();
});

describe('hello / isMaster', () => {
  it('hello answers a writable standalone with the size limits and sessions on', async () => {
    const hello = await admin.command({ hello: 1 });
    expect(hello.ok).toBe(1);
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.minWireVersion).toBe(0);
    // 21 is MongoDB 7.0; the driver 7 needs at least 9.
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.maxMessageSizeBytes).toBe(48_000_000);
    expect(hello.maxWriteBatchSize).toBe(100_000);
    expect(hello.logicalSessionTimeoutMinutes).toBe(30);
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(typeof hello.connectionId).toBe('number');
    expect(hello.readOnly).toBe(false);
  });

  it('isMaster and ismaster are the legacy spellings of the same command', async () => {
    for (const name of ['isMaster', 'ismaster']) {
      const reply = await admin.command({ [name]: 1 });
      expect(reply.ok).toBe(1);
      expect(reply.ismaster).toBe(true);
      expect(reply.maxWireVersion).toBeGreaterThanOrEqual(21);
    }
  });

  // A real deployment may be a replica set (setName, topologyVersion, $clusterTime): only the
  // engine is bound to be a plain standalone in polling mode (docs/WIRE.md §2, §4).
  it.runIf(onEmbeddedEngine())('the engine claims MongoDB 7.0, a standalone with no topologyVersion or compression', async () => {
    const hello = await admin.command({ hello: 1 });
    expect(hello.maxWireVersion).toBe(21);
    for (const field of ['topologyVersion', 'setName', 'hosts', 'msg', 'compression', '$clusterTime', 'operationTime']) {
      expect(hello, field).not.toHaveProperty(field);
    }
  });

  it('every connection of a client gets its own connectionId', async () => {
    const other = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 5000 });
    try {
      const [a, b] = await Promise.all([admin.command({ hello: 1 }), other.db('admin').command({ hello: 1 })]);
      expect(a.connectionId).not.toBe(b.connectionId);
    } finally {
      await other.close();
    }
  });
});

describe('server information', () => {
  it('ping', async () => {
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect(await t.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('buildInfo gives a version that agrees with versionArray', async () => {
    const info = await admin.command({ buildInfo: 1 });
    expect(info.ok).toBe(1);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.versionArray).toHaveLength(4);
    expect(info.version.split('.').slice(0, 2).map(Number)).toEqual(info.versionArray.slice(0, 2));
    expect(info.versionArray[0]).toBeGreaterThanOrEqual(7);
    expect(info.bits).toBe(64);
    expect(info.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(Array.isArray(info.modules)).toBe(true);
    // The driver's own helper reads the same command.
    expect(await admin.admin().serverInfo()).toMatchObject({ version: info.version });
  });

  it('getLog returns startup warnings as an array of lines, and the log names for "*"', async () => {
    const log = await admin.command({ getLog: 'startupWarnings' });
    expect(log.ok).toBe(1);
    expect(typeof log.totalLinesWritten).toBe('number');
    expect(Array.isArray(log.log)).toBe(true);
    const names = await admin.command({ getLog: '*' });
    expect(names.ok).toBe(1);
    expect(names.names).toEqual(expect.arrayContaining(['global', 'startupWarnings']));
  });

  it('hostInfo describes the machine', async () => {
    const info = await admin.command({ hostInfo: 1 });
    expect(info.ok).toBe(1);
    expect(typeof info.system.hostname).toBe('string');
    expect(info.system.numCores).toBeGreaterThan(0);
    expect(info.system.currentTime).toBeInstanceOf(Date);
    expect(typeof info.os.type).toBe('string');
  });

  it('connectionStatus reports the authentication state', async () => {
    const status = await admin.command({ connectionStatus: 1 });
    expect(status.ok).toBe(1);
    expect(Array.isArray(status.authInfo.authenticatedUsers)).toBe(true);
    expect(Array.isArray(status.authInfo.authenticatedUserRoles)).toBe(true);
  });
});

describe('listDatabases', () => {
  it('lists this database with its size, and honours nameOnly and filter', async () => {
    const all = await admin.command({ listDatabases: 1 });
    expect(all.ok).toBe(1);
    expect(typeof all.totalSize).toBe('number');
    const mine = all.databases.find((d: { name: string }) => d.name === t.name);
    expect(mine).toMatchObject({ name: t.name, empty: false });
    expect(mine.sizeOnDisk).toBeGreaterThan(0);

    const names = await admin.command({ listDatabases: 1, nameOnly: true });
    const entry = names.databases.find((d: { name: string }) => d.name === t.name);
    expect(entry).toEqual({ name: t.name });

    const filtered = await admin.command({ listDatabases: 1, filter: { name: t.name } });
    expect(filtered.databases.map((d: { name: string }) => d.name)).toEqual([t.name]);

    // The driver helper, as mongosh's `show dbs` uses it.
    const listed = await admin.admin().listDatabases();
    expect(listed.databases.map((d) => d.name)).toContain(t.name);
  });

  it('forgets a database once its last collection is dropped', async () => {
    const other = t.client.db(`${t.name}_x`);
    await other.collection('only').insertOne({ a: 1 });
    const names = async () => (await admin.command({ listDatabases: 1, nameOnly: true })).databases.map((d: { name: string }) => d.name);
    expect(await names()).toContain(`${t.name}_x`);
    await other.collection('only').drop();
    expect(await names()).not.toContain(`${t.name}_x`);
  });
});

describe('dbStats / collStats', () => {
  it('dbStats counts collections, objects and indexes', async () => {
    const stats = await t.db.command({ dbStats: 1 });
    expect(stats.ok).toBe(1);
    expect(stats.db).toBe(t.name);
    expect(stats.collections).toBe(2);
    expect(stats.objects).toBe(4);
    expect(stats.indexes).toBe(3); // _id_ ×2 and name_1
    expect(stats.dataSize).toBeGreaterThan(0);
    expect(typeof stats.storageSize).toBe('number');
  });

  it('collStats describes one collection', async () => {
    const stats = await t.db.command({ collStats: 'people' });
    expect(stats.ok).toBe(1);
    expect(stats.ns).toBe(`${t.name}.people`);
    expect(stats.count).toBe(3);
    expect(stats.size).toBeGreaterThan(0);
    expect(stats.avgObjSize).toBeGreaterThan(0);
    expect(stats.nindexes).toBe(2);
    expect(Object.keys(stats.indexSizes).sort()).toEqual(['_id_', 'name_1']);
  });
});

describe('sessions', () => {
  it('endSessions accepts session ids (known or not)', async () => {
    const reply = await admin.command({ endSessions: [{ id: new UUID() }, { id: new UUID() }] });
    expect(reply.ok).toBe(1);
  });

  it('a client that closes (endSessions with moreToCome) leaves the server answering others', async () => {
    const other = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 5000 });
    await other.db(t.name).collection('people').findOne({});
    await other.close(); // driver 7: endSessions, w:0, no reply expected
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect(await t.db.collection('people').countDocuments()).toBe(3);
  });

  it('explicit sessions work for ordinary reads and writes', async () => {
    const session = t.client.startSession();
    try {
      await t.db.collection('scratch').insertOne({ s: 1 }, { session });
      expect(await t.db.collection('scratch').findOne({ s: 1 }, { session })).toMatchObject({ s: 1 });
    } finally {
      await session.endSession();
      await t.db.collection('scratch').drop();
    }
  });
});

describe('errors', () => {
  it('an unknown command answers 59 CommandNotFound, not a crash or a hang', async () => {
    const error = await t.db.command({ definitelyNotACommand: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    expect((error as MongoServerError).errmsg).toBe("no such command: 'definitelyNotACommand'");
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('command replies keep cursor ids as 64-bit Longs even when zero', async () => {
    const reply = await t.db.command({ listCollections: 1, nameOnly: true }, { promoteLongs: false });
    expect(Long.isLong(reply.cursor.id)).toBe(true);
    expect((reply.cursor.id as Long).isZero()).toBe(true);
  });
});
