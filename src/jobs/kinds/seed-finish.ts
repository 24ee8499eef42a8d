/**
 * The finish of a seed written in parts (`seed --finish`, the parts' options, no `--part`):
 * once every part of one N is written (part-records.ts), the products, the split of all the
 * parts' activity and the indexes, on staging collections, then the same swap as a whole
 * seed, which also drops the parts' collections and records. Refused, naming them, while
 * parts are missing or still being written.
 */
import { AppError, ErrorCodes } from '../../errors.js';
import {
  checkMemory,
  checkPartCollections,
  chooseParts,
  countDataset,
  createSharded,
  PARTS_COLLECTION,
  readPartRecords,
  writeModeOf,
  type SeedPlan,
  type SeedSummary,
  type SeedTargets,
  type WriteMode,
} from '../../seeding/index.js';
import type { Db } from 'mongodb';
import { liveLocks } from '../lock.js';
import type { SwapStep } from '../swap.js';
import type { JobEnv, JobRun } from '../types.js';
import { partLockPrefix } from './seed-part.js';
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

/** The parts' activity as one collection (`--keep-activity`): concatenated, or merged into a sharded one. */
async function keepActivity(db: Db, sources: readonly string[], into: string, mode: WriteMode): Promise<void> {
  if (mode.write === 'out') {
    const [first, ...rest] = sources;
    await db
      .collection(first!)
      .aggregate([...rest.map((coll) => ({ $unionWith: coll })), { $out: into }], { allowDiskUse: true })
      .toArray();
    return;
  }
  if (mode.sharded) await createSharded(db, into, 'activity');
  for (const source of sources)
    await db
      .collection(source)
      .aggregate([{ $merge: { into, whenMatched: 'fail', whenNotMatched: 'insert' } }], { allowDiskUse: true })
      .toArray();
}

export async function prepareFinish(plan: SeedPlan, env: JobEnv): Promise<JobRun<SeedSummary>> {
  const { db } = env.database;
  const running = await liveLocks(db, { prefix: partLockPrefix(plan) });
  if (running.length > 0) {
    const which = running
      .map((lock) => `${lock._id.slice(partLockPrefix(plan).length)} (pid ${lock.pid} on ${lock.host}, since ${lock.startedAt.toISOString()})`)
      .join(', ');
    throw new AppError(
      ErrorCodes.CONFLICT,
      `cannot finish the seed: part${running.length === 1 ? '' : 's'} ${which} ${running.length === 1 ? 'is' : 'are'} still being written; wait for ${running.length === 1 ? 'it' : 'them'}, then run --finish again`,
    );
  }
  const parts = chooseParts(plan, await readPartRecords(db));
  await checkPartCollections(db, parts);
  const previous = await countDataset(db);
  checkMemory(plan, env.holdsDataInMemory, { previousUsers: previous.users });
  const mode = await writeModeOf(db, { shard: plan.shard, forceMerge: plan.mergeSplit === true });
  const targets: SeedTargets = stagingTargets(env);
  await shardTargets(db, targets, mode);
  const sources = parts.map((p) => p.collection);
  const catalogue = lazyCatalogue(plan);

  return {
    phases: [
      productsPhase(db, plan, targets.products, catalogue),
      splitPhase(db, sources, targets, mode, async () => {
        if (plan.keepActivity) await keepActivity(db, sources, targets.activity, mode);
      }),
      indexesPhase(db, targets, mode),
    ],
    commit: (): SwapStep[] => [
      ...datasetSwap(plan, env, targets),
      ...sources.map((name): SwapStep => ({ op: 'drop', name })),
      { op: 'delete', from: PARTS_COLLECTION, ids: parts.map((p) => p._id) },
    ],
    result: (times) => datasetSummary(db, plan, mode, times, { parts: parts.length }),
    untouched: async () => `${await untouchedDataset(db)}; the ${parts.length} parts are kept, for another --finish`,
  };
}
