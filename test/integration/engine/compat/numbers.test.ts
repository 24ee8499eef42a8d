/**
 * The compatibility table, numbers: every BSON number type compares as MongoDB compares
 * them (manual: "Comparison/Sort Order", "Numeric types"), through the official driver, in
 * filters an index serves and in filters it does not, in `_id` and in a unique index.
 * 7, 7.0, NumberLong(7) and Decimal128("7"), "7.00" are one value; a Long beyond 2^53 is
 * neither its neighbour nor the nearest double. Every row runs unchanged against a real MongoDB.
 */
import { Decimal128, Double, Int32, Long, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEmbeddedEngine, openTestDatabase, type TestDatabase } from '../../../helpers/database.js';
import type { AnyDoc } from '../support.js';

let t: TestDatabase;
const d = (text: string) => Decimal128.fromString(text);
const TWO_53 = 9007199254740992n;
const long = (value: bigint) => Long.fromBigInt(value);

beforeAll(async () => {
  t = await openTestDatabase('compat_numbers');
  await t.db.collection<AnyDoc>('lattice').insertMany([
    { _id: 'int32', n: new Int32(7) },
    { _id: 'double', n: new Double(7) },
    { _id: 'long', n: long(7n) },
    { _id: 'decimal', n: d('7') },
    { _id: 'decimal.00', n: d('7.00') },
    { _id: 'half', n: 7.5 },
    { _id: '2^53', n: long(TWO_53) },
    { _id: '2^53+1', n: long(TWO_53 + 1n) },
    { _id: 'negZero', n: -0 },
    { _id: 'decNegZero', n: d('-0') },
    { _id: 'nan', n: NaN },
    { _id: 'decNaN', n: d('NaN') },
    { _id: 'decInf', n: d('Infinity') },
    { _id: 'string', n: '7' },
  ]);
});

afterAll(async () => {
  await t.close();
});

const lattice = () => t.db.collection<AnyDoc>('lattice');
const ids = async (filter: AnyDoc) => (await lattice().find(filter).toArray()).map((doc) => doc._id as string).sort();
const SEVENS = ['decimal', 'decimal.00', 'double', 'int32', 'long'];

describe('numbers compare across BSON types', () => {
  it('equality: 7, NumberLong(7), Decimal128("7") and Decimal128("7.00") find the same five documents (manual: Numeric types)', async () => {
    for (const seven of [7, new Int32(7), long(7n), d('7'), d('7.000'), new Double(7)]) {
      expect(await ids({ n: seven })).toEqual(SEVENS);
      expect(await ids({ n: { $eq: seven } })).toEqual(SEVENS);
    }
  });

  it('a Long beyond 2^53 is neither its neighbour nor the nearest double', async () => {
    expect(await ids({ n: long(TWO_53 + 1n) })).toEqual(['2^53+1']);
    expect(await ids({ n: d('9007199254740993') })).toEqual(['2^53+1']);
    expect(await ids({ n: Number(TWO_53) })).toEqual(['2^53']);
  });

  it('-0 is 0, NaN is NaN, in either type', async () => {
    expect(await ids({ n: 0 })).toEqual(['decNegZero', 'negZero']);
    expect(await ids({ n: d('0E-10') })).toEqual(['decNegZero', 'negZero']);
    expect(await ids({ n: NaN })).toEqual(['decNaN', 'nan']);
    expect(await ids({ n: d('NaN') })).toEqual(['decNaN', 'nan']);
  });

  it('$in, $nin and $ne with numbers of any type', async () => {
    expect(await ids({ n: { $in: [d('7.0'), long(TWO_53 + 1n)] } })).toEqual([...SEVENS, '2^53+1'].sort());
    expect(await ids({ n: { $in: ['7'] } })).toEqual(['string']);
    const notSeven = await ids({ n: { $ne: d('7') } });
    expect(notSeven).not.toContain('long');
    expect(notSeven).toContain('string');
    expect(await ids({ n: { $nin: [7, 7.5, 0, NaN, d('Infinity'), long(TWO_53), long(TWO_53 + 1n)] } })).toEqual(['string']);
  });

  it('$all holds each of its numbers as an equality', async () => {
    expect(await ids({ n: { $all: [d('7.00')] } })).toEqual(SEVENS);
    expect(await ids({ n: { $all: [long(TWO_53 + 1n)] } })).toEqual(['2^53+1']);
  });

  it('ranges are exact across types', async () => {
    expect(await ids({ n: { $gt: d('7'), $lt: 8 } })).toEqual(['half']);
    expect(await ids({ n: { $gt: Number(TWO_53) } })).toEqual(['2^53+1', 'decInf']);
  });

  it('sort orders the lattice exactly: NaN first, equal numbers together, then strings (manual: Comparison/Sort Order)', async () => {
    const sorted = (await lattice().find({}).sort({ n: 1, _id: 1 }).toArray()).map((doc) => doc._id);
    expect(sorted).toEqual(['decNaN', 'nan', 'decNegZero', 'negZero', ...SEVENS, 'half', '2^53', '2^53+1', 'decInf', 'string']);
    const descending = (await lattice().find({}).sort({ n: -1, _id: 1 }).toArray()).map((doc) => doc._id);
    expect(descending).toEqual(['string', 'decInf', '2^53+1', '2^53', 'half', ...SEVENS, 'decNegZero', 'negZero', 'decNaN', 'nan']);
  });

  it('$expr $eq compares numbers across types', async () => {
    expect(await ids({ $expr: { $eq: ['$n', d('7.00')] } })).toEqual(SEVENS);
  });

  it('an indexed field answers as an unindexed one', async () => {
    await lattice().createIndex({ n: 1 });
    expect(await ids({ n: d('7.00') })).toEqual(SEVENS);
    expect(await ids({ n: { $in: [long(TWO_53 + 1n)] } })).toEqual(['2^53+1']);
    await lattice().dropIndex('n_1');
  });
});

