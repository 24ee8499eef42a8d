/**
 * Parts of a seed: N machines (or processes) each generate part I of N — a contiguous range
 * of the seed's chunks — against one database, and one `seed --finish` puts them together.
 * A chunk's documents depend only on the seed options and the chunk's index (ObjectIds
 * included), so the union of the N parts is the very data one machine would write.
 *
 * Pure arithmetic and names; the records of written parts are part-records.ts's.
 */
import { createHash } from 'node:crypto';
import { UserInputError } from '../errors.js';
import type { SeedPlan } from './options.js';

/** Part `index` (1 … count) of `count`. */
export interface Part {
  index: number;
  count: number;
}

/** Chunks `from` (included) to `to` (excluded). */
export interface ChunkRange {
  from: number;
  to: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

const PART_FORM = 'give I/N, part I of N, with 1 ≤ I ≤ N (for three machines: 1/3, 2/3 and 3/3)';

/** Reads `"I/N"` or `{ index, count }`; refuses anything else with what to give instead. */
export function parsePart(input: string | Part, label = '--part'): Part {
  let part: Part;
  if (typeof input === 'string') {
    const match = /^\s*(-?\d+)\s*\/\s*(-?\d+)\s*$/.exec(input);
    if (!match) throw new UserInputError(`${label}: '${input}' is not a part; ${PART_FORM}`, { reason: 'BAD_PART' });
    part = { index: Number(match[1]), count: Number(match[2]) };
  } else part = { index: input.index, count: input.count };
  const { index, count: n } = part;
  const text = `${index}/${n}`;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(n))
    throw new UserInputError(`${label}: ${text}: I and N are whole numbers; ${PART_FORM}`, { reason: 'BAD_PART' });
  if (n < 1) throw new UserInputError(`${label}: ${text}: a seed is split into at least 1 part (N ≥ 1); ${PART_FORM}`, { reason: 'BAD_PART' });
  if (index < 1) throw new UserInputError(`${label}: ${text}: parts are numbered from 1; ${PART_FORM}`, { reason: 'BAD_PART' });
  if (index > n) throw new UserInputError(`${label}: ${text}: there is no part ${index} of ${n}; ${PART_FORM}`, { reason: 'BAD_PART' });
  return part;
}

/**
 * The chunks of part `part` among `chunks`: contiguous, of sizes differing by one at most,
 * and together every chunk exactly once. Refuses more parts than chunks (a part would be empty).
 */
export function partChunks(part: Part, chunks: number, chunkSize: number): ChunkRange {
  if (part.count > chunks) {
    throw new UserInputError(
      `--part ${part.index}/${part.count}: a seed of this size has ${count(chunks)} chunk${chunks === 1 ? '' : 's'} of ${count(chunkSize)} users, ` +
        `so it splits into at most ${count(chunks)} part${chunks === 1 ? '' : 's'}; use fewer parts, or more users`,
      { reason: 'TOO_MANY_PARTS', chunks },
    );
  }
  const start = (i: number): number => Math.floor((i * chunks) / part.count);
  return { from: start(part.index - 1), to: start(part.index) };
}

/** "2/4" */
export function partName(part: Part): string {
  return `${part.index}/${part.count}`;
}

/** The options that decide the data (not how it is written: workers, batch size, target). */
export function dataOptions(plan: SeedPlan): Pick<SeedPlan, 'seed' | 'users' | 'maxOrders' | 'products' | 'year' | 'locale' | 'chunkSize'> {
  return {
    seed: plan.seed,
    users: plan.users,
    maxOrders: plan.maxOrders,
    products: plan.products,
    year: plan.year,
    locale: plan.locale,
    chunkSize: plan.chunkSize,
  };
}

/** 12 hex digits naming the data options: parts of different options are never put together. */
export function seedFingerprint(plan: SeedPlan): string {
  const options = dataOptions(plan);
  const canonical = JSON.stringify(
    Object.keys(options)
      .sort()
      .map((key) => [key, options[key as keyof typeof options]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

/** How the name of every part's activity collection starts. */
export const PART_COLLECTION_PREFIX = 'datadragon_part_';

/** The collection part `part` writes its activity into (kept until `--finish` uses it). */
export function partCollection(fingerprint: string, part: Part): string {
  return `${PART_COLLECTION_PREFIX}${fingerprint}_${part.index}of${part.count}`;
}

/** The parts of `count` not in `written`, in order. */
export function missingParts(count: number, written: Iterable<number>): number[] {
  const have = new Set(written);
  return Array.from({ length: count }, (_, i) => i + 1).filter((i) => !have.has(i));
}
