/**
 * The seed job: options (flags or GraphQL input, then DATADRAGON_* variables, then the config
 * file, then the defaults) into a plan; the four phases of seeding/ on staging collections;
 * the swap that replaces the whole dataset at once and records where it came from.
 *
 * Phases: products (the catalogue) · activity (every customer on W workers) · split (users,
 * carts, orders from the activity) · indexes. A later kind of seed (generating some chunks
 * only, or finishing parts written by several machines) is another plan with other phases
 * and its own commit, declared the same way.
 */
import { resolveOptions } from '../../config.js';
import { COLLECTIONS, DATASET_COLLECTIONS, type DatasetState } from '../../models/index.js';
import {
  buildSeedIndexes,
  catalogueOf,
  checkMemory,
  countDataset,
  generateActivity,
  insertProducts,
  planSeed,
  runSplit,
  SEED_INDEX_COUNT,
  SeedOptionsSchema,
  SPLIT_STEP_COUNT,
  type SeedCounts,
  type SeedOptionsInput,
  type SeedPhase,
  type SeedPlan,
  type SeedSummary,
  type SeedTargets,
} from '../../seeding/index.js';
import type { Catalogue } from '../../seeding/generate/index.js';
import { readStates } from '../../spending/index.js';
import type { SwapStep } from '../swap.js';
import type { JobDefinition, OptionSources } from '../types.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** "400 users, 500 products, 1,012 carts, 802 orders" */
export function describeCounts(counts: SeedCounts): string {
  return `${count(counts.users)} users, ${count(counts.products)} products, ${count(counts.carts)} carts, ${count(counts.orders)} orders`;
}

/** Null and undefined fields are "not given" (GraphQL sends null for an unset nullable field). */
function given(input: SeedOptionsInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
}

export const seedJob: JobDefinition<SeedOptionsInput, SeedPlan, SeedSummary> = {
  kind: 'seed',

  parse(input: SeedOptionsInput, sources: OptionSources = {}): SeedPlan {
    const options = resolveOptions(SeedOptionsSchema, {
      flags: given(input),
      ...(sources.env ? { env: sources.env } : {}),
      file: sources.file ?? {},
      ...(sources.flagNames ? { flagNames: sources.flagNames } : {}),
    });
    return planSeed(options);
  },

  async prepare(plan, env) {
    const { database } = env;
    const { db } = database;
    const previous = await countDataset(db);
    checkMemory(plan, env.holdsDataInMemory, { previousUsers: previous.users });
    const targets: SeedTargets = {
      users: env.staging('users'),
      products: env.staging('products'),
      carts: env.staging('carts'),
      orders: env.staging('orders'),
      activity: env.staging('activity'),
    };
    let catalogue: Catalogue | undefined;
    const theCatalogue = (): Catalogue => (catalogue ??= catalogueOf(plan));
    const dataset: DatasetState = {
      _id: 'dataset',
      id: env.jobId,
      origin: 'seed',
      at: new Date(),
      seed: { seed: plan.seed, users: plan.users, maxOrders: plan.maxOrders, products: plan.products, year: plan.year, locale: plan.locale },
    };

    return {
      phases: [
        {
          name: 'products',
          unit: 'products',
          total: plan.products,
          run: async ({ progress, signal }) => {
            await insertProducts(db, targets.products, theCatalogue(), (done) => progress(done), signal);
          },
        },
        {
          name: 'activity',
          unit: 'users',
          total: plan.users,
          run: async ({ progress, signal }) => {
            await generateActivity(database, plan, theCatalogue(), targets.activity, { signal, onWritten: (written) => progress(written.users, undefined, written) });
          },
        },
        {
          name: 'split',
          unit: 'collections',
          total: SPLIT_STEP_COUNT,
          run: async ({ progress, signal }) => {
            await runSplit(db, targets, (done) => progress(done), signal);
            // The activity is not needed any more: free its room before the indexes.
            if (!plan.keepActivity) await db.collection(targets.activity).drop().catch(() => undefined);
          },
        },
        {
          name: 'indexes',
          unit: 'indexes',
          total: SEED_INDEX_COUNT,
          run: ({ progress, signal }) => buildSeedIndexes(db, targets, (done) => progress(done), signal),
        },
      ],

      commit: (): SwapStep[] => [
        ...DATASET_COLLECTIONS.map((name): SwapStep => ({ op: 'replace', from: targets[name], to: name })),
        // An activity collection kept by an earlier seed belongs to the dataset being replaced.
        plan.keepActivity ? { op: 'replace', from: targets.activity, to: COLLECTIONS.activity } : { op: 'drop', name: COLLECTIONS.activity },
        { op: 'put', doc: dataset },
      ],

      result: async (times) => {
        const counts = await countDataset(db);
        const seconds = Object.fromEntries(Object.entries(times.phases)) as Record<SeedPhase, number>;
        return { plan, counts, seconds: { ...seconds, total: times.total }, ordersPerSecond: counts.orders / times.total };
      },

      untouched: async () => {
        const [counts, { dataset: current }] = await Promise.all([countDataset(db), readStates(db)]);
        if (counts.users + counts.products === 0) return 'nothing was written (the database was empty and still is)';
        const origin = current?.seed ? ` (seed ${current.seed.seed}, ${current.at.toISOString()})` : '';
        return `the previous data is untouched: ${describeCounts(counts)}${origin}`;
      },
    };
  },
};
