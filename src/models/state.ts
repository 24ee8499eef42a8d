/**
 * What datadragon knows about the data it wrote, kept beside it in `datadragon_state` (one
 * document per subject): which dataset the seeded collections hold, and which dataset and
 * year `customer_spending` was built from. Only a job's commit writes these documents, in the
 * same swap that replaces the collections they describe (see src/jobs/swap.ts), so they never
 * describe data that is not there.
 */
export const STATE_COLLECTION = 'datadragon_state';

/** Where the dataset came from: a seed, or a reset that emptied everything. */
export interface DatasetState {
  _id: 'dataset';
  /** The id of the job that wrote it: what spending records compare against. */
  id: string;
  origin: 'seed' | 'reset';
  at: Date;
  /** Seeds only: the options that replay it. */
  seed?: { seed: number; users: number; maxOrders: number; products: number; year: number; locale: string };
}

/** The dataset a crunch read, as the spending record remembers it. */
export type DatasetRef = Pick<DatasetState, 'id' | 'origin' | 'at'> & { seed?: number };

export interface SpendingState {
  _id: 'customer_spending';
  /** null: the dataset was seeded before datadragon kept this record. */
  dataset: DatasetRef | null;
  year: number;
  /** When the last crunch (full or incremental) was committed. */
  crunchedAt: Date;
  mode: 'full' | 'incremental';
  /** Incremental crunches: the DATE of `--since`. */
  since?: Date;
}

export type StateDoc = DatasetState | SpendingState;
export type StateId = StateDoc['_id'];

export function datasetRef(dataset: DatasetState | null | undefined): DatasetRef | null {
  if (!dataset) return null;
  return { id: dataset.id, origin: dataset.origin, at: dataset.at, ...(dataset.seed ? { seed: dataset.seed.seed } : {}) };
}
