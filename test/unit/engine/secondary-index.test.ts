/** Secondary index postings: one id, a few, many; kept exact through additions and removals. */
import { describe, expect, it } from 'vitest';
import { SecondaryIndex } from '../../../src/db/embedded/storage/index-spec.js';
import { valueKey } from '../../../src/db/embedded/storage/value-key.js';

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
    expect(() => index.build({ _id: 2, email: 'a@x.br' }, valueKey(2), 'shop.users')).toThrow(/E11000 duplicate key error collection: shop.users index: email_1 dup key: \{ email: "a@x.br" \}/);
    expect(() => index.checkUnique({ _id: 1, email: 'a@x.br' }, valueKey(1), 'shop.users')).not.toThrow();
  });
});
