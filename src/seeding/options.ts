/**
 * Seeding options: defaults (the seed document's: 800 users, at most 6 orders each), bounds,
 * and the memory check that refuses sizes this machine cannot hold, before anything is written.
 */
import os from 'node:os';
import { z } from 'zod';
import { integer } from '../config.js';
import { UserInputError } from '../errors.js';
import { assertLocale, DEFAULT_CHUNK_SIZE, DEFAULT_LOCALE, DEFAULT_PRODUCTS, defaultYear, listLocales, MAX_YEAR, MIN_YEAR, randomSeed } from './generate/index.js';

export const SEED_DEFAULTS = Object.freeze({
  users: 800,
  maxOrders: 6,
  products: DEFAULT_PRODUCTS,
  batchSize: 1000,
  locale: DEFAULT_LOCALE,
  keepActivity: false,
});

/** Hard ceilings, whatever the machine: beyond them a value is a typo, not a wish. */
export const SEED_LIMITS = Object.freeze({
  users: 50_000_000,
  maxOrders: 1000,
  products: 1_000_000,
  workers: 256,
  batchSize: 100_000,
});

/**
 * What one customer costs the embedded engine at the split's peak (activity plus users,
 * carts and orders in memory at once), measured on seeded data and rounded up.
 */
export const ENGINE_BYTES_PER_USER = 6 * 1024;

const booleanish = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);

export const SeedOptionsSchema = z.object({
  users: integer('the number of users', 1, SEED_LIMITS.users).default(SEED_DEFAULTS.users),
  maxOrders: integer('the maximum number of orders per user', 1, SEED_LIMITS.maxOrders).default(SEED_DEFAULTS.maxOrders),
  products: integer('the number of products', 1, SEED_LIMITS.products).default(SEED_DEFAULTS.products),
  year: integer('the year', MIN_YEAR, MAX_YEAR).optional(),
  seed: integer('the seed', 0, Number.MAX_SAFE_INTEGER).optional(),
  workers: integer('the number of workers', 1, SEED_LIMITS.workers).optional(),
  batchSize: integer('the batch size', 1, SEED_LIMITS.batchSize).default(SEED_DEFAULTS.batchSize),
  locale: z
    .string()
    .default(SEED_DEFAULTS.locale)
    .refine((locale) => {
      try {
        assertLocale(locale);
        return true;
      } catch {
        return false;
      }
    }, { message: `unknown locale; try one of ${listLocales().slice(0, 8).join(', ')}, ...` }),
  keepActivity: booleanish.default(SEED_DEFAULTS.keepActivity),
});

export type SeedOptionsInput = z.input<typeof SeedOptionsSchema>;

/** Options with every default filled in: what a run (and its replay) uses. */
export interface SeedPlan {
  users: number;
  maxOrders: number;
  products: number;
  year: number;
  seed: number;
  /** Whether the seed was drawn at random (print it so the run can be replayed). */
  seedWasRandom: boolean;
  workers: number;
  batchSize: number;
  chunkSize: number;
  locale: string;
  keepActivity: boolean;
}

export function planSeed(options: z.output<typeof SeedOptionsSchema>, now = new Date()): SeedPlan {
  return {
    users: options.users,
    maxOrders: options.maxOrders,
    products: options.products,
    year: options.year ?? defaultYear(now),
    seed: options.seed ?? randomSeed(),
    seedWasRandom: options.seed === undefined,
    workers: options.workers ?? os.availableParallelism(),
    batchSize: options.batchSize,
    chunkSize: DEFAULT_CHUNK_SIZE,
    locale: options.locale,
    keepActivity: options.keepActivity,
  };
}

/** Validates options given as an object (GraphQL input, library callers). */
export function parseSeedOptions(input: SeedOptionsInput): SeedPlan {
  const result = SeedOptionsSchema.safeParse(input);
  if (!result.success) throw new UserInputError(result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n'));
  return planSeed(result.data);
}

/** Refuses a seed the embedded engine on this machine cannot hold, with the estimate. */
export function checkMemory(plan: SeedPlan, backendHoldsData: boolean, totalMemory = os.totalmem()): void {
  if (!backendHoldsData) return;
  const needed = plan.users * ENGINE_BYTES_PER_USER * Math.max(1, plan.maxOrders / SEED_DEFAULTS.maxOrders);
  const available = totalMemory * 0.75;
  if (needed > available) {
    const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(1);
    const fits = Math.floor(available / (needed / plan.users));
    throw new UserInputError(
      `--users ${plan.users.toLocaleString('en-US')} needs about ${gib(needed)} GiB in the embedded engine, more than this machine can give it (${gib(available)} GiB of ${gib(totalMemory)} GiB): ` +
        `use at most about ${fits.toLocaleString('en-US')} users here, or point MONGODB_URI at a MongoDB server`,
    );
  }
}