describe('numbers as group keys, join keys and distinct values', () => {
  const sevens = { n: { $in: [7, 7.5, long(TWO_53), long(TWO_53 + 1n)] } };

  it('$group puts every 7 in one group, apart from 2^53 and 2^53 + 1 (manual: $group)', async () => {
    const groups = await lattice()
      .aggregate([{ $match: sevens }, { $group: { _id: '$n', count: { $sum: 1 } } }, { $project: { _id: 0, count: 1 } }, { $sort: { count: 1 } }])
      .toArray();
    expect(groups.map((g) => g.count)).toEqual([1, 1, 1, 5]);
    const compound = await lattice()
      .aggregate([{ $match: sevens }, { $group: { _id: { n: '$n' }, count: { $sum: 1 } } }])
      .toArray();
    expect(compound.map((g) => g.count).sort()).toEqual([1, 1, 1, 5]);
  });

  it('$lookup joins Decimal128("7.00") to 7 and NumberLong(7) (manual: $lookup)', async () => {
    await t.db.collection<AnyDoc>('keys').insertOne({ _id: 'k', key: d('7.00') });
    const [joined] = await t.db
      .collection('keys')
      .aggregate([{ $lookup: { from: 'lattice', localField: 'key', foreignField: 'n', as: 'hits' } }])
      .toArray();
    expect((joined!.hits as AnyDoc[]).map((h) => h._id).sort()).toEqual(SEVENS);
  });

  it('distinct answers one 7 and keeps 2^53 + 1 apart', async () => {
    const values = await lattice().distinct('n', sevens);
    expect(values).toHaveLength(4);
  });
});

describe('numbers as _id and in a unique index', () => {
  const duplicate = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => (e as MongoServerError).code,
    );

  it('_id: Decimal128("7") finds _id 7; NumberLong(7) and 7.0 are duplicates of it, 2^53 + 1 is not 2^53', async () => {
    const ids = t.db.collection<AnyDoc>('ids');
    await ids.insertOne({ _id: 7 as never, at: 'int' });
    expect(await ids.findOne({ _id: d('7') as never })).toMatchObject({ at: 'int' });
    expect(await ids.findOne({ _id: d('7.00') as never })).toMatchObject({ at: 'int' });
    expect(await duplicate(ids.insertOne({ _id: long(7n) as never }))).toBe(11000);
    expect(await duplicate(ids.insertOne({ _id: d('7.0') as never }))).toBe(11000);
    await ids.insertOne({ _id: long(TWO_53) as never });
    expect(await duplicate(ids.insertOne({ _id: long(TWO_53 + 1n) as never }))).toBeUndefined();
    expect(await duplicate(ids.insertOne({ _id: Number(TWO_53) as never }))).toBe(11000);
    expect(await ids.countDocuments({ _id: long(TWO_53 + 1n) as never })).toBe(1);
  });

  it('a unique index refuses a number equal to one it holds (E11000) and takes distinct ones', async () => {
    const unique = t.db.collection<AnyDoc>('unique');
    await unique.createIndex({ k: 1 }, { unique: true });
    await unique.insertMany([{ k: 7 }, { k: long(TWO_53) }, { k: d('0.1') }, { k: NaN }]);
    for (const same of [long(7n), d('7.00'), new Double(7), Number(TWO_53), d('NaN'), d('0.10')]) {
      expect(await duplicate(unique.insertOne({ k: same })), String(same)).toBe(11000);
    }
    for (const distinct of [long(TWO_53 + 1n), 0.1, d('7.01'), -0, d('Infinity')]) {
      expect(await duplicate(unique.insertOne({ k: distinct })), String(distinct)).toBeUndefined();
    }
    expect(await duplicate(unique.insertOne({ k: d('-0') }))).toBe(11000);
  });
});

describe('numbers and patterns in updates', () => {
  it('an update whose filter is Decimal128("7") updates the document holding 7; arrayFilters and $pull compare numbers across types', async () => {
    const docs = t.db.collection<AnyDoc>('updates');
    await docs.insertOne({ _id: 'u', n: 7, scores: [7, long(7n), 8, long(TWO_53 + 1n)], tags: ['alpha', 'beta'] });
    expect((await docs.updateOne({ n: d('7.00') }, { $set: { touched: true } })).modifiedCount).toBe(1);
    await docs.updateOne({ _id: 'u' }, { $set: { 'scores.$[s]': 0 } }, { arrayFilters: [{ s: d('7') }] });
    await docs.updateOne({ _id: 'u' }, { $pull: { scores: long(TWO_53 + 1n), tags: /^al/ } as never });
    expect(await docs.findOne({ _id: 'u' })).toEqual({ _id: 'u', n: 7, scores: [0, 0, 8], tags: ['beta'], touched: true });
  });

  it('patterns in $pull and arrayFilters run on RE2: a back-reference is refused with 2', async () => {
    const docs = t.db.collection<AnyDoc>('updates');
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (e: unknown) => (e as MongoServerError).code,
      );
    // MongoDB's PCRE runs back-references; the engine refuses them rather than backtrack (regex.ts).
    expect(await code(docs.updateOne({ _id: 'u' }, { $pull: { tags: /(a)\1/ } as never }))).toBe(onEmbeddedEngine() ? 2 : undefined);
    expect(await code(docs.updateOne({ _id: 'u' }, { $set: { 'tags.$[t]': 'x' } }, { arrayFilters: [{ t: /(b)\1/ }] }))).toBe(
      onEmbeddedEngine() ? 2 : undefined,
    );
  });
});
