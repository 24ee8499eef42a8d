/**
 * Seeding options: defaults (the seed document's: 800 users, at most 6 orders each), bounds,
 * and the plan (every default filled in). What this machine can hold is memory.ts's.
 */
import os from 'node:os';
import { z } from 'zod';
import { integer } from '../config.js';
import { UserInputError } from '../errors.js';
import { checkWorkers, workersThatFit } from './memory.js';
import { SEED_DEFAULTS } from './defaults.js';
import { assertLocale, DEFAULT_CHUNK_SIZE, defaultYear, listLocales, MAX_YEAR, MIN_YEAR, randomSeed } from './generate/index.js';

export { SEED_DEFAULTS };

/** Hard ceilings, whatever the machine: beyond them a value is a typo, not a wish. */
export const SEED_LIMITS = Object.freeze({
  users: 50_000_000,
  maxOrders: 1000,
  products: 1_000_000,
  workers: 256,
  batchSize: 100_000,
});

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

/** Fills in the defaults; refuses more workers than the memory holds (memory.ts). */
export function planSeed(options: z.output<typeof SeedOptionsSchema>, now = new Date()): SeedPlan {
  const plan: SeedPlan = {
    users: options.users,
    maxOrders: options.maxOrders,
    products: options.products,
    year: options.year ?? defaultYear(now),
    seed: options.seed ?? randomSeed(),
    seedWasRandom: options.seed === undefined,
    // One per core, as many as the memory holds.
    workers: options.workers ?? Math.max(1, Math.min(os.availableParallelism(), workersThatFit())),
    batchSize: options.batchSize,
    chunkSize: DEFAULT_CHUNK_SIZE,
    locale: options.locale,
    keepActivity: options.keepActivity,
  };
  checkWorkers(plan.workers);
  return plan;
}

/** Validates options given as an object (GraphQL input, library callers). */
export function parseSeedOptions(input: SeedOptionsInput): SeedPlan {
  const result = SeedOptionsSchema.safeParse(input);
  if (!result.success) throw new UserInputError(result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n'));
  return planSeed(result.data);
}
