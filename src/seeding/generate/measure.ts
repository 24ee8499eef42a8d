/**
 * The pure in-memory generation rate: how fast one core turns (seed, chunk)
 * into `activity` documents, with no database. The benchmark reports it as
 * the limit that end-to-end seeding is compared with.
 *
 * @module
 */
import { generateActivityChunk, DEFAULT_CHUNK_SIZE, type ActivityDoc } from './activity.js';
import { generateCatalogue, DEFAULT_PRODUCTS } from './catalogue.js';
import { buildNamePools, DEFAULT_LOCALE } from './names.js';
import { defaultYear } from './seasonality.js';

/** Options of {@link measureGenerationRate}; every field has a default. */
export interface GenerationRateOptions {
  /** Customers to generate (default 1,000,000). */
  users?: number;
  seed?: number;
  chunkSize?: number;
  maxOrdersPerUser?: number;
  products?: number;
  locale?: string;
  year?: number;
  /** Customers generated first and not timed, so the JIT has warmed up (default 50,000). */
  warmupUsers?: number;
  /**
   * Work timed with the generation, on each chunk as it is made (e.g. the BSON encoding a
   * database client must do before sending it).
   */
  onChunk?: (docs: readonly ActivityDoc[]) => void;
}

/** What {@link measureGenerationRate} measured. */
export interface GenerationRate {
  users: number;
  carts: number;
  orders: number;
  seconds: number;
  docsPerSecond: number;
  ordersPerSecond: number;
}

/**
 * Generates `users` customers' activity on the calling thread, chunk after
 * chunk, keeping nothing, and reports the rate. Catalogue and name pools are
 * built before the clock starts (they are one-off costs in a real run too).
 */
export function measureGenerationRate(options: GenerationRateOptions = {}): GenerationRate {
  const users = options.users ?? 1_000_000;
  const seed = options.seed ?? 1;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const maxOrdersPerUser = options.maxOrdersPerUser ?? 6;
  const year = options.year ?? defaultYear();
  const { picker } = generateCatalogue({ seed, products: options.products ?? DEFAULT_PRODUCTS, year });
  const names = buildNamePools(options.locale ?? DEFAULT_LOCALE);
  const base = { seed, chunkSize, maxOrdersPerUser, year, picker, names };

  const warmup = Math.min(options.warmupUsers ?? 50_000, users);
  for (let c = 0; c * chunkSize < warmup; c++) options.onChunk?.(generateActivityChunk({ ...base, userCount: warmup, chunkIndex: c }));

  let carts = 0;
  let orders = 0;
  const start = process.hrtime.bigint();
  for (let c = 0; c * chunkSize < users; c++) {
    const docs = generateActivityChunk({ ...base, userCount: users, chunkIndex: c });
    options.onChunk?.(docs);
    for (const doc of docs) {
      carts += doc.carts.length;
      for (const cart of doc.carts) if (cart.order) orders++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { users, carts, orders, seconds, docsPerSecond: users / seconds, ordersPerSecond: orders / seconds };
}
