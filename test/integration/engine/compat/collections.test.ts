/**
 * The compatibility table, part 2: collection kinds and administrative commands through the
 * official driver, each test naming its MongoDB manual page. Every test here runs unchanged
 * against a real MongoDB (MONGODB_URI).
 */
import { MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEmbeddedEngine, openTestDatabase, type TestDatabase } from '../../../helpers/database.js';
import type { AnyDoc } from '../support.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase('compat_collections');
  await t.db.collection<AnyDoc>('people').insertMany([
    { _id: 1, name: 'ann', age: 31, city: 'Oslo' },
    { _id: 2, name: 'bob', age: 17, city: 'Rome' },
    { _id: 3, name: 'cy', age: 45, city: 'Oslo' },
  ]);
});

afterAll(async () => {
  await t.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as MongoServerError,
  );

describe('views (manual: Views, db.createView())', () => {
  it('a view answers find, aggregate, count and distinct over its source, and lists as a view', async () => {
    await t.db.createCollection('adults', { viewOn: 'people', pipeline: [{ $match: { age: { $gte: 18 } } }, { $project: { name: 1, city: 1 } }] });
    const adults = t.db.collection<AnyDoc>('adults');
    expect(await adults.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, name: 'ann', city: 'Oslo' },
      { _id: 3, name: 'cy', city: 'Oslo' },
    ]);
    expect(await adults.find({ name: 'cy' }, { projection: { _id: 0, name: 1 } }).toArray()).toEqual([{ name: 'cy' }]);
    expect(await adults.countDocuments({ city: 'Oslo' })).toBe(2);
    expect(await adults.distinct('city')).toEqual(['Oslo']);
    expect(await adults.aggregate([{ $group: { _id: '$city', n: { $sum: 1 } } }]).toArray()).toEqual([{ _id: 'Oslo', n: 2 }]);
    const [info] = await t.db.listCollections({ name: 'adults' }).toArray();
    expect(info).toMatchObject({ name: 'adults', type: 'view', options: { viewOn: 'people' } });
  });

  it('$lookup from a view is refused with 166 (engine: it reads stored documents), joined by MongoDB', async () => {
    await t.db.createCollection('oslo', { viewOn: 'people', pipeline: [{ $match: { city: 'Oslo' } }] });
    const outcome = t.db
      .collection<AnyDoc>('people')
      .aggregate([{ $match: { _id: 1 } }, { $lookup: { from: 'oslo', localField: 'city', foreignField: 'city', as: 'same' } }])
      .toArray();
    if (onEmbeddedEngine()) expect(await failure(outcome)).toMatchObject({ code: 166 });
    else expect((await outcome)[0]?.same).toHaveLength(2);
  });

  it('$out into a view or a capped collection is refused by both', async () => {
    await t.db.createCollection('outcap', { capped: true, size: 4096 });
    expect(
      await failure(
        t.db
          .collection('people')
          .aggregate([{ $out: 'outcap' }])
          .toArray(),
      ),
    ).toBeInstanceOf(MongoServerError);
    expect(
      await failure(
        t.db
          .collection('people')
          .aggregate([{ $out: 'oslo' }])
          .toArray(),
      ),
    ).toBeInstanceOf(MongoServerError);
  });

  it('writes to a view are refused with 166 CommandNotSupportedOnView', async () => {
    await t.db.createCollection('teens', { viewOn: 'people', pipeline: [{ $match: { age: { $lt: 20 } } }] });
    const teens = t.db.collection<AnyDoc>('teens');
    expect(await failure(teens.insertOne({ name: 'dee' }))).toMatchObject({ code: 166 });
    expect(await failure(teens.updateOne({}, { $set: { x: 1 } }))).toMatchObject({ code: 166 });
    expect(await failure(teens.deleteMany({}))).toMatchObject({ code: 166 });
    expect(await failure(teens.createIndex({ name: 1 }))).toMatchObject({ code: 166 });
  });
});

describe('create options (manual: db.createCollection())', () => {
  it('create options the engine does not have are refused with 72 (engine), created by MongoDB', async () => {
    const outcome = t.db.createCollection('metrics', { timeseries: { timeField: 'at' } });
    if (onEmbeddedEngine()) expect(await failure(outcome)).toMatchObject({ code: 72, codeName: 'InvalidOptions' });
    else await outcome;
  });

  it('an unknown option is refused by both', async () => {
    expect(await failure(t.db.command({ create: 'odd', nonsense: 1 }))).toBeInstanceOf(MongoServerError);
  });
});

