/**
 * The seed's options (src/seeding/options.ts) as the seed job resolves them: the defaults a
 * plan fills in, where each option may come from (flag, DATADRAGON_* variable, config file)
 * and in which order, and the messages of bad values, each naming where the value came from.
 * The resolver's own rules are test/unit/config/resolve.test.ts's; the part and finish flags
 * are parts.test.ts's.
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { envName, flagName } from '../../../src/config.js';
import { seedJob } from '../../../src/jobs/index.js';
import { parseSeedOptions, planSeed, SEED_DEFAULTS, SEED_LIMITS, SeedOptionsSchema } from '../../../src/seeding/index.js';
import { DEFAULT_CHUNK_SIZE, MAX_YEAR, MIN_YEAR } from '../../../src/seeding/generate/index.js';

/** The seed job's parse, with no environment and no file unless given. */
const parse = (flags: Record<string, unknown>, sources: { env?: NodeJS.ProcessEnv; file?: Record<string, unknown> } = {}) =>
  seedJob.parse(flags, { env: sources.env ?? {}, file: sources.file ?? {} });

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('the defaults', () => {
  it('800 users, at most 6 orders each, 500 products, batches of 1,000, pt_BR, the activity dropped', () => {
    expect(parse({})).toMatchObject({
      users: 800,
      maxOrders: 6,
      products: 500,
      batchSize: 1000,
      chunkSize: DEFAULT_CHUNK_SIZE,
      locale: 'pt_BR',
      keepActivity: false,
      finish: false,
      shard: false,
    });
    expect(parse({})).toMatchObject(SEED_DEFAULTS);
  });

  it('the last full calendar year, in UTC', () => {
    const resolved = SeedOptionsSchema.parse({});
    expect(planSeed(resolved, new Date('2026-06-15T00:00:00Z')).year).toBe(2025);
    expect(planSeed(resolved, new Date('2026-01-01T00:00:00Z')).year).toBe(2025);
    expect(planSeed(resolved, new Date('2025-12-31T23:59:59.999Z')).year).toBe(2024);
  });

  it('a random seed, said to be random (so that the run prints it); a given seed, even 0, is not', () => {
    const first = parse({});
    expect(first.seedWasRandom).toBe(true);
    expect(Number.isSafeInteger(first.seed) && first.seed >= 0).toBe(true);
    expect(parse({}).seed).not.toBe(first.seed);
    expect(parse({ seed: 0 })).toMatchObject({ seed: 0, seedWasRandom: false });
    expect(parse({}, { env: { DATADRAGON_SEED: '0' } })).toMatchObject({ seed: 0, seedWasRandom: false });
  });

  it('workers: one per core, at least one', () => {
    const { workers } = parse({});
    expect(workers).toBeGreaterThanOrEqual(1);
    expect(workers).toBeLessThanOrEqual(Math.max(1, os.availableParallelism()));
  });
});

describe('where each option comes from: flag, then DATADRAGON_*, then the config file, then the default', () => {
  const values: Record<string, [flag: unknown, env: string, file: unknown, expected: [unknown, unknown, unknown]]> = {
    users: ['30', '20', 10, [30, 20, 10]],
    maxOrders: ['3', '2', 1, [3, 2, 1]],
    products: ['50', '40', 30, [50, 40, 30]],
    year: ['2023', '2022', 2021, [2023, 2022, 2021]],
    seed: ['3', '2', 1, [3, 2, 1]],
    workers: ['1', '1', 1, [1, 1, 1]],
    batchSize: ['300', '200', 100, [300, 200, 100]],
    locale: ['fr', 'en_US', 'de', ['fr', 'en_US', 'de']],
    keepActivity: [true, 'no', true, [true, false, true]],
  };

  it('covers every option of the seed', () => {
    expect(Object.keys(values).sort()).toEqual(Object.keys(SeedOptionsSchema.shape).sort());
  });

  it.each(Object.entries(values))('%s', (key, [flag, env, file, [fromFlag, fromEnv, fromFile]]) => {
    const variable = envName(key);
    const all = { env: { [variable]: env }, file: { [key]: file } };
    expect(parse({ [key]: flag }, all)[key as keyof ReturnType<typeof parse>]).toEqual(fromFlag);
    expect(parse({}, all)[key as keyof ReturnType<typeof parse>]).toEqual(fromEnv);
    expect(parse({}, { file: all.file })[key as keyof ReturnType<typeof parse>]).toEqual(fromFile);
    // null (a GraphQL input left out) and an empty variable are "not given"
    expect(parse({ [key]: null }, { env: { [variable]: '' }, file: all.file })[key as keyof ReturnType<typeof parse>]).toEqual(fromFile);
  });

  it('each option on its own: a flag for one, a variable for another, the file for a third', () => {
    expect(parse({ users: 5 }, { env: { DATADRAGON_MAX_ORDERS: '2' }, file: { products: 7 } })).toMatchObject({ users: 5, maxOrders: 2, products: 7 });
  });

  it('a switch from a variable: true/1/yes/on or false/0/no/off, in any case', () => {
    for (const text of ['true', '1', 'yes', 'on', 'YES', ' True '])
      expect(parse({}, { env: { DATADRAGON_KEEP_ACTIVITY: text } }).keepActivity, text).toBe(true);
    for (const text of ['false', '0', 'no', 'off', 'No']) expect(parse({}, { env: { DATADRAGON_KEEP_ACTIVITY: text } }).keepActivity, text).toBe(false);
  });
});

