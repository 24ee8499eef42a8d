/**
 * The seed job: options (flags or GraphQL input, then DATADRAGON_* variables, then the config
 * file, then the defaults) into a plan; then one of three runs:
 *   - a whole seed: products · activity (every customer on W workers) · split · indexes, on
 *     staging collections, and the swap that replaces the whole dataset at once;
 *   - a part (`--part I/N`, seed-part.ts): the activity of part I's chunks only, beside the
 *     other parts (on other machines), kept for the finish;
 *   - the finish (`--finish`, seed-finish.ts): products · split of every part · indexes, and
 *     the same swap as a whole seed.
 * On sharded targets (`--shard`, or a mongos) the collections are created sharded and the
 * split writes with `$merge` (seeding/sharding.ts).
 */
import { resolveOptions } from '../../config.js';
import {
  checkMemory,
  countDataset,
  createSharded,
  generateActivity,
  planRun,
  planSeed,
  SeedOptionsSchema,
  writeModeOf,
  type SeedOptionsInput,
  type SeedPlan,
  type SeedRunFlags,
  type SeedSummary,
} from '../../seeding/index.js';
import type { JobDefinition, JobEnv, JobRun, OptionSources } from '../types.js';
import { partLockId, preparePart } from './seed-part.js';
import { prepareFinish } from './seed-finish.js';
import {
  datasetSummary,
  datasetSwap,
  indexesPhase,
  lazyCatalogue,
  productsPhase,
  shardTargets,
  splitPhase,
  stagingTargets,
  untouchedDataset,
} from './seed-steps.js';

export { describeCounts } from './seed-steps.js';

/** The seed's input: its options, and how this run takes part in a seed written in parts. */
export type SeedJobInput = SeedOptionsInput & SeedRunFlags;

/** Null and undefined fields are "not given" (GraphQL sends null for an unset nullable field). */
function given(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
}

async function prepareWhole(plan: SeedPlan, env: JobEnv): Promise<JobRun<SeedSummary>> {
  const { database } = env;
  const { db } = database;
  const previous = await countDataset(db);
  checkMemory(plan, env.holdsDataInMemory, { previousUsers: previous.users });
  const mode = await writeModeOf(db, { shard: plan.shard, forceMerge: plan.mergeSplit === true });
  const targets = stagingTargets(env);
  await shardTargets(db, targets, mode);
  // On a cluster the activity is spread over the shards too, not left on the primary one.
  if (mode.sharded) await createSharded(db, targets.activity, 'activity');
  const catalogue = lazyCatalogue(plan);
  return {
    phases: [
      productsPhase(db, plan, targets.products, catalogue),
      {
        name: 'activity',
        unit: 'users',
        total: plan.users,
        run: async ({ progress, signal }) => {
          await generateActivity(database, plan, catalogue(), targets.activity, {
            signal,
            keep: mode.sharded,
            onWritten: (written) => progress(written.users, undefined, written),
          });
        },
      },
      splitPhase(db, [targets.activity], targets, mode, async () => {
        // The activity is not needed any more: free its room before the indexes.
        if (!plan.keepActivity)
          await db
            .collection(targets.activity)
            .drop()
            .catch(() => undefined);
      }),
      indexesPhase(db, targets, mode),
    ],
    commit: () => datasetSwap(plan, env, targets),
    result: (times) => datasetSummary(db, plan, mode, times),
    untouched: () => untouchedDataset(db),
  };
}

export const seedJob: JobDefinition<SeedJobInput, SeedPlan, SeedSummary> = {
  kind: 'seed',

  parse(input: SeedJobInput, sources: OptionSources = {}): SeedPlan {
    const { part, finish, shard, ...options } = input;
    const resolved = resolveOptions(SeedOptionsSchema, {
      flags: given(options),
      ...(sources.env ? { env: sources.env } : {}),
      file: sources.file ?? {},
      ...(sources.flagNames ? { flagNames: sources.flagNames } : {}),
    });
    const names = sources.flagNames ?? {};
    return planRun(
      planSeed(resolved),
      { part: part ?? null, finish: finish ?? null, shard: shard ?? null },
      {
        ...(names.part ? { part: names.part } : {}),
        ...(names.finish ? { finish: names.finish } : {}),
        ...(names.seed ? { seed: names.seed } : {}),
      },
    );
  },

  lockOf: (plan) => (plan.part ? partLockId(plan) : undefined),

  prepare(plan, env) {
    if (plan.part) return preparePart(plan, plan.part, env);
    if (plan.finish) return prepareFinish(plan, env);
    return prepareWhole(plan, env);
  },
};
