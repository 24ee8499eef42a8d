/**
 * The crunch job: a year (and, for an incremental crunch, a `since` instant) into a plan
 * (spending/crunch.ts decides which year and customers, or refuses); the pipeline run slice
 * by slice into staging parts, put together, indexed; the swap that replaces
 * `customer_spending` (full) or merges the recomputed customers into it (incremental), and
 * records which dataset and year it was built from.
 *
 * Phases: aggregate (customers computed so far) · indexes (full crunches only: an
 * incremental one merges into the collection, which keeps its indexes).
 *
 * On a sharded cluster (a mongos) the staging collection is created sharded by `_id` (the
 * customer id) and every slice is merged into it with `$merge` (`$out` cannot write into a
 * sharded collection); the swap then renames it over `customer_spending`.
 */
import type { Db } from 'mongodb';
import { UserInputError } from '../../errors.js';
import { datasetRef, SPENDING_INDEXES, buildIndexes, type SpendingState } from '../../models/index.js';
import {
  assertYear,
  batchSize,
  concatenateParts,
  crunchFigures,
  crunchSlice,
  CUSTOMER_SPENDING_COLLECTION,
  customerSlices,
  customersSince,
  planCrunch,
  readStates,
  sliceSize,
  spendingStatus,
  type CrunchPlan,
  type CrunchRequest,
  type CrunchResult,
} from '../../spending/index.js';
import { createSharded, shardableIndexes, writeModeOf, type WriteMode } from '../../seeding/index.js';
import type { SwapStep } from '../swap.js';
import type { JobDefinition, Phase, PhaseContext } from '../types.js';

export interface CrunchInput {
  /** A number, or a flag's text. */
  year?: number | string | null;
  /** A Date, or a flag's text: `2025-11-01` (midnight UTC) or an instant with its zone. */
  since?: Date | string | null;
}

export const CRUNCH_PHASES = ['aggregate', 'indexes'] as const;

function parseYear(year: number | string | null | undefined): number | undefined {
  if (year === null || year === undefined) return undefined;
  if (typeof year === 'string') {
    if (!/^\s*\d{1,4}\s*$/.test(year)) throw new UserInputError(`--year: a year is a whole number like 2025, got '${year}'`, { reason: 'BAD_YEAR' });
    year = Number(year);
  }
  assertYear(year);
  return year;
}

const SINCE_FORMS = 'a date (2025-11-01, from midnight UTC) or an instant with its zone (2025-11-01T12:00:00Z)';

function parseSince(since: Date | string | null | undefined): Date | undefined {
  if (since === null || since === undefined) return undefined;
  if (since instanceof Date) {
    if (Number.isNaN(since.getTime())) throw new UserInputError(`since: not a valid date; give ${SINCE_FORMS}`, { reason: 'BAD_SINCE' });
    return since;
  }
  const text = since.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const parsed = dateOnly ? new Date(`${text}T00:00:00Z`) : instant ? new Date(text) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new UserInputError(`--since: '${since}' is not ${SINCE_FORMS}`, { reason: 'BAD_SINCE' });
  return parsed;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The aggregate phase: the pipeline over slices (full) or batches (incremental) into parts,
 * then one collection; on a sharded cluster (`merge`), each slice merged straight into it.
 */
function aggregatePhase(db: Db, staging: (name: string) => string, plan: CrunchPlan, into: string, mode: WriteMode): Phase {
  const part = (i: number): string => staging(`customer_spending_part${i}`);
  return {
    name: 'aggregate',
    unit: 'customers',
    total: plan.customers,
    async run({ progress, signal }: PhaseContext) {
      const parts: string[] = [];
      // With $merge, every slice goes into `into` itself (created, sharded if need be, in prepare).
      const target = (): string => {
        if (mode.write === 'merge') return into;
        parts.push(part(parts.length));
        return parts.at(-1)!;
      };
      let done = 0;
      if (plan.mode === 'full') {
        for (const slice of await customerSlices(db, plan.customers, sliceSize(plan.customers))) {
          signal.throwIfAborted();
          await crunchSlice(db, plan.year, slice.selection, target(), mode.write);
          progress((done += slice.customers));
        }
      } else {
        for await (const ids of customersSince(db, plan.since, batchSize(plan.customers))) {
          signal.throwIfAborted();
          await crunchSlice(db, plan.year, { ids }, target(), mode.write);
          progress((done += ids.length));
        }
      }
      signal.throwIfAborted();
      if (mode.write === 'out') await concatenateParts(db, parts, into);
    },
  };
}

export const crunchJob: JobDefinition<CrunchInput, CrunchRequest, CrunchResult> = {
  kind: 'crunch',

  parse(input: CrunchInput): CrunchRequest {
    const year = parseYear(input.year);
    const since = parseSince(input.since);
    return { ...(year === undefined ? {} : { year }), ...(since === undefined ? {} : { since }) };
  },

  async prepare(request, env) {
    const { database } = env;
    const { db } = database;
    const status = await spendingStatus(db);
    const plan = await planCrunch(database, request, status);
    const { dataset } = await readStates(db);
    const staging = env.staging(CUSTOMER_SPENDING_COLLECTION);
    const mode = await writeModeOf(db, { shard: false, forceMerge: request.mergeOutput === true });
    if (mode.sharded) await createSharded(db, staging, 'customer_spending');
    else if (mode.write === 'merge') await db.createCollection(staging);
    const phases: Phase[] = [aggregatePhase(db, env.staging, plan, staging, mode)];
    if (plan.mode === 'full') {
      phases.push({
        name: 'indexes',
        unit: 'indexes',
        total: SPENDING_INDEXES.length,
        run: async ({ progress }) => {
          let built = 0;
          await buildIndexes(db, staging, mode.sharded ? shardableIndexes(SPENDING_INDEXES, 'customer_spending') : SPENDING_INDEXES, () => progress(++built));
        },
      });
    }

    return {
      phases,

      commit: (): SwapStep[] => {
        const state: SpendingState = {
          _id: 'customer_spending',
          dataset: datasetRef(dataset),
          year: plan.year,
          crunchedAt: new Date(),
          mode: plan.mode,
          ...(plan.mode === 'incremental' ? { since: plan.since } : {}),
        };
        const publish: SwapStep =
          plan.mode === 'full'
            ? { op: 'replace', from: staging, to: CUSTOMER_SPENDING_COLLECTION }
            : { op: 'merge', from: staging, into: CUSTOMER_SPENDING_COLLECTION };
        return [publish, { op: 'put', doc: state }];
      },

      result: async (times) => ({
        year: plan.year,
        mode: plan.mode,
        ...(plan.mode === 'incremental' ? { since: plan.since } : {}),
        recomputed: plan.customers,
        ...(await crunchFigures(db, plan.year)),
        seconds: times.total,
      }),

      untouched: async () => {
        const now = await spendingStatus(db);
        if (now.customers === 0) return 'customer_spending is untouched (it is empty)';
        return `customer_spending is untouched: ${now.year ?? 'unknown year'}, ${count(now.customers)} customers${now.crunchedAt ? `, crunched at ${now.crunchedAt.toISOString()}` : ''}`;
      },
    };
  },
};
