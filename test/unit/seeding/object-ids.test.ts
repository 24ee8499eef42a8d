import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { assertIdRanges, IdKind, makeObjectId } from '../../../src/seeding/generate/object-ids.js';

describe('makeObjectId', () => {
  it('lays out timestamp, kind, chunk and sequence big-endian', () => {
    const id = makeObjectId(0x65a1b2c3, IdKind.order, 0x0a0b0c, 0x01020304);
    expect(id).toBeInstanceOf(ObjectId);
    expect(id.toHexString()).toBe('65a1b2c3' + '03' + '0a0b0c' + '01020304');
    expect(id.getTimestamp().getTime()).toBe(0x65a1b2c3 * 1000);
  });

  it('gives each (kind, chunk, sequence) its own id even at the same second', () => {
    const seen = new Set<string>();
    for (const kind of Object.values(IdKind)) {
      for (let chunk = 0; chunk < 20; chunk++) {
        for (let seq = 0; seq < 100; seq++) seen.add(makeObjectId(1_700_000_000, kind, chunk, seq).toHexString());
      }
    }
    expect(seen.size).toBe(4 * 20 * 100);
  });

  it('returns independent ids despite the shared scratch buffer', () => {
    const a = makeObjectId(1, IdKind.user, 1, 1);
    const b = makeObjectId(2, IdKind.cart, 2, 2);
    expect(a.toHexString()).toBe('00000001' + '01' + '000001' + '00000001');
    expect(b.toHexString()).toBe('00000002' + '02' + '000002' + '00000002');
  });

  it('handles the extremes of every field', () => {
    expect(makeObjectId(0xffffffff, IdKind.product, 0xffffff, 0xffffffff).toHexString()).toBe('ffffffff04ffffffffffffff');
    expect(() => assertIdRanges(0x1000000, 1)).toThrow(RangeError);
    expect(() => assertIdRanges(1, 2 ** 32)).toThrow(RangeError);
    expect(() => assertIdRanges(-1, 1)).toThrow(RangeError);
    expect(() => assertIdRanges(0xffffff, 2 ** 32 - 1)).not.toThrow();
  });
});
