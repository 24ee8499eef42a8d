/**
 * Numbers in filters and expressions compare as MongoDB compares them, whatever their BSON
 * type (query/numeric-filter.ts, query/numeric-expressions.ts); the driver-level rows are in
 * test/integration/engine/compat/numbers.test.ts.
 */
import { Decimal128, Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { Aggregator, Query } from '../../../../../src/db/embedded/query/mingo-context.js';
import { compareNumeric } from '../../../../../src/db/embedded/query/numeric.js';

const d = (text: string) => Decimal128.fromString(text);
const BIG = Long.fromString('9007199254740993'); // 2^53 + 1: no double holds it

const docs = [
  { _id: 'int', n: 7 },
  { _id: 'frac', n: 7.5 },
  { _id: 'dec', n: d('7.00') },
  { _id: 'big', n: BIG },
  { _id: 'bigNeighbour', n: Long.fromString('9007199254740992') },
  { _id: 'nan', n: NaN },
  { _id: 'decNaN', n: d('NaN') },
  { _id: 'negZero', n: -0 },
  { _id: 'decNegZero', n: d('-0') },
  { _id: 'inf', n: d('Infinity') },
  { _id: 'array', n: [1, d('7')] },
  { _id: 'text', n: '7' },
];
const match = (filter: Record<string, unknown>) => docs.filter((doc) => new Query(filter).test(doc)).map((doc) => doc._id);

describe('numbers in filters', () => {
  it('7, 7.0, NumberLong(7) and every Decimal128 form of 7 are one value', () => {
    const sevens = ['int', 'dec', 'array'];
    expect(match({ n: 7 })).toEqual(sevens);
    expect(match({ n: d('7') })).toEqual(sevens);
    expect(match({ n: { $eq: d('7.000') } })).toEqual(sevens);
    expect(match({ n: Long.fromNumber(7) })).toEqual(sevens);
  });

  it('a Long beyond 2^53 equals itself only, not its neighbour nor the nearest double', () => {
    expect(match({ n: BIG })).toEqual(['big']);
    expect(match({ n: 9007199254740992 })).toEqual(['bigNeighbour']);
    expect(match({ n: d('9007199254740993') })).toEqual(['big']);
  });

  it('NaN equals NaN of either type; -0 equals 0', () => {
    expect(match({ n: NaN })).toEqual(['nan', 'decNaN']);
    expect(match({ n: 0 })).toEqual(['negZero', 'decNegZero']);
  });

  it('$in, $nin and $ne follow the same equality; a string "7" is never the number 7', () => {
    expect(match({ n: { $in: [d('7'), 'x', BIG] } })).toEqual(['int', 'dec', 'big', 'array']);
    expect(match({ n: { $in: ['7'] } })).toEqual(['text']);
    expect(match({ n: { $nin: [7, NaN, 0, BIG, Long.fromString('9007199254740992'), 7.5, d('Infinity')] } })).toEqual(['text']);
    expect(match({ n: { $ne: d('7') } })).not.toContain('dec');
    expect(match({ n: { $ne: d('7') } })).toContain('text');
  });

  it('$all holds each of its numbers as an equality', () => {
    expect(match({ n: { $all: [d('1'), 7] } })).toEqual(['array']);
    expect(match({ n: { $all: [d('7.0')] } })).toEqual(['int', 'dec', 'array']);
    expect(match({ n: { $all: [7, 'x'] } })).toEqual([]);
  });

  it('ranges are exact across types, and NaN is in no range', () => {
    expect(match({ n: { $gt: 7, $lt: 8 } })).toEqual(['frac']);
    expect(match({ n: { $gte: d('7'), $lt: d('7.5') } })).toEqual(['int', 'dec', 'array']);
    expect(match({ n: { $gt: 9007199254740992 } })).toEqual(['big', 'inf']);
    expect(match({ n: { $lt: -1 } })).toEqual([]);
    expect(match({ n: { $not: { $gt: 1 } } })).toEqual(['nan', 'decNaN', 'negZero', 'decNegZero', 'text']);
  });

  it('$expr comparisons and $in expressions compare numbers across types', () => {
    expect(match({ $expr: { $eq: ['$n', d('7.0')] } })).toEqual(['int', 'dec']);
    expect(match({ $expr: { $in: ['$n', [BIG]] } })).toEqual(['big']);
    expect(match({ $expr: { $gt: ['$n', Long.fromString('9007199254740992')] } })).toContain('big');
    const [row] = new Aggregator([{ $project: { c: { $cmp: [d('1E+400'), 1e308] } } }]).run([{ _id: 1 }]);
    expect(row).toEqual({ _id: 1, c: 1 });
  });
});

describe('compareNumeric', () => {
  it('orders the lattice exactly: NaN < -Infinity < … < Infinity', () => {
    const ordered = [NaN, d('-Infinity'), -1e308, Long.fromString('-9007199254740993'), -1, d('-0.1'), 0, d('0.1'), 0.1, 7, BIG, d('1E+400'), Infinity];
    for (let i = 0; i + 1 < ordered.length; i++) expect(compareNumeric(ordered[i], ordered[i + 1]), String(i)).toBe(-1);
    expect(compareNumeric(d('NaN'), NaN)).toBe(0);
    expect(compareNumeric(d('-0'), 0)).toBe(0);
    expect(compareNumeric('7', 7)).toBeUndefined();
  });
});
