/**
 * A part of a seed (`seed --part I/N`): the activity of part I's chunks, generated on this
 * machine's workers into a collection of the part's own, then recorded as written. Parts run
 * beside each other (other machines, other processes): each holds a lock of its own, none
 * touches the dataset or another's collections, and none runs while a job holds the
 * database's lock (a seed, crunch or reset). The finish (seed-finish.ts) puts them together.
 */
import {
  chunkCount,
  createSharded,
  forgetPart,
  generateActivity,
  partChunks,
  partCollection,
  partName,
  recordPart,
  dataOptions,
  seedFingerprint,
  writeModeOf,
  type Part,
  type SeedPlan,
  type SeedSummary,
  type WrittenCounts,
} from '../../seeding/index.js';
import { JobConflictError, liveLocks } from '../lock.js';
import type { JobEnv, JobRun } from '../types.js';
import { lazyCatalogue, phaseSeconds } from './seed-steps.js';

/** The id of a part's lock: `part:<fingerprint>:<I>/<N>`; the finish looks for live ones by its prefix. */
export function partLockId(plan: SeedPlan): string {
  return `${partLockPrefix(plan)}${partName(plan.part!)}`;
}

export function partLockPrefix(plan: SeedPlan): string {
  return `part:${seedFingerprint(plan)}:`;
}

export async function preparePart(plan: SeedPlan, part: Part, env: JobEnv): Promise<JobRun<SeedSummary>> {
  const { database } = env;
  const { db } = database;
  const [holder] = await liveLocks(db, 'job');
  if (holder) throw new JobConflictError('seed', holder);
  const fingerprint = seedFingerprint(plan);
  const collection = partCollection(fingerprint, part);
  const chunks = partChunks(part, chunkCount(plan.users, plan.chunkSize), plan.chunkSize);
  const mode = await writeModeOf(db, { shard: plan.shard });
  // Written again from scratch: not a written part until it is complete.
  await forgetPart(db, fingerprint, part);
  if (mode.sharded) await createSharded(db, collection, 'activity');
  else
    await db
      .collection(collection)
      .drop()
      .catch(() => undefined);
  const catalogue = lazyCatalogue(plan);
  let written: WrittenCounts = { users: 0, carts: 0, orders: 0 };
  const users = Math.min(plan.users, chunks.to * plan.chunkSize) - chunks.from * plan.chunkSize;

  return {
    phases: [
      {
        name: 'activity',
        unit: 'users',
        total: users,
        run: async ({ progress, signal }) => {
          written = await generateActivity(database, plan, catalogue(), collection, {
            signal,
            chunks,
            keep: true,
            onWritten: (w) => progress(w.users, undefined, w),
          });
          signal.throwIfAborted();
          await recordPart(db, { fingerprint, part, options: dataOptions(plan), collection, chunks, written, job: env.jobId });
        },
      },
    ],
    // Nothing to swap: the finish publishes the dataset.
    commit: () => [],
    result: async (times) => ({
      plan,
      counts: { ...written, products: 0 },
      part: { chunks, collection, fingerprint },
      sharded: mode.sharded,
      seconds: phaseSeconds(times),
      ordersPerSecond: written.orders / times.total,
    }),
    untouched: async () => `part ${partName(part)} was not written (run it again); the dataset is untouched`,
    discard: async () => {
      await forgetPart(db, fingerprint, part);
      await db
        .collection(collection)
        .drop()
        .catch(() => undefined);
    },
  };
}
