/**
 * Whether `customer_spending` describes the data that is there: it was built from one
 * dataset (a seed, at a time) and one year, as its state record says (src/models/state.ts);
 * a later seed or reset makes it stale. The API's `spendingStatus`, and the warning `find`
 * prints on stderr, come from `spendingStatus`.
 */
import type { Db } from 'mongodb';
import { datasetRef, type DatasetRef, type DatasetState, type SpendingState, STATE_COLLECTION, type StateDoc } from '../models/index.js';
import { CUSTOMER_SPENDING_COLLECTION } from './months.js';

export interface SpendingStatus {
  /** The year crunched (null: nothing crunched). */
  year: number | null;
  /** When the last crunch was committed (null when unknown: nothing crunched, or written by an older datadragon). */
  crunchedAt: Date | null;
  /** True when `customer_spending` holds documents that do not describe the current dataset. */
  stale: boolean;
  /** Why it is stale and what to do (null when it is not). */
  reason: string | null;
  /** Documents in `customer_spending`. */
  customers: number;
  /** `full`, or `incremental` when the last crunch refreshed some customers (`since`). */
  mode: SpendingState['mode'] | null;
  since: Date | null;
  /** The dataset the spending was built from, and the one in the database now (null: unknown). */
  source: DatasetRef | null;
  dataset: DatasetRef | null;
}

export interface States {
  dataset: DatasetState | null;
  spending: SpendingState | null;
}

/** The state documents of this database (none before the first seed of this version). */
export async function readStates(db: Db): Promise<States> {
  const docs = await db
    .collection<StateDoc>(STATE_COLLECTION)
    .find({ _id: { $in: ['dataset', 'customer_spending'] } })
    .toArray();
  return {
    dataset: (docs.find((d) => d._id === 'dataset') as DatasetState | undefined) ?? null,
    spending: (docs.find((d) => d._id === 'customer_spending') as SpendingState | undefined) ?? null,
  };
}

const when = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function describeDataset(dataset: DatasetRef): string {
  return dataset.origin === 'reset'
    ? `reset at ${when(dataset.at)}`
    : `seeded${dataset.seed === undefined ? '' : ` with seed ${dataset.seed}`} at ${when(dataset.at)}`;
}

const CRUNCH_HINT = 'run "npx datadragon crunch" to rebuild it';

/** Whether the spending data describes the current dataset, with the reason when it does not. */
export async function spendingStatus(db: Db): Promise<SpendingStatus> {
  const [{ dataset, spending }, customers] = await Promise.all([readStates(db), db.collection(CUSTOMER_SPENDING_COLLECTION).estimatedDocumentCount()]);
  const current = datasetRef(dataset);
  const base = { customers, dataset: current, source: spending?.dataset ?? null, mode: spending?.mode ?? null, since: spending?.since ?? null };
  if (customers === 0) return { ...base, year: null, crunchedAt: null, stale: false, reason: null };
  if (!spending) {
    const sample = await db.collection<{ year?: unknown }>(CUSTOMER_SPENDING_COLLECTION).findOne({}, { projection: { _id: 0, year: 1 } });
    return {
      ...base,
      year: typeof sample?.year === 'number' ? sample.year : null,
      crunchedAt: null,
      stale: true,
      reason: `customer_spending has no record of the data it was built from (an older datadragon, or another program, wrote it): ${CRUNCH_HINT}`,
    };
  }
  const stale = (spending.dataset?.id ?? null) !== (current?.id ?? null);
  const reason = stale
    ? `customer_spending (${spending.year}, crunched at ${when(spending.crunchedAt)}) was built from an earlier dataset; the database was ${current ? describeDataset(current) : 'changed'} since: ${CRUNCH_HINT}`
    : null;
  return { ...base, year: spending.year, crunchedAt: spending.crunchedAt, stale, reason };
}
