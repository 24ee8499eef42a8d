/**
 * What the seed job publishes and reports, without a database (src/jobs/kinds/seed-steps.ts
 * and seed-part.ts): the swap of its commit, its phase times, the lock a part of a seed takes.
 * The phases themselves write to the database: test/integration/jobs.test.ts runs them.
 */
import { describe, expect, it } from 'vitest';
import { type JobEnv, seedJob } from '../../../src/jobs/index.js';
import { partLockId } from '../../../src/jobs/kinds/seed-part.js';
import { datasetSwap, describeCounts, phaseSeconds, stagingTargets } from '../../../src/jobs/kinds/seed-steps.js';
import { SEED_PHASES } from '../../../src/seeding/index.js';

const env = { jobId: 'job-7', staging: (name: string) => `staging_${name}` } as unknown as JobEnv;
const plan = (flags: Record<string, unknown> = {}) => seedJob.parse({ seed: 5, users: 4000, workers: 1, year: 2024, ...flags }, { env: {}, file: {} });

describe('the seed’s commit', () => {
  it('replaces the four dataset collections with their staging copies, drops the old activity, records the dataset', () => {
    const steps = datasetSwap(plan(), env, stagingTargets(env));
    expect(steps.slice(0, 5)).toEqual([
      { op: 'replace', from: 'staging_users', to: 'users' },
      { op: 'replace', from: 'staging_products', to: 'products' },
      { op: 'replace', from: 'staging_carts', to: 'carts' },
      { op: 'replace', from: 'staging_orders', to: 'orders' },
      { op: 'drop', name: 'activity' },
    ]);
    expect(steps[5]).toEqual({
      op: 'put',
      doc: {
        _id: 'dataset',
        id: 'job-7',
        origin: 'seed',
        at: expect.any(Date),
        seed: { seed: 5, users: 4000, maxOrders: 6, products: 500, year: 2024, locale: 'pt_BR' },
      },
    });
    expect(steps).toHaveLength(6);
  });

  it('with keepActivity, publishes the new activity collection instead of dropping the old one', () => {
    expect(datasetSwap(plan({ keepActivity: true }), env, stagingTargets(env))[4]).toEqual({ op: 'replace', from: 'staging_activity', to: 'activity' });
  });
});

describe('the seed’s report', () => {
  it('seconds of every seed phase, 0 for those a run did not have, and the total', () => {
    const seconds = phaseSeconds({ phases: { products: 1.5, indexes: 2 }, total: 9 });
    expect(Object.keys(seconds)).toEqual([...SEED_PHASES, 'total']);
    expect(seconds).toMatchObject({ products: 1.5, indexes: 2, total: 9 });
    for (const phase of SEED_PHASES.filter((p) => p !== 'products' && p !== 'indexes')) expect(seconds[phase], phase).toBe(0);
  });

  it('counts in words, with thousands separators', () => {
    expect(describeCounts({ users: 400, products: 500, carts: 1012, orders: 1_234_567 })).toBe('400 users, 500 products, 1,012 carts, 1,234,567 orders');
  });
});

describe('a part of a seed', () => {
  it('takes a lock of its own, named by the data options and the part: two machines never write the same part', () => {
    const one = seedJob.lockOf!(plan({ part: '1/2' }));
    expect(one).toBe(partLockId(plan({ part: '1/2' })));
    expect(one).toMatch(/^part:.+:1\/2$/);
    expect(seedJob.lockOf!(plan({ part: '2/2' }))).toBe(one!.replace(/1\/2$/, '2/2'));
    // the same data written with other workers or batches is the same part
    expect(seedJob.lockOf!(plan({ part: '1/2', batchSize: 10 }))).toBe(one);
    expect(seedJob.lockOf!(plan({ part: '1/2', seed: 6 }))).not.toBe(one);
    // a whole seed and the finish take the database's lock
    expect(seedJob.lockOf!(plan())).toBeUndefined();
    expect(seedJob.lockOf!(plan({ finish: true }))).toBeUndefined();
  });
});