describe('capped collections (manual: Capped Collections)', () => {
  it('max keeps the newest documents, in insertion order', async () => {
    await t.db.createCollection('log', { capped: true, size: 100_000, max: 3 });
    const log = t.db.collection<AnyDoc>('log');
    for (let i = 1; i <= 10; i++) await log.insertOne({ _id: i });
    expect((await log.find().toArray()).map((d) => d._id)).toEqual([8, 9, 10]);
    await log.insertMany([{ _id: 11 }, { _id: 12 }]);
    expect((await log.find().toArray()).map((d) => d._id)).toEqual([10, 11, 12]);
    const [info] = await t.db.listCollections({ name: 'log' }).toArray();
    expect((info as { options?: object } | undefined)?.options).toMatchObject({ capped: true, max: 3 });
  });

  it('size caps the bytes: the oldest documents go first', async () => {
    await t.db.createCollection('small', { capped: true, size: 4096 });
    const small = t.db.collection<AnyDoc>('small');
    for (let i = 0; i < 100; i++) await small.insertOne({ _id: i, pad: 'x'.repeat(100) });
    const ids = (await small.find().toArray()).map((d) => d._id as number);
    expect(ids.length).toBeGreaterThan(10);
    expect(ids.length).toBeLessThan(40);
    expect(ids[ids.length - 1]).toBe(99);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("a capped collection needs a size: 'capped' without one is refused", async () => {
    expect(await failure(t.db.createCollection('nosize', { capped: true } as never))).toBeInstanceOf(MongoServerError);
  });
});

describe('validators (manual: Schema Validation, $jsonSchema)', () => {
  it('a $jsonSchema validator refuses an invalid insert with 121 DocumentValidationFailure', async () => {
    await t.db.createCollection('users', {
      validator: {
        $jsonSchema: {
          bsonType: 'object',
          required: ['email'],
          properties: { email: { bsonType: 'string', pattern: '@' }, age: { bsonType: 'int', minimum: 0 } },
        },
      },
    });
    const users = t.db.collection<AnyDoc>('users');
    await users.insertOne({ email: 'a@b.c', age: 3 });
    expect(await failure(users.insertOne({ age: 3 }))).toMatchObject({ code: 121 });
    expect(await failure(users.insertOne({ email: 'nope' }))).toMatchObject({ code: 121 });
    expect(await failure(users.insertOne({ email: 'a@b.c', age: -1 }))).toMatchObject({ code: 121 });
    expect(await failure(users.updateOne({ email: 'a@b.c' }, { $set: { email: 42 } }))).toMatchObject({ code: 121 });
    expect(await users.countDocuments()).toBe(1);
    expect(await users.find({ $jsonSchema: { required: ['age'] } }).toArray()).toHaveLength(1);
  });

  it('a query-operator validator, and validationAction: warn lets the write through', async () => {
    await t.db.createCollection('scores', { validator: { score: { $gte: 0, $lte: 100 } } });
    expect(await failure(t.db.collection<AnyDoc>('scores').insertOne({ score: 101 }))).toMatchObject({ code: 121 });
    await t.db.collection<AnyDoc>('scores').insertOne({ score: 99 });
    await t.db.createCollection('lenient', { validator: { score: { $gte: 0 } }, validationAction: 'warn' });
    await t.db.collection<AnyDoc>('lenient').insertOne({ score: -5 });
    expect(await t.db.collection<AnyDoc>('lenient').countDocuments()).toBe(1);
  });

  it('validationLevel moderate still refuses an update that makes a valid document invalid', async () => {
    await t.db.createCollection('legacy_checked', { validator: { score: { $gte: 0 } }, validationLevel: 'moderate' });
    const checked = t.db.collection<AnyDoc>('legacy_checked');
    await checked.insertOne({ _id: 2, score: 5 });
    expect(await failure(checked.updateOne({ _id: 2 }, { $set: { score: -3 } }))).toMatchObject({ code: 121 });
  });
});

describe('statistics and administration', () => {
  it('$collStats with count and storageStats (manual: $collStats; mongosh db.coll.stats())', async () => {
    const [stats] = await t.db
      .collection('people')
      .aggregate([{ $collStats: { count: {}, storageStats: {} } }])
      .toArray();
    expect(stats).toMatchObject({ ns: `${t.name}.people`, count: 3, storageStats: { count: 3, nindexes: 1 } });
    expect(stats!.storageStats.size).toBeGreaterThan(0);
    expect(stats!.storageStats.totalIndexSize).toBeGreaterThan(0);
  });

  it('dbStats reports an index size (manual: dbStats)', async () => {
    const stats = await t.db.stats();
    expect(stats.indexes).toBeGreaterThan(0);
    expect(stats.indexSize).toBeGreaterThan(0);
    expect(stats.dataSize).toBeGreaterThan(0);
  });

  it('explain names the plan: IXSCAN on an index, COLLSCAN without (manual: Explain Results)', async () => {
    const people = t.db.collection<AnyDoc>('people');
    await people.createIndex({ city: 1 });
    const indexed = await people.find({ city: 'Oslo' }).explain('executionStats');
    expect(JSON.stringify(indexed.queryPlanner.winningPlan)).toMatch(/"IXSCAN"/);
    expect(JSON.stringify(indexed.queryPlanner.winningPlan)).toMatch(/"indexName":"city_1"/);
    expect(indexed.executionStats.nReturned).toBe(2);
    const scan = await people.find({ name: 'ann' }).explain('queryPlanner');
    expect(scan.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    const aggregate = await people.aggregate([{ $match: { city: 'Rome' } }, { $project: { name: 1 } }]).explain('queryPlanner');
    expect(JSON.stringify(aggregate)).toMatch(/IXSCAN/);
  });

  it('currentOp, killOp and validate answer (manual: currentOp, killOp, validate)', async () => {
    const admin = t.client.db('admin');
    expect(Array.isArray((await admin.command({ currentOp: 1 })).inprog)).toBe(true);
    expect((await admin.command({ killOp: 1, op: 12345 })).ok).toBe(1);
    const validated = await t.db.command({ validate: 'people' });
    expect(validated).toMatchObject({ valid: true, nrecords: 3 });
  });

  it('shardCollection and friends on a non-mongos: 59 CommandNotFound as a standalone mongod answers', async () => {
    const admin = t.client.db('admin');
    for (const command of [{ shardCollection: `${t.name}.people`, key: { _id: 'hashed' } }, { enableSharding: t.name }, { addShard: 'localhost:27018' }]) {
      const error = await failure(admin.command(command));
      expect(error).toMatchObject({ code: 59, codeName: 'CommandNotFound' });
      expect(error?.message).toMatch(new RegExp(`no such command: '${Object.keys(command)[0]}'`));
    }
  });
});
