import { Binary, BSONRegExp, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, serialize, Timestamp, deserialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { decodeFields } from '../../../../../src/db/embedded/persistence/bson-fields.js';
import { DESERIALIZE_OPTIONS } from '../../../../../src/db/embedded/wire/message.js';

// Engine-only: the storage's partial decoding of stored BSON (what an index build reads).
describe('decodeFields', () => {
  const doc = {
    _id: new ObjectId(),
    d: new Double(1.5),
    s: 'héllo',
    o: { a: [1, { b: 2 }] },
    arr: [1, 'x', null],
    bin: new Binary(Buffer.from([1, 2, 3]), 4),
    und: undefined,
    t: true,
    date: new Date(1_700_000_000_000),
    nul: null,
    re: new BSONRegExp('a.c', 'i'),
    code: new Code('x => x'),
    withScope: new Code('x => y', { y: 1 }),
    i: new Int32(7),
    ts: new Timestamp({ t: 1, i: 2 }),
    l: Long.fromString('1541815603606036481'),
    dec: Decimal128.fromString('0.10'),
    min: new MinKey(),
    max: new MaxKey(),
    last: 'end',
  };
  const bson = serialize(doc, { ignoreUndefined: false });
  const whole = deserialize(bson, DESERIALIZE_OPTIONS);

  it('decodes each wanted field past every BSON type exactly as a whole decode does, and leaves out the rest', () => {
    for (const field of Object.keys(doc)) {
      const part = decodeFields(bson, new Set(['_id', field]));
      expect(part).toEqual({ _id: whole._id, [field]: whole[field] });
    }
    expect(decodeFields(bson, new Set(['last', 'missing']))).toEqual({ last: 'end' });
    expect(decodeFields(bson, new Set())).toEqual({});
  });
});
