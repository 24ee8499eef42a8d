/**
 * The seeding service (DESIGN §4): products, then every customer's activity on W forked
 * workers, then the split into users/carts/orders, then indexes. The previous dataset stays
 * in place until the split replaces it, so a failed seed leaves nothing half-written.
 */
import type { Database } from '../db/connection.js';
import { acquireJobLock } from '../jobs/job-lock.js';
import { COLLECTIONS, seededModels } from '../models/index.js';
import { chunkCount, generateCatalogue, serializePicker } from './generate/index.js';
import type { SeedPlan } from './options.js';
import { runSplit, SPLIT_STEPS } from './split.js';
import { runWorkers } from './worker-pool.js';

export const SEED_PHASES = ['products', 'activity', 'split', 'indexes'] as const;
export type SeedPhase = (typeof SEED_PHASES)[number];

export interface SeedCounts {
  users: number;
  products: number;
  carts: number;
  orders: number;
}

export interface SeedProgress {
  phase: SeedPhase;
  done: number;
  total: number;
  /** What the workers have written so far. */
  written: Omit<SeedCounts, 'products'>;
}

export interface SeedSummary {
  plan: SeedPlan;
  counts: SeedCounts;
  seconds: Record<SeedPhase, number> & { total: number };
  ordersPerSecond: number;
}

export interface SeedRunOptions {
  onProgress?: (progress: SeedProgress) => void;
  onPhase?: (phase: SeedPhase) => void;
  /** Told each worker process's pid when it starts. */
  onWorkerStarted?: (pid: number) => void;
  signal?: AbortSignal;
}

/** Products are staged here and moved into `products` by the split, with the rest. */
const PRODUCTS_STAGING = 'products_staging';
const PRODUCT_BATCH = 5000;

export async function seedDatabase(database: Database, plan: SeedPlan, options: SeedRunOptions = {}): Promise<SeedSummary> {
  const { db } = database;
  const report = options.onProgress ?? (() => undefined);
  const lock = await acquireJobLock(db, 'seed');
  const seconds = { products: 0, activity: 0, split: 0, indexes: 0, total: 0 };
  const written = { users: 0, carts: 0, orders: 0 };
  const started = performance.now();
  let phaseStart = started;
  const enter = (phase: SeedPhase): void => {
    phaseStart = performance.now();
    options.onPhase?.(phase);
  };
  const leave = (phase: SeedPhase): void => {
    seconds[phase] = (performance.now() - phaseStart) / 1000;
  };
  try {
    // 1. products
    enter('products');
    const catalogue = generateCatalogue({ seed: plan.seed, products: plan.products, locale: plan.locale, year: plan.year });
    await db.collection(PRODUCTS_STAGING).drop().catch(() => undefined);
    for (let i = 0; i < catalogue.products.length; i += PRODUCT_BATCH) {
      await db.collection(PRODUCTS_STAGING).insertMany(catalogue.products.slice(i, i + PRODUCT_BATCH), { ordered: false });
      report({ phase: 'products', done: Math.min(i + PRODUCT_BATCH, plan.products), total: plan.products, written });
    }
    leave('products');

    // 2. activity, on every core
    enter('activity');
    await db.collection(COLLECTIONS.activity).drop().catch(() => undefined);
    await runWorkers({
      workers: plan.workers,
      chunks: chunkCount(plan.users, plan.chunkSize),
      signal: options.signal,
      ...(options.onWorkerStarted ? { onWorkerStarted: options.onWorkerStarted } : {}),
      init: {
        uri: database.uri,
        dbName: database.dbName,
        collection: COLLECTIONS.activity,
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
        report({ phase: 'activity', done: written.users, total: plan.users, written });
      },
    });
    leave('activity');

    // 3. the split: users, carts, orders from activity; products from staging
    enter('split');
    const splitTotal = SPLIT_STEPS.length + 1;
    await runSplit(db, (done) => report({ phase: 'split', done, total: splitTotal, written }));
    await db.collection(PRODUCTS_STAGING).aggregate([{ $match: {} }, { $out: COLLECTIONS.products }]).toArray();
    await db.collection(PRODUCTS_STAGING).drop().catch(() => undefined);
    report({ phase: 'split', done: splitTotal, total: splitTotal, written });
    if (!plan.keepActivity) await db.collection(COLLECTIONS.activity).drop().catch(() => undefined);
    leave('split');

    // 4. indexes
    enter('indexes');
    const models = seededModels(database.connection);
    let built = 0;
    for (const model of models) {
      await model.createIndexes();
      report({ phase: 'indexes', done: ++built, total: models.length, written });
    }
    leave('indexes');

    const counts: SeedCounts = {
      users: await db.collection(COLLECTIONS.users).estimatedDocumentCount(),
      products: await db.collection(COLLECTIONS.products).estimatedDocumentCount(),
      carts: await db.collection(COLLECTIONS.carts).estimatedDocumentCount(),
      orders: await db.collection(COLLECTIONS.orders).estimatedDocumentCount(),
    };
    seconds.total = (performance.now() - started) / 1000;
    return { plan, counts, seconds, ordersPerSecond: counts.orders / seconds.total };
  } catch (error) {
    // Nothing half-written: the staging collections go; the previous dataset was never touched before the split.
    await db.collection(COLLECTIONS.activity).drop().catch(() => undefined);
    await db.collection(PRODUCTS_STAGING).drop().catch(() => undefined);
    throw error;
  } finally {
    await lock.release();
  }
}
