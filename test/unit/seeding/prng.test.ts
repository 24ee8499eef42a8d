import { describe, expect, it } from 'vitest';
import { cumulativeWeights, deriveSeed, Prng, randomSeed } from '../../../src/seeding/generate/prng.js';

const draws = (p: Prng, n: number): number[] => Array.from({ length: n }, () => p.nextUint32());

describe('Prng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(draws(new Prng(42), 100)).toEqual(draws(new Prng(42), 100));
    expect(draws(new Prng(42), 100)).not.toEqual(draws(new Prng(43), 100));
    // 53-bit seeds use their high bits too
    expect(draws(new Prng(2 ** 40), 10)).not.toEqual(draws(new Prng(2 ** 40 + 2 ** 33), 10));
  });

  it('next() stays in [0, 1) and is roughly uniform', () => {
    const p = new Prng(1);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = p.next();
      if (!(x >= 0 && x < 1)) outside++;
      else buckets[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const b of buckets) expect(b).toBeGreaterThan(9_000);
  });

  it('int() covers [min, max] inclusive and nothing else', () => {
    const p = new Prng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(p.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('pick() and weightedIndex() follow the weights; zero weights are never drawn', () => {
    const p = new Prng(3);
    expect(() => p.pick([])).toThrow(RangeError);
    const cum = cumulativeWeights([1, 0, 3, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[p.weightedIndex(cum)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 100_000).toBeCloseTo(0.1, 1);
    expect(counts[2]! / 100_000).toBeCloseTo(0.3, 1);
    expect(counts[3]! / 100_000).toBeCloseTo(0.6, 1);
  });

  it('shuffle() is a deterministic permutation', () => {
    const a = new Prng(4).shuffle([...Array(50).keys()]);
    expect(a).toEqual(new Prng(4).shuffle([...Array(50).keys()]));
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Prng(1.5)).toThrow(RangeError);
    expect(() => new Prng(2 ** 60)).toThrow(RangeError);
    expect(() => cumulativeWeights([0, 0])).toThrow(RangeError);
    expect(() => cumulativeWeights([1, -1])).toThrow(RangeError);
  });
});

describe('deriveSeed', () => {
  it('depends only on its inputs, and on every one of them', () => {
    expect(deriveSeed(7, 'activity', 3)).toBe(deriveSeed(7, 'activity', 3));
    const seen = new Set<number>();
    for (let chunk = 0; chunk < 10_000; chunk++) seen.add(deriveSeed(7, 'activity', chunk));
    expect(seen.size).toBe(10_000);
    expect(deriveSeed(7, 'activity', 3)).not.toBe(deriveSeed(8, 'activity', 3));
    expect(deriveSeed(7, 'activity', 3)).not.toBe(deriveSeed(7, 'catalogue', 3));
    expect(deriveSeed(7, 1)).not.toBe(deriveSeed(7, '1'));
    expect(deriveSeed(7, 1, 2)).not.toBe(deriveSeed(7, 2, 1));
  });

  it('returns non-negative safe integers and accepts negative and 53-bit seeds', () => {
    for (const seed of [0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 123_456_789_012]) {
      const d = deriveSeed(seed, 'x');
      expect(Number.isSafeInteger(d) && d >= 0).toBe(true);
    }
    expect(() => deriveSeed(0.5)).toThrow(RangeError);
    expect(() => deriveSeed(1, 0.5)).toThrow(RangeError);
  });

  it('neighbouring chunks get unrelated streams', () => {
    const a = Prng.forStream(1, 'activity', 0);
    const b = Prng.forStream(1, 'activity', 1);
    let equal = 0;
    for (let i = 0; i < 1000; i++) if (a.nextUint32() === b.nextUint32()) equal++;
    expect(equal).toBe(0);
  });

  it('randomSeed() gives safe integers', () => {
    const s = randomSeed();
    expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
  });
});
