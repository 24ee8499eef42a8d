/** Secondary index postings: one id, a few, many; kept exact through additions and removals. */
import { describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { SecondaryIndex } from '../../../../../src/db/embedded/storage/index-spec.js';
import { ValuePostings } from '../../../../../src/db/embedded/storage/postings.js';
import { valueKey } from '../../../../../src/db/embedded/storage/value-key.js';

const docs = Array.from({ length: 40 }, (_, i) => ({ _id: i, customer_id: i < 35 ? 'heavy' : `light-${i}` }));
const idOf = (doc: { _id: number }): string => valueKey(doc._id);

describe('SecondaryIndex postings', () => {
  it('finds every document of a key as its postings grow from one id to many and shrink back', () => {
    const index = new SecondaryIndex({ v: 2, key: { customer_id: 1 }, name: 'customer_id_1' });
    for (const doc of docs) index.add(doc, idOf(doc));
    expect(new Set(index.lookup('heavy'))).toEqual(new Set(docs.slice(0, 35).map(idOf)));
    expect([...index.lookup('light-36')]).toEqual([idOf(docs[36]!)]);
    for (const doc of docs.slice(0, 34)) index.remove(doc, idOf(doc));
    expect([...index.lookup('heavy')]).toEqual([idOf(docs[34]!)]);
    index.remove(docs[34]!, idOf(docs[34]!));
    expect([...index.lookup('heavy')]).toEqual([]);
  });

  it('adds an id once however often it is posted, and removes only what is there', () => {
    const index = new SecondaryIndex({ v: 2, key: { customer_id: 1 }, name: 'customer_id_1' });
    for (let round = 0; round < 3; round++) for (const doc of docs.slice(0, 5)) index.add(doc, idOf(doc));
    expect([...index.lookup('heavy')].sort()).toEqual(docs.slice(0, 5).map(idOf).sort());
    index.remove(docs[20]!, idOf(docs[20]!)); // never added
    expect([...index.lookup('heavy')]).toHaveLength(5);
  });

  it('refuses a second document with a unique key, naming the value', () => {
    const index = new SecondaryIndex({ v: 2, key: { email: 1 }, name: 'email_1', unique: true });
    index.build({ _id: 1, email: 'a@x.br' }, valueKey(1), 'shop.users');
    expect(() => index.checkUnique({ _id: 1, email: 'a@x.br' }, valueKey(1), 'shop.users')).not.toThrow();
    expect(() => index.checkUnique({ _id: 2, email: 'a@x.br' }, valueKey(2), 'shop.users')).toThrow(
      /E11000 duplicate key error collection: shop.users index: email_1 dup key: \{ email: "a@x.br" \}/,
    );
    // A build that meets a duplicate fails the same way (its half-built index is discarded).
    expect(() => index.build({ _id: 2, email: 'a@x.br' }, valueKey(2), 'shop.users')).toThrow(
      /E11000 duplicate key error collection: shop.users index: email_1 dup key: \{ email: "a@x.br" \}/,
    );
  });
});

describe('ValuePostings keys values by MongoDB equality, as valueKey does', () => {
  // Values of every kind, with the pairs MongoDB calls equal (1, 1.0, Long(1), Int32(1)...;
  // -0 and 0; null and missing) and look-alikes that must stay apart ("1" and 1, "n1", "z").
  const values: unknown[] = [
    1,
    1.5,
    -0,
    0,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    10n,
    new Long(1),
    new Int32(1),
    new Double(1),
    new Decimal128('1'),
    new Decimal128('1.50'),
    new Decimal128('Infinity'),
    new Long(0),
    '1',
    'n1',
    's1',
    'z',
    '',
    'héllo',
    null,
    undefined,
    true,
    false,
    new Date(0),
    new Date(1),
    new Date(NaN),
    new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
    new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
    new ObjectId('64b7f0c2a1b2c3d4e5f60719'),
    { a: 1 },
    { a: new Long(1) },
    [1, 2],
    /x/i,
    new MinKey(),
    new MaxKey(),
    new Timestamp({ t: 1, i: 2 }),
  ];

  it('puts two values under one key exactly when their valueKeys are equal', () => {
    values.forEach((value, i) => {
      const postings = new ValuePostings();
      postings.add(value, `id${i}`);
      values.forEach((other, j) => {
        const shared = postings.get(other) !== undefined;
        expect(shared, `${String(i)} vs ${String(j)}`).toBe(valueKey(value) === valueKey(other));
      });
    });
  });

  it('removes what it added, leaving the other values', () => {
    const postings = new ValuePostings();
    values.forEach((value, i) => postings.add(value, `id${i}`));
    values.forEach((value, i) => postings.remove(value, `id${i}`));
    for (const value of values) expect(postings.get(value)).toBeUndefined();
  });

  it('builds a unique index naming the duplicate value whatever its numeric type, and keys arrays by element', () => {
    const index = new SecondaryIndex({ v: 2, key: { n: 1 }, name: 'n_1', unique: true });
    index.build({ _id: 1, n: 1 }, valueKey(1), 'shop.c');
    expect(() => index.build({ _id: 2, n: new Long(1) }, valueKey(2), 'shop.c')).toThrow(/dup key: \{ n: /);
    const multikey = new SecondaryIndex({ v: 2, key: { tags: 1 }, name: 'tags_1', unique: true });
    multikey.build({ _id: 1, tags: ['a', 'b', 'a'] }, valueKey(1), 'shop.c');
    expect([...multikey.lookup('b')]).toEqual([valueKey(1)]);
    expect(() => multikey.build({ _id: 2, tags: ['c', 'b'] }, valueKey(2), 'shop.c')).toThrow(/dup key: \{ tags: "b" \}/);
  });
});
