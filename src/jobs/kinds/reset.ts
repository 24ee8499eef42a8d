/**
 * The reset job: every datadragon collection emptied with its indexes kept (seeding/reset.ts
 * makes empty copies, the swap puts them in place at once), or, with `drop`, the database
 * dropped (one command: it takes the job lock with it).
 *
 * The unfinished parts of a seed (`seed --part`) are dropped with the rest; a reset is refused
 * while a part is being written.
 *
 * Phases: empty (one empty copy per collection) — or drop.
 */
import { AppError, ErrorCodes } from '../../errors.js';
import { datadragonCollections, emptyCopy, partCollections, type ResetResult } from '../../seeding/index.js';
import { liveLocks } from '../lock.js';
import type { DatasetState } from '../../models/index.js';
import type { SwapStep } from '../swap.js';
import type { JobDefinition } from '../types.js';

export const RESET_PHASES = ['empty', 'drop'] as const;

export interface ResetInput {
  drop?: boolean | null;
}

export interface ResetPlan {
  drop: boolean;
}

export const resetJob: JobDefinition<ResetInput, ResetPlan, ResetResult> = {
  kind: 'reset',

  parse: (input) => ({ drop: input.drop === true }),

  async prepare(plan, env) {
    const { db } = env.database;
    if (plan.drop) {
      // A cancel that arrives while the command runs cannot stop it: the job settles cancelled, and says so.
      let dropped = false;
      return {
        phases: [
          {
            name: 'drop',
            unit: 'databases',
            total: 1,
            run: async ({ progress }) => {
              env.detachLock(); // the lock document goes with the database
              await db.dropDatabase();
              dropped = true;
              progress(1);
            },
          },
        ],
        commit: () => [],
        result: async () => ({ deleted: {}, dropped: true }),
        untouched: async () => (dropped ? 'the database was dropped all the same: the cancel came once the drop had begun' : 'nothing was dropped'),
      };
    }
    const writing = await liveLocks(db, { prefix: 'part:' });
    if (writing.length > 0) {
      throw new AppError(
        ErrorCodes.CONFLICT,
        `parts of a seed are being written (${writing.map((lock) => `pid ${lock.pid} on ${lock.host}`).join(', ')}): wait for them to end, or cancel them, then reset`,
      );
    }
    const counts = await datadragonCollections(db);
    const names = Object.keys(counts);
    const parts = await partCollections(db);
    const dataset: DatasetState = { _id: 'dataset', id: env.jobId, origin: 'reset', at: new Date() };
    return {
      phases: [
        {
          name: 'empty',
          unit: 'collections',
          total: names.length,
          run: async ({ progress, signal }) => {
            let done = 0;
            for (const name of names) {
              signal.throwIfAborted();
              await emptyCopy(db, name, env.staging(name));
              progress(++done);
            }
          },
        },
      ],
      commit: (): SwapStep[] => [
        ...names.map((name): SwapStep => ({ op: 'replace', from: env.staging(name), to: name })),
        ...Object.keys(parts).map((name): SwapStep => ({ op: 'drop', name })),
        { op: 'put', doc: dataset },
        { op: 'remove', id: 'customer_spending' },
      ],
      result: async () => ({ deleted: { ...counts, ...parts }, dropped: false }),
      untouched: async () => 'nothing was deleted',
    };
  },
};
