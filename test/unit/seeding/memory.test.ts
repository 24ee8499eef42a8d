/** What this machine can hold: workers capped by memory, the engine's share, the one "does this backend keep the data in memory" answer; the defaults shown by --help. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, DEFAULT_PRODUCTS } from '../../../src/seeding/generate/index.js';
import { SEED_DEFAULTS as LIGHT_DEFAULTS } from '../../../src/seeding/defaults.js';
import { backendHoldsData, checkMemory, checkWorkers, parseSeedOptions, SEED_DEFAULTS, WORKER_BYTES, workersThatFit } from '../../../src/seeding/index.js';

const GIB = 2 ** 30;

describe('workers', () => {
  it('are capped by memory: half of it, at about 125 MB a worker', () => {
    expect(WORKER_BYTES).toBe(125e6);
    expect(workersThatFit(23.4 * GIB)).toBe(100);
    expect(workersThatFit(0.5 * GIB)).toBe(2);
    expect(workersThatFit(0)).toBe(1);
  });

  it('--workers 256 is refused with the estimate and what fits', () => {
    expect(() => checkWorkers(256, 23.4 * GIB)).toThrowError(
      /^--workers 256 needs about 29\.8 GiB \(about 125 MB a worker\), more than this machine can give them \(11\.7 GiB, half of its 23\.4 GiB\): use at most 100 workers here/,
    );
    expect(() => checkWorkers(100, 23.4 * GIB)).not.toThrow();
  });

  it('a plan with more workers than fit is refused as user input; by default one per core, as many as fit', () => {
    expect(() => parseSeedOptions({ workers: 256 })).toThrowError(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(parseSeedOptions({}).workers).toBeLessThanOrEqual(workersThatFit());
  });
});

describe('the data in the engine', () => {
  it('is refused beyond the engine’s share of memory, with what fits', () => {
    expect(() => checkMemory({ users: 10_000_000, maxOrders: 6 }, true, { totalMemory: 16 * GIB })).toThrowError(
      /needs about 57\.2 GiB in the embedded engine.*use at most about 2,097,152 users here/,
    );
    expect(() => checkMemory({ users: 10_000_000, maxOrders: 6 }, false, { totalMemory: 16 * GIB })).not.toThrow();
  });

  it('counts the current dataset, which stays until the new one replaces it, and says how to free it', () => {
    const plan = { users: 1_500_000, maxOrders: 6 };
    expect(() => checkMemory(plan, true, { totalMemory: 16 * GIB })).not.toThrow();
    expect(() => checkMemory(plan, true, { totalMemory: 16 * GIB, previousUsers: 2_000_000 })).toThrowError(
      /the 2,000,000 users of the current dataset stay in memory .*"npx datadragon reset" first frees them/,
    );
  });

  it('is held in memory by the embedded engine only (started here or shared)', () => {
    expect([backendHoldsData('embedded'), backendHoldsData('embedded-shared'), backendHoldsData('uri'), backendHoldsData('mongod')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('the defaults shown by --help', () => {
  it('are the generators’ own', () => {
    expect(LIGHT_DEFAULTS).toBe(SEED_DEFAULTS);
    expect(SEED_DEFAULTS.products).toBe(DEFAULT_PRODUCTS);
    expect(SEED_DEFAULTS.locale).toBe(DEFAULT_LOCALE);
  });
});
