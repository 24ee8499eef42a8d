/**
 * Seeding options: defaults (800 users, at most 6 orders each: docs/DATA-MODEL.md §6), bounds,
 * and the plan (every default filled in). What this machine can hold is memory.ts's.
 */
import os from 'node:os';
import { z } from 'zod';
import { boolean, integer } from '../config.js';
import { UserInputError } from '../errors.js';
import { checkWorkers, workersThatFit } from './memory.js';
import { parsePart, partChunks, type Part } from './parts.js';
import { SEED_DEFAULTS } from './defaults.js';
import { assertLocale, chunkCount, DEFAULT_CHUNK_SIZE, defaultYear, listLocales, MAX_YEAR, MIN_YEAR, randomSeed } from './generate/index.js';

export { SEED_DEFAULTS };

/** Hard ceilings, whatever the machine: beyond them a value is a typo, not a wish. */
export const SEED_LIMITS = Object.freeze({
  // 1,000,000,000 users: about 2 billion orders at the default 6 per customer, written by several machines (docs/SCALE.md).
  users: 1_000_000_000,
  maxOrders: 1000,
  products: 1_000_000,
  workers: 256,
  batchSize: 100_000,
});

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
    .refine(
      (locale) => {
        try {
          assertLocale(locale);
          return true;
        } catch {
          return false;
        }
      },
      { message: `unknown locale; try one of ${listLocales().slice(0, 8).join(', ')}, ...` },
    ),
  keepActivity: boolean('keeping the activity collection').default(SEED_DEFAULTS.keepActivity),
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
  /** Set when this run generates one part of a seed written by several machines (parts.ts). */
  part?: Part;
  /** This run puts the parts written before together (products, split, indexes), generating nothing. */
  finish: boolean;
  /** Shard users, carts and orders and split with `$merge` (also done when the server is a mongos). */
  shard: boolean;
  /** Internal (tests): split with `$merge` even on a server that is no mongos. */
  mergeSplit?: boolean;
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
    finish: false,
    shard: false,
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

/** How a run of the seed takes part in a seed written by several machines, and where it writes. */
export interface SeedRunFlags {
  /** `"I/N"` or `{ index, count }`: generate part I of N only. */
  part?: string | Part | null;
  /** Put the written parts together. */
  finish?: boolean | null;
  /** Shard the collections (a sharded cluster, through a mongos). */
  shard?: boolean | null;
}

/**
 * Adds the run's part, finish and shard flags to a plan, or refuses them: a part and the
 * finish of the parts are two runs; both need the seed given (every machine must draw the
 * same data); a part must exist and hold at least one chunk.
 */
export function planRun(plan: SeedPlan, flags: SeedRunFlags, names: { part?: string; finish?: string; seed?: string } = {}): SeedPlan {
  const label = { part: names.part ?? '--part', finish: names.finish ?? '--finish', seed: names.seed ?? '--seed' };
  const finish = flags.finish === true;
  const part = flags.part === null || flags.part === undefined ? undefined : parsePart(flags.part, label.part);
  if (part && finish)
    throw new UserInputError(
      `${label.part} and ${label.finish} are two runs: write every part with ${label.part} I/N, then run ${label.finish} once (without ${label.part})`,
      { reason: 'PART_AND_FINISH' },
    );
  if ((part || finish) && plan.seedWasRandom) {
    const which = part ? `${label.part} ${part.index}/${part.count}` : label.finish;
    throw new UserInputError(
      `${which} needs ${label.seed}: every part must draw the same data, so give the same ${label.seed} N (and the same options) to every part and to ${label.finish}`,
      { reason: 'PART_NEEDS_SEED' },
    );
  }
  if (part) partChunks(part, chunkCount(plan.users, plan.chunkSize), plan.chunkSize);
  return { ...plan, ...(part ? { part } : {}), finish, shard: flags.shard === true };
}