describe('bad values are refused, naming where they came from', () => {
  const bounds: [key: keyof typeof SEED_LIMITS | 'year' | 'seed', label: string, min: number, max: number][] = [
    ['users', 'the number of users', 1, SEED_LIMITS.users],
    ['maxOrders', 'the maximum number of orders per user', 1, SEED_LIMITS.maxOrders],
    ['products', 'the number of products', 1, SEED_LIMITS.products],
    ['year', 'the year', MIN_YEAR, MAX_YEAR],
    ['seed', 'the seed', 0, Number.MAX_SAFE_INTEGER],
    ['workers', 'the number of workers', 1, SEED_LIMITS.workers],
    ['batchSize', 'the batch size', 1, SEED_LIMITS.batchSize],
  ];

  it.each(bounds)('%s: a whole number from %s … within its bounds', (key, label, min, max) => {
    const flag = flagName(key);
    const variable = envName(key);
    expect(refusal(() => parse({ [key]: String(min - 1) }))).toBe(`${flag}: ${label} must be at least ${min}`);
    expect(refusal(() => parse({}, { env: { [variable]: String(max + 1) } }))).toBe(`${variable}: ${label} must be at most ${max}`);
    expect(refusal(() => parse({}, { file: { [key]: min + 0.5 } }))).toBe(`"${key}" in datadragon.config.json: ${label} must be a whole number`);
    expect(refusal(() => parse({ [key]: 'many' }))).toBe(`${flag}: ${label} must be a whole number`);
  });

  it('the bounds are what the limits say: 1,000,000,000 users, 1,000 orders each, 1,000,000 products, 256 workers, batches of 100,000', () => {
    expect(SEED_LIMITS).toEqual({ users: 1_000_000_000, maxOrders: 1000, products: 1_000_000, workers: 256, batchSize: 100_000 });
    expect(parse({ maxOrders: 1000, products: 1_000_000, batchSize: 100_000, year: MAX_YEAR })).toMatchObject({
      maxOrders: 1000,
      products: 1_000_000,
      batchSize: 100_000,
      year: MAX_YEAR,
    });
  });

  it('an unknown locale, with some known ones to try', () => {
    expect(refusal(() => parse({ locale: 'klingon' }))).toMatch(/^--locale: unknown locale; try one of af_ZA, ar, .*, \.\.\.$/);
    expect(refusal(() => parse({}, { env: { DATADRAGON_LOCALE: 'xx' } }))).toMatch(/^DATADRAGON_LOCALE: unknown locale/);
  });

  it('a switch that is neither on nor off', () => {
    expect(refusal(() => parse({}, { env: { DATADRAGON_KEEP_ACTIVITY: 'maybe' } }))).toBe(
      'DATADRAGON_KEEP_ACTIVITY: keeping the activity collection is on or off: give true or false',
    );
    expect(refusal(() => parse({}, { file: { keepActivity: 3 } }))).toMatch(
      /^"keepActivity" in datadragon.config.json: keeping the activity collection is on or off/,
    );
  });

  it('more workers than the memory holds, with the estimate', () => {
    expect(refusal(() => parse({ workers: SEED_LIMITS.workers }))).toMatch(/^--workers 256 needs about .* GiB .*use at most \d+ workers here/);
  });

  it('every bad value at once, one a line', () => {
    expect(refusal(() => parse({ users: '0' }, { env: { DATADRAGON_PRODUCTS: 'x' }, file: { batchSize: 0 } })).split('\n')).toEqual([
      '--users: the number of users must be at least 1',
      'DATADRAGON_PRODUCTS: the number of products must be a whole number',
      '"batchSize" in datadragon.config.json: the batch size must be at least 1',
    ]);
  });
});

describe('parseSeedOptions (GraphQL input and library callers)', () => {
  it('fills in the defaults as the job does', () => {
    expect(parseSeedOptions({ seed: 1 })).toEqual({ ...parse({ seed: 1 }) });
  });

  it('names each bad field by its key, every one at once', () => {
    expect(refusal(() => parseSeedOptions({ users: 0, maxOrders: 1001, locale: 'xx' })).split('\n')).toEqual([
      'users: the number of users must be at least 1',
      'maxOrders: the maximum number of orders per user must be at most 1000',
      expect.stringMatching(/^locale: unknown locale; try one of /),
    ]);
  });
});
