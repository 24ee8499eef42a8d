/**
 * Index keys are exact for every numeric type: values MongoDB holds distinct never collide in
 * `_id` or a unique index (a Long beyond 2^53 is not the double next to it), and values MongoDB
 * compares equal collide (7, 7.0, NumberLong(7), Decimal128("7")). Through the driver, so that
 * the same test passes against a real MongoDB; the keys themselves are unit-tested in
 * test/unit/db/embedded/storage/value-key.test.ts.
 */
import { Long, MongoServerError, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { numericLattice as lattice } from '../../helpers/numbers.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase('numeric_keys');
});
afterAll(async () => {
  await database.close();
});

async function duplicate(collection: Collection<Document>, doc: Document): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return false;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) return true;
    throw error;
  }
}

describe('exact numeric keys', () => {
  it('refuses an equal number of another type as a duplicate _id, and takes every distinct one', async () => {
    const collection = database.db.collection('ids');
    for (const group of lattice()) {
      expect(await duplicate(collection, { _id: group[0] })).toBe(false);
      for (const value of group.slice(1)) expect(await duplicate(collection, { _id: value }), `${String(value)} beside ${String(group[0])}`).toBe(true);
    }
    expect(await collection.countDocuments()).toBe(lattice().length);
  });

  it('does the same in a unique secondary index', async () => {
    const collection = database.db.collection('unique');
    await collection.createIndex({ n: 1 }, { unique: true });
    let id = 0;
    for (const group of lattice()) {
      expect(await duplicate(collection, { _id: id++, n: group[0] })).toBe(false);
      for (const value of group.slice(1)) expect(await duplicate(collection, { _id: id++, n: value })).toBe(true);
    }
    expect(await collection.countDocuments()).toBe(lattice().length);
  });

  it('finds a Long beyond 2^53 by _id and by an indexed field, not its neighbour', async () => {
    const collection = database.db.collection('longs');
    await collection.createIndex({ n: 1 });
    const a = Long.fromString('1541815603606036480');
    const b = Long.fromString('1541815603606036481');
    await collection.insertMany([
      { _id: a, n: b },
      { _id: b, n: a },
    ] as never);
    expect((await collection.find({ _id: b }).toArray()).map((doc) => String(doc.n))).toEqual([String(a)]);
    expect((await collection.find({ n: b }).toArray()).map((doc) => String(doc._id))).toEqual([String(a)]);
  });
});
