/**
 * The compatibility table, part 3: `maxTimeMS` on find, aggregate, count, distinct, update,
 * delete and findAndModify answers MaxTimeMSExpired (50) "operation exceeded time limit"
 * (MongoDB manual, "cursor.maxTimeMS()" and "Terminate Running Operations"). The workload is
 * slow on every server (a large `$range` per document), so the limit is hit on MongoDB too.
 */
import { MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../helpers/database.js';
import type { AnyDoc } from '../support.js';

let t: TestDatabase;
const DOCS = 5000;
/** True for every document, after building a 20,000-element array for it. */
const slow = { $expr: { $gt: [{ $size: { $range: [0, { $add: ['$n', 20_000] }] } }, -1] } };
const LIMIT = 20;

beforeAll(async () => {
  t = await openTestDatabase('compat_time_limit');
  await t.db.collection<AnyDoc>('rows').insertMany(Array.from({ length: DOCS }, (_, n) => ({ _id: n, n, tag: n % 7 })));
});

afterAll(async () => {
  await t.close();
});

const rows = () => t.db.collection<AnyDoc>('rows');

async function expectExpired(run: () => Promise<unknown>): Promise<void> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  expect(error).toMatchObject({ code: 50, codeName: 'MaxTimeMSExpired' });
  expect((error as Error).message).toMatch(/operation exceeded time limit/);
}

describe('maxTimeMS', () => {
  it('find', () => expectExpired(() => rows().find(slow, { maxTimeMS: LIMIT }).toArray()));
  it('find with a sort', () => expectExpired(() => rows().find(slow, { maxTimeMS: LIMIT }).sort({ tag: 1 }).toArray()));
  it('aggregate', () =>
    expectExpired(() =>
      rows()
        .aggregate([{ $match: slow }, { $group: { _id: '$tag', n: { $sum: 1 } } }], { maxTimeMS: LIMIT })
        .toArray(),
    ));
  it('count', () => expectExpired(() => rows().countDocuments(slow, { maxTimeMS: LIMIT })));
  it('count command', () => expectExpired(() => t.db.command({ count: 'rows', query: slow, maxTimeMS: LIMIT })));
  it('distinct', () => expectExpired(() => rows().distinct('tag', slow, { maxTimeMS: LIMIT })));
  it('update', () => expectExpired(() => rows().updateMany(slow, { $set: { seen: true } }, { maxTimeMS: LIMIT } as never)));
  it('delete', () => expectExpired(() => rows().deleteMany({ $and: [slow, { n: -1 }] }, { maxTimeMS: LIMIT } as never)));
  it('findAndModify', () => expectExpired(() => rows().findOneAndUpdate({ $and: [slow, { n: -1 }] }, { $set: { x: 1 } }, { maxTimeMS: LIMIT })));

  it('a query within its limit answers, and a negative limit is refused', async () => {
    expect(await rows().countDocuments({ tag: 3 }, { maxTimeMS: 60_000 })).toBe(Math.floor((DOCS - 3 + 6) / 7));
    await expect(t.db.command({ find: 'rows', filter: {}, maxTimeMS: -1 })).rejects.toMatchObject({ code: 2 });
  });
});
