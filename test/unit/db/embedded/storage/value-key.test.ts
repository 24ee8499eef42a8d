/** Index and document-map keys: equal for values MongoDB matches as equal, stable across versions. */
import { Double, Int32, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { valueKey } from '../../../../../src/db/embedded/storage/value-key.js';
import { numericLattice } from '../../../../helpers/numbers.js';

describe('valueKey', () => {
  it('keys an ObjectId by its 12 bytes as latin1, the form journals written earlier hold', () => {
    for (const hex of ['000000000000000000000000', 'ffffffffffffffffffffffff', '65a1b2c3d4e5f60718293a4b', new ObjectId().toHexString()]) {
      expect(valueKey(new ObjectId(hex))).toBe('o' + Buffer.from(hex, 'hex').toString('latin1'));
    }
  });

  it('gives distinct ObjectIds distinct keys and equal ones the same', () => {
    const id = new ObjectId();
    expect(valueKey(new ObjectId(id.toHexString()))).toBe(valueKey(id));
    expect(valueKey(new ObjectId())).not.toBe(valueKey(id));
  });

  it('matches numbers across BSON number types, never strings', () => {
    expect(new Set([valueKey(1), valueKey(new Int32(1)), valueKey(new Long(1)), valueKey(new Double(1))]).size).toBe(1);
    expect(valueKey('1')).not.toBe(valueKey(1));
    expect(valueKey(null)).toBe(valueKey(undefined));
  });

  it('keys equal numbers alike and distinct numbers apart, across the lattice', () => {
    const groups = numericLattice().map((group) => new Set(group.map((value) => valueKey(value))));
    for (const keys of groups) expect(keys.size).toBe(1);
    expect(new Set(groups.map((keys) => [...keys][0])).size).toBe(groups.length);
  });
});
