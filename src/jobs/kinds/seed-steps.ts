/**
 * What the seed's runs share (a whole seed, and the finish of one written in parts): the
 * staging targets, the phases after the activity (products, split, indexes), the swap that
 * publishes the dataset, its result and what a failure leaves.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, DATASET_COLLECTIONS, type DatasetState } from '../../models/index.js';
import {
  buildSeedIndexes,
  catalogueOf,
  countDataset,
  createSharded,
  insertProducts,
  runSplit,
  SEED_INDEX_COUNT,
  SEED_PHASES,
  SPLIT_STEP_COUNT,
  type SeedCounts,
  type SeedPhase,
  type SeedPlan,
  type SeedSummary,
  type SeedTargets,
  type WriteMode,
  type Catalogue,
} from '../../seeding/index.js';
import { readStates } from '../../spending/index.js';
import type { SwapStep } from '../swap.js';
import type { JobEnv, JobTimes, Phase } from '../types.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** "400 users, 500 products, 1,012 carts, 802 orders" */
export function describeCounts(counts: SeedCounts): string {
  return `${count(counts.users)} users, ${count(counts.products)} products, ${count(counts.carts)} carts, ${count(counts.orders)} orders`;
}

export function stagingTargets(env: JobEnv): SeedTargets {
  return {
    users: env.staging('users'),
    products: env.staging('products'),
    carts: env.staging('carts'),
    orders: env.staging('orders'),
    activity: env.staging('activity'),
  };
}

/**
 * On sharded targets: users, carts and orders created sharded (the split merges into them).
 * Run in `prepare`, so that a server that cannot shard refuses before any data is written.
 */
export async function shardTargets(db: Db, targets: SeedTargets, mode: WriteMode): Promise<void> {
  if (!mode.sharded) return;
  for (const kind of ['users', 'carts', 'orders'] as const) await createSharded(db, targets[kind], kind);
}

/** The catalogue, generated once, when first needed. */
export function lazyCatalogue(plan: SeedPlan): () => Catalogue {
  let catalogue: Catalogue | undefined;
  return () => (catalogue ??= catalogueOf(plan));
}

export function productsPhase(db: Db, plan: SeedPlan, into: string, catalogue: () => Catalogue): Phase {
  return {
    name: 'products',
    unit: 'products',
    total: plan.products,
    run: ({ progress, signal }) => insertProducts(db, into, catalogue(), (done) => progress(done), signal),
  };
}

/** The split from the activity collections `sources`; `after` runs once it is done (dropping the activity...). */
export function splitPhase(db: Db, sources: readonly string[], targets: SeedTargets, mode: WriteMode, after: () => Promise<void>): Phase {
  return {
    name: 'split',
    unit: 'collections',
    total: SPLIT_STEP_COUNT,
    run: async ({ progress, signal }) => {
      await runSplit(db, targets, { sources, write: mode.write, signal, onStep: (done) => progress(done) });
      await after();
    },
  };
}

export function indexesPhase(db: Db, targets: SeedTargets, mode: WriteMode): Phase {
  return {
    name: 'indexes',
    unit: 'indexes',
    total: SEED_INDEX_COUNT,
    run: ({ progress, signal }) => buildSeedIndexes(db, targets, (done) => progress(done), signal, mode.sharded),
  };
}

/** The swap that publishes a dataset built under `targets`, and records where it came from. */
export function datasetSwap(plan: SeedPlan, env: JobEnv, targets: SeedTargets): SwapStep[] {
  const dataset: DatasetState = {
    _id: 'dataset',
    id: env.jobId,
    origin: 'seed',
    at: new Date(),
    seed: { seed: plan.seed, users: plan.users, maxOrders: plan.maxOrders, products: plan.products, year: plan.year, locale: plan.locale },
  };
  return [
    ...DATASET_COLLECTIONS.map((name): SwapStep => ({ op: 'replace', from: targets[name], to: name })),
    // An activity collection kept by an earlier seed belongs to the dataset being replaced.
    plan.keepActivity ? { op: 'replace', from: targets.activity, to: COLLECTIONS.activity } : { op: 'drop', name: COLLECTIONS.activity },
    { op: 'put', doc: dataset },
  ];
}

/** Seconds of every seed phase (0 for those a run does not have). */
export function phaseSeconds(times: JobTimes): SeedSummary['seconds'] {
  const seconds = Object.fromEntries(SEED_PHASES.map((phase) => [phase, times.phases[phase] ?? 0])) as Record<SeedPhase, number>;
  return { ...seconds, total: times.total };
}

/** The summary of a run that published a dataset. */
export async function datasetSummary(db: Db, plan: SeedPlan, mode: WriteMode, times: JobTimes, extra: Partial<SeedSummary> = {}): Promise<SeedSummary> {
  const counts = await countDataset(db);
  return { plan, counts, ...extra, sharded: mode.sharded, seconds: phaseSeconds(times), ordersPerSecond: counts.orders / times.total };
}

/** What a failed or cancelled seed left: the previous dataset, in words. */
export async function untouchedDataset(db: Db): Promise<string> {
  const [counts, { dataset: current }] = await Promise.all([countDataset(db), readStates(db)]);
  if (counts.users + counts.products === 0) return 'nothing was written (the database was empty and still is)';
  const origin = current?.seed ? ` (seed ${current.seed.seed}, ${current.at.toISOString()})` : '';
  return `the previous data is untouched: ${describeCounts(counts)}${origin}`;
}
