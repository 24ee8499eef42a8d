/**
 * The compatibility table, part 1: query semantics and refusals, through the official driver.
 * Each test names the MongoDB manual page it checks. Rows the engine supports run unchanged
 * against a real MongoDB (MONGODB_URI); rows it refuses assert the refusal on the engine and,
 * on MongoDB, that the feature works there (so the row states a true difference).
 */
import { MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEmbeddedEngine, openTestDatabase, type TestDatabase } from '../../../helpers/database.js';
import type { AnyDoc } from '../support.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase('compat_semantics');
  await t.db.collection<AnyDoc>('items').insertMany([
    { _id: 1, a: [1, 5], s: 'abc', n: 10 },
    { _id: 2, a: [3], s: 'ABC', n: 20 },
    { _id: 3, a: [2, 4], s: 'b', n: 30 },
    { _id: 4, a: [], s: 'Äbc', n: 40 },
  ]);
});

afterAll(async () => {
  await t.close();
});

const items = () => t.db.collection<AnyDoc>('items');
const ids = (docs: AnyDoc[]) => docs.map((d) => d._id);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as MongoServerError,
  );

describe('errors in MongoDB words', () => {
  it('an unknown stage is 40324 "Unrecognized pipeline stage name" (manual: Aggregation Pipeline Stages)', async () => {
    const error = await failure(
      items()
        .aggregate([{ $nope: {} }])
        .toArray(),
    );
    expect(error).toMatchObject({ code: 40324 });
    expect(error?.message).toMatch(/Unrecognized pipeline stage name: '\$nope'/);
  });

  it('an unknown query operator is 2 "unknown operator" (manual: Query and Projection Operators)', async () => {
    const error = await failure(
      items()
        .find({ a: { $nope: 1 } })
        .toArray(),
    );
    expect(error).toMatchObject({ code: 2 });
    expect(error?.message).toMatch(/unknown operator: \$nope/);
  });

  it('an unknown top-level operator is 2 "unknown top level operator"', async () => {
    const error = await failure(items().find({ $nope: 1 }).toArray());
    expect(error).toMatchObject({ code: 2 });
    expect(error?.message).toMatch(/unknown top level operator: \$nope/);
  });

  it('an unknown expression operator is 168 "Unrecognized expression" (manual: Aggregation Operators)', async () => {
    const error = await failure(
      items()
        .aggregate([{ $project: { x: { $nope: 1 } } }])
        .toArray(),
    );
    expect(error).toMatchObject({ code: 168 });
    expect(error?.message).toMatch(/Unrecognized expression '\$nope'/);
  });

  it('an unknown $group accumulator is 15952 "unknown group operator" (manual: $group)', async () => {
    const error = await failure(
      items()
        .aggregate([{ $group: { _id: null, x: { $nope: 1 } } }])
        .toArray(),
    );
    expect(error).toMatchObject({ code: 15952 });
    expect(error?.message).toMatch(/unknown group operator '\$nope'/);
  });

  it('a MongoDB stage the engine lacks is refused by name with 115 (engine); $indexStats runs on MongoDB', async () => {
    const outcome = items()
      .aggregate([{ $indexStats: {} }])
      .toArray();
    if (onEmbeddedEngine()) {
      const error = await failure(outcome);
      expect(error).toMatchObject({ code: 115 });
      expect(error?.message).toMatch(/\$indexStats is not supported/);
    } else expect((await outcome).length).toBeGreaterThan(0);
  });

  it('find options that change the answer and are not implemented are refused with 72 (engine), honoured by MongoDB', async () => {
    const outcome = t.db.command({ find: 'items', filter: {}, showRecordId: true });
    if (onEmbeddedEngine()) expect(await failure(outcome)).toMatchObject({ code: 72 });
    else expect((await outcome).ok).toBe(1);
  });

  it('$text without a text index is 27 "text index required" (manual: $text)', async () => {
    const error = await failure(
      items()
        .find({ $text: { $search: 'abc' } })
        .toArray(),
    );
    expect(error).toMatchObject({ code: 27 });
    expect(error?.message).toMatch(/text index required for \$text query/);
  });

  it('a hint naming no index is 2 "hint provided does not correspond to an existing index" (manual: cursor.hint())', async () => {
    const error = await failure(items().find({}).hint({ nope: 1 }).toArray());
    expect(error).toMatchObject({ code: 2 });
    expect(error?.message).toMatch(/hint provided does not correspond to an existing index/);
    await items().createIndex({ n: 1 });
    expect(
      ids(
        await items()
          .find({ n: { $gte: 20 } })
          .hint({ n: 1 })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([2, 3, 4]);
    expect(ids(await items().find({}).hint({ $natural: 1 }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3, 4]);
  });

  it('$where refused without server JavaScript (engine), runs on MongoDB (manual: $where)', async () => {
    const outcome = items().find({ $where: 'this.n > 15' }).toArray();
    if (onEmbeddedEngine()) {
      const error = await failure(outcome);
      expect(error?.code).toBe(6108304);
      expect(error?.message).toBe('no globalScriptEngine in $where parsing');
    } else {
      expect((await outcome).length).toBe(3);
    }
  });
});

describe('regular expressions (manual: $regex)', () => {
  it('patterns with options match, and a hostile one answers at once', async () => {
    expect(
      ids(
        await items()
          .find({ s: { $regex: '^a', $options: 'i' } })
          .sort({ _id: 1 })
          .toArray(),
      ),
    ).toEqual([1, 2]);
    expect(ids(await items().find({ s: /C$/i }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 4]);
    await items().insertOne({ _id: 99, s: `${'a'.repeat(30)}!` });
    expect(await items().countDocuments({ s: { $regex: '^(a+)+$' } })).toBe(0);
    await items().deleteOne({ _id: 99 });
  });

  it('a back-reference is refused with 2 (engine: RE2 syntax), matched by MongoDB', async () => {
    const outcome = items()
      .find({ s: { $regex: '(b)\\1' } })
      .toArray();
    if (onEmbeddedEngine()) expect(await failure(outcome)).toMatchObject({ code: 2 });
    else expect(await outcome).toEqual([]);
  });
});

describe('sort (manual: $sort, "Ascending/Descending Sort with Arrays"; Comparison/Sort Order)', () => {
  it('descending on an array field uses its largest element, ascending its smallest; an empty array first', async () => {
    expect(ids(await items().find().sort({ a: -1, _id: 1 }).toArray())).toEqual([1, 3, 2, 4]);
    expect(ids(await items().find().sort({ a: 1, _id: 1 }).toArray())).toEqual([4, 1, 3, 2]);
    expect(
      ids(
        await items()
          .aggregate([{ $sort: { a: -1, _id: 1 } }])
          .toArray(),
      ),
    ).toEqual([1, 3, 2, 4]);
  });

  it('$top and $bottom answer the value, $topN an array (manual: $top, $bottom, $topN)', async () => {
    const [row] = await items()
      .aggregate([
        {
          $group: {
            _id: null,
            top: { $top: { sortBy: { n: -1 }, output: '$s' } },
            bottom: { $bottom: { sortBy: { n: -1 }, output: '$s' } },
            topN: { $topN: { n: 2, sortBy: { n: 1 }, output: '$_id' } },
          },
        },
      ])
      .toArray();
    expect(row).toEqual({ _id: null, top: 'Äbc', bottom: 'abc', topN: [1, 2] });
  });

  it('$setWindowFields computes running sums (manual: $setWindowFields)', async () => {
    const docs = await items()
      .aggregate([
        { $setWindowFields: { sortBy: { _id: 1 }, output: { running: { $sum: '$n', window: { documents: ['unbounded', 'current'] } } } } },
        { $project: { running: 1 } },
      ])
      .toArray();
    expect(docs).toEqual([
      { _id: 1, running: 10 },
      { _id: 2, running: 30 },
      { _id: 3, running: 60 },
      { _id: 4, running: 100 },
    ]);
  });
});

describe('collation (manual: Collation)', () => {
  it('strength 2 matches case-insensitively, strength 1 also ignores accents', async () => {
    expect(ids(await items().find({ s: 'abc' }).collation({ locale: 'en', strength: 2 }).sort({ _id: 1 }).toArray())).toEqual([1, 2]);
    expect(ids(await items().find({ s: 'abc' }).collation({ locale: 'en', strength: 1 }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 4]);
    expect(await items().countDocuments({ s: { $in: ['ABC', 'B'] } }, { collation: { locale: 'en', strength: 2 } })).toBe(3);
    expect(await items().countDocuments({ s: { $ne: 'abc' } }, { collation: { locale: 'fr', strength: 1 } })).toBe(1);
  });

  it('a collated sort uses the locale order, not binary order', async () => {
    const docs = await items()
      .find({}, { projection: { s: 1 } })
      .collation({ locale: 'en', strength: 1 })
      .sort({ s: 1, _id: 1 })
      .toArray();
    expect(docs.map((d) => d.s)).toEqual(['abc', 'ABC', 'Äbc', 'b']);
  });

  it('a collation the engine cannot honour exactly is refused with 72 (engine), used by MongoDB', async () => {
    const outcome = items().find({ s: 'abc' }).collation({ locale: 'en', strength: 3 }).toArray();
    if (onEmbeddedEngine()) expect(await failure(outcome)).toMatchObject({ code: 72, codeName: 'InvalidOptions' });
    else expect(ids(await outcome)).toEqual([1]);
  });
});

describe('index kinds (manual: Index Types)', () => {
  it.each([[{ s: 'text' }], [{ loc: '2dsphere' }], [{ s: 'hashed' }], [{ '$**': 1 }]])(
    '%o is refused with 67 CannotCreateIndex (engine), built by MongoDB',
    async (key) => {
      const outcome = items().createIndex(key as never);
      if (onEmbeddedEngine()) expect(await failure(outcome)).toMatchObject({ code: 67, codeName: 'CannotCreateIndex' });
      else expect(typeof (await outcome)).toBe('string');
    },
  );

  it('an unknown kind is refused by both with 67 "Unknown index plugin"', async () => {
    const error = await failure(items().createIndex({ x: 'bogus' } as never));
    expect(error).toMatchObject({ code: 67 });
    expect(error?.message).toMatch(/Unknown index plugin 'bogus'/);
  });
});
