/** The arithmetic of a seed's parts, the choice of parts to finish, and the split's aggregations per write mode: no database. */
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../../src/errors.js';
import { chooseParts, type PartRecord } from '../../../src/seeding/part-records.js';
import { parsePart, partChunks, partCollection, seedFingerprint, missingParts } from '../../../src/seeding/parts.js';
import { parseSeedOptions, planRun } from '../../../src/seeding/options.js';
import { splitRuns, usersPipeline } from '../../../src/seeding/split.js';

const plan = (options: Record<string, unknown> = {}) => parseSeedOptions({ users: 4000, seed: 42, year: 2025, workers: 1, ...options });

describe('parsePart', () => {
  it('reads I/N and {index, count}', () => {
    expect(parsePart('2/4')).toEqual({ index: 2, count: 4 });
    expect(parsePart(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(parsePart({ index: 3, count: 3 })).toEqual({ index: 3, count: 3 });
  });

  it.each([
    ['0/3', 'parts are numbered from 1'],
    ['4/3', 'there is no part 4 of 3'],
    ['1/0', 'at least 1 part'],
    ['-1/3', 'parts are numbered from 1'],
    ['2', 'is not a part'],
    ['a/b', 'is not a part'],
    ['1.5/3', 'is not a part'],
  ])('refuses %s (%s), saying what to give', (input, reason) => {
    expect(() => parsePart(input)).toThrow(UserInputError);
    expect(() => parsePart(input)).toThrow(reason);
    expect(() => parsePart(input)).toThrow('give I/N');
  });

  it('refuses an object part with a fraction', () => {
    expect(() => parsePart({ index: 1.5, count: 2 }, 'input.part')).toThrow(/input\.part: 1\.5\/2: I and N are whole numbers/);
  });
});

describe('partChunks', () => {
  it('puts every chunk in exactly one part, in order, for every N up to the chunk count', () => {
    for (const chunks of [1, 2, 3, 7, 10, 64]) {
      for (let n = 1; n <= chunks; n++) {
        const owner = new Array<number>(chunks).fill(0);
        let next = 0;
        for (let i = 1; i <= n; i++) {
          const { from, to } = partChunks({ index: i, count: n }, chunks, 1000);
          expect(from).toBe(next); // contiguous, in order
          expect(to).toBeGreaterThan(from); // never empty
          for (let c = from; c < to; c++) owner[c]!++;
          next = to;
        }
        expect(next).toBe(chunks);
        expect(owner.every((k) => k === 1)).toBe(true);
      }
    }
  });

  it('gives parts sizes that differ by one chunk at most', () => {
    const sizes = [1, 2, 3, 4, 5, 6, 7].map((i) => {
      const { from, to } = partChunks({ index: i, count: 7 }, 50, 1000);
      return to - from;
    });
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((a, b) => a + b)).toBe(50);
  });

  it('refuses more parts than chunks, naming the most there can be', () => {
    expect(() => partChunks({ index: 1, count: 5 }, 4, 1000)).toThrow(
      /has 4 chunks of 1,000 users, so it splits into at most 4 parts; use fewer parts, or more users/,
    );
    expect(() => partChunks({ index: 1, count: 2 }, 1, 1000)).toThrow(/1 chunk of 1,000 users, so it splits into at most 1 part;/);
  });
});

describe('planRun', () => {
  it('adds the part, or the finish, to a plan with its seed given', () => {
    expect(planRun(plan(), { part: '3/4' }).part).toEqual({ index: 3, count: 4 });
    expect(planRun(plan(), { finish: true })).toMatchObject({ finish: true, shard: false });
    expect(planRun(plan(), { shard: true }).shard).toBe(true);
  });

  it('refuses a part or a finish without --seed, both at once, and a part of a seed too small for it', () => {
    const random = parseSeedOptions({ users: 4000, year: 2025, workers: 1 });
    expect(() => planRun(random, { part: '1/2' })).toThrow(/--part 1\/2 needs --seed: every part must draw the same data/);
    expect(() => planRun(random, { finish: true })).toThrow(/--finish needs --seed/);
    expect(() => planRun(plan(), { part: '1/2', finish: true })).toThrow(/two runs/);
    expect(() => planRun(plan({ users: 800 }), { part: '1/2' })).toThrow(/at most 1 part/);
  });
});

describe('fingerprints and names', () => {
  it('depend on the data options only, not on how they are written', () => {
    const base = seedFingerprint(plan());
    expect(seedFingerprint(plan({ workers: 2, batchSize: 10, keepActivity: true }))).toBe(base);
    for (const change of [{ seed: 43 }, { users: 4001 }, { maxOrders: 5 }, { products: 501 }, { year: 2024 }, { locale: 'en' }]) {
      expect(seedFingerprint(plan(change))).not.toBe(base);
    }
    expect(partCollection(base, { index: 2, count: 4 })).toBe(`datadragon_part_${base}_2of4`);
  });

  it('lists the missing parts', () => {
    expect(missingParts(4, [3, 1])).toEqual([2, 4]);
    expect(missingParts(2, [1, 2])).toEqual([]);
  });
});

describe('chooseParts', () => {
  const p = plan();
  const record = (index: number, count: number, at = 1, of = p): PartRecord => ({
    _id: `${seedFingerprint(of)}:${index}/${count}`,
    fingerprint: seedFingerprint(of),
    part: { index, count },
    options: { seed: of.seed, users: of.users, maxOrders: of.maxOrders, products: of.products, year: of.year, locale: of.locale, chunkSize: of.chunkSize },
    collection: partCollection(seedFingerprint(of), { index, count }),
    chunks: { from: 0, to: 1 },
    written: { users: 1, carts: 1, orders: 1 },
    job: 'j',
    host: 'h',
    pid: 1,
    at: new Date(at),
  });

  it('takes every part of a complete N, in order', () => {
    expect(chooseParts(p, [record(2, 2), record(1, 2)]).map((r) => r.part.index)).toEqual([1, 2]);
  });

  it('takes the latest complete N when there are several', () => {
    const chosen = chooseParts(p, [record(1, 2, 1), record(2, 2, 1), record(1, 3, 5), record(2, 3, 5), record(3, 3, 6)]);
    expect(chosen.map((r) => r.part.count)).toEqual([3, 3, 3]);
  });

  it('refuses naming the missing parts and what to run', () => {
    expect(() => chooseParts(p, [record(1, 4), record(3, 4)])).toThrow(
      /parts 2\/4 and 4\/4 are missing \(written: 1\/4 and 3\/4\)\. Write the missing parts \(npx datadragon seed --part 2\/4/,
    );
  });

  it('never mixes options: parts of other options are named, not used', () => {
    const other = plan({ seed: 7 });
    expect(() => chooseParts(p, [record(1, 1, 1, other)])).toThrow(
      /no part of it has been written; the parts written are of other options \(seed 7, 4,000 users/,
    );
    expect(() => chooseParts(p, [])).toThrow(/write them first with --part 1\/N/);
  });
});

describe('splitRuns', () => {
  it('reads several activity collections as one with $unionWith for $out', () => {
    expect(splitRuns(['a', 'b', 'c'], 'users', usersPipeline, 'out')).toEqual([
      { on: 'a', pipeline: [{ $unionWith: 'b' }, { $unionWith: 'c' }, ...usersPipeline('users', 'out')] },
    ]);
  });

  it('merges each activity collection into the target, failing on a document already there', () => {
    const runs = splitRuns(['a', 'b'], 'users', usersPipeline, 'merge');
    expect(runs.map((r) => r.on)).toEqual(['a', 'b']);
    expect(runs[0]!.pipeline.at(-1)).toEqual({ $merge: { into: 'users', whenMatched: 'fail', whenNotMatched: 'insert' } });
  });
});
