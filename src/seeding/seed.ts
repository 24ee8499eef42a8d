/**
 * The steps of a seed (docs/ARCHITECTURE.md §4.3), each writing into the collections it is named: products,
 * then every customer's activity on W forked workers, then the split into users, carts and
 * orders, then their indexes. They know nothing of locks, staging or swaps: the seed job
 * (src/jobs/kinds/seed.ts) runs them on staging names and publishes the result.
 */
import type { Db } from 'mongodb';
import type { Database } from '../db/index.js';
import { buildIndexes, DATASET_COLLECTIONS, type DatasetCollection, SEEDED_INDEXES } from '../models/index.js';
import { type Catalogue, chunkCount, generateCatalogue, serializePicker } from './generate/index.js';
import type { SeedPlan } from './options.js';
import type { ChunkRange } from './parts.js';
import { shardableIndexes } from './sharding.js';
import { SPLIT_STEPS } from './split.js';
import { runWorkers } from './worker-pool.js';

export const SEED_PHASES = ['products', 'activity', 'split', 'indexes'] as const;
export type SeedPhase = (typeof SEED_PHASES)[number];

export interface SeedCounts {
  users: number;
  products: number;
  carts: number;
  orders: number;
}

/** What the workers have written so far. */
export type WrittenCounts = Omit<SeedCounts, 'products'>;

export interface SeedSummary {
  plan: SeedPlan;
  /** The dataset's documents; for a part, what the part wrote (its activity: no products). */
  counts: SeedCounts;
  /** A part's run: its chunks and the collection its activity is in, until --finish. */
  part?: { chunks: ChunkRange; collection: string; fingerprint: string };
  /** A --finish: the parts it put together. */
  parts?: number;
  /** Whether the collections were sharded and the split wrote with `$merge`. */
  sharded: boolean;
  seconds: Record<SeedPhase, number> & { total: number };
  ordersPerSecond: number;
}

/** Where a seed writes: a collection name for each collection it builds. */
export type SeedTargets = Record<DatasetCollection | 'activity', string>;

const PRODUCT_BATCH = 5000;

export function catalogueOf(plan: SeedPlan): Catalogue {
  return generateCatalogue({ seed: plan.seed, products: plan.products, locale: plan.locale, year: plan.year });
}

/** Inserts the catalogue into `into` (emptied first), telling `onInserted` the count so far. */
export async function insertProducts(db: Db, into: string, catalogue: Catalogue, onInserted: (done: number) => void, signal?: AbortSignal): Promise<void> {
  await db
    .collection(into)
    .drop()
    .catch(() => undefined);
  const { products } = catalogue;
  for (let i = 0; i < products.length; i += PRODUCT_BATCH) {
    signal?.throwIfAborted();
    await db.collection(into).insertMany(products.slice(i, i + PRODUCT_BATCH), { ordered: false });
    onInserted(Math.min(i + PRODUCT_BATCH, products.length));
  }
}

export interface ActivityOptions {
  signal?: AbortSignal;
  /** After every batch a worker wrote: the totals so far. */
  onWritten?: (written: WrittenCounts) => void;
  /** Told each worker process's pid when it starts. */
  onWorkerStarted?: (pid: number) => void;
  /** Only these chunks (one part of a seed); default every chunk. */
  chunks?: ChunkRange;
}

/**
 * Every customer's activity document (or those of `options.chunks`), generated on
 * `plan.workers` forked workers, into `into`: emptied first, unless `keep` (a collection
 * pre-created sharded, say).
 */
export async function generateActivity(
  database: Database,
  plan: SeedPlan,
  catalogue: Catalogue,
  into: string,
  options: ActivityOptions & { keep?: boolean } = {},
): Promise<WrittenCounts> {
  if (!options.keep)
    await database.db
      .collection(into)
      .drop()
      .catch(() => undefined);
  const written: WrittenCounts = { users: 0, carts: 0, orders: 0 };
  await runWorkers({
    workers: plan.workers,
    chunks: options.chunks ?? { from: 0, to: chunkCount(plan.users, plan.chunkSize) },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onWorkerStarted ? { onWorkerStarted: options.onWorkerStarted } : {}),
    init: {
      uri: database.uri,
      dbName: database.dbName,
      collection: into,
      seed: plan.seed,
      userCount: plan.users,
      chunkSize: plan.chunkSize,
      maxOrdersPerUser: plan.maxOrders,
      year: plan.year,
      locale: plan.locale,
      batchSize: plan.batchSize,
      catalogue: serializePicker(catalogue.picker),
    },
    onProgress: (delta) => {
      written.users += delta.users;
      written.carts += delta.carts;
      written.orders += delta.orders;
      options.onWritten?.({ ...written });
    },
  });
  return written;
}

/** The split's size, for progress: one step per collection it builds. */
export const SPLIT_STEP_COUNT = SPLIT_STEPS.length;

/** Every index the models declare, counted. */
export const SEED_INDEX_COUNT = DATASET_COLLECTIONS.reduce((n, name) => n + SEEDED_INDEXES[name].length, 0);

/**
 * Builds the models' indexes on the targets, telling `onBuilt` the count so far; on sharded
 * targets, the unique ones a sharded collection cannot have are plain (sharding.ts).
 */
export async function buildSeedIndexes(db: Db, targets: SeedTargets, onBuilt: (done: number) => void, signal?: AbortSignal, sharded = false): Promise<void> {
  let built = 0;
  for (const name of DATASET_COLLECTIONS) {
    signal?.throwIfAborted();
    const specs = sharded && name !== 'products' ? shardableIndexes(SEEDED_INDEXES[name], name) : SEEDED_INDEXES[name];
    await buildIndexes(db, targets[name], specs, () => onBuilt(++built));
  }
}

/** Documents in each collection of a dataset (by default the live one). */
export async function countDataset(
  db: Db,
  names: Record<DatasetCollection, string> = { users: 'users', products: 'products', carts: 'carts', orders: 'orders' },
): Promise<SeedCounts> {
  const count = (name: string): Promise<number> => db.collection(name).estimatedDocumentCount();
  const [users, products, carts, orders] = await Promise.all([count(names.users), count(names.products), count(names.carts), count(names.orders)]);
  return { users, products, carts, orders };
}
