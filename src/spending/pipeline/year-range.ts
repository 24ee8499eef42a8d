/**
 * Concern: which orders count. Only orders whose `created_at` falls in the calendar year Y,
 * in UTC: the half-open range [Jan 1 Y 00:00:00.000Z, Jan 1 Y+1 00:00:00.000Z).
 */
import { SpendingInputError } from '../errors.js';
import type { Stage } from './types.js';

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

/** Throws a `BAD_YEAR` error unless `year` is an integer in [MIN_YEAR, MAX_YEAR]. */
export function assertYear(year: unknown): asserts year is number {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new SpendingInputError('BAD_YEAR', `year must be an integer between ${MIN_YEAR} and ${MAX_YEAR}, got ${String(year)}`);
  }
}

function startOfYearUtc(year: number): Date {
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, 0, 1);
  date.setUTCHours(0, 0, 0, 0);
  return date;
}

/** The UTC instants bounding year Y: `start` inclusive, `end` exclusive. */
export function yearRange(year: number): { start: Date; end: Date } {
  assertYear(year);
  return { start: startOfYearUtc(year), end: startOfYearUtc(year + 1) };
}

/**
 * `$match` on `orders.created_at` in year Y. First stage of the pipeline, so a real MongoDB
 * can use an index on `created_at`, and everything after it only sees the year's orders.
 * A `created_at` that is not a Date never matches (range queries are type-bracketed).
 */
export function matchOrdersInYear(year: number): Stage {
  const { start, end } = yearRange(year);
  return { $match: { created_at: { $gte: start, $lt: end } } };
}
