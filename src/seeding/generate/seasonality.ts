/**
 * When orders happen: a per-year calendar of day and hour weights, so that
 * generated order dates show a Brazilian retail year (Black Friday, Christmas,
 * Mother's Day...) instead of a flat line, and a fast sampler over it.
 *
 * All dates are UTC: the crunch buckets orders by UTC month (docs/DATA-MODEL.md §4), so a
 * drawn instant is always inside the UTC calendar year.
 *
 * @module
 */
import { cumulativeWeights, type Prng } from './prng.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Earliest supported year: ObjectId timestamps are unsigned seconds and users register up to 3 years earlier. */
export const MIN_YEAR = 1973;
/** Latest supported year: ObjectId seconds overflow 4 bytes in 2106. */
export const MAX_YEAR = 2105;

/**
 * Relative order volume per month (index 0 = January). November and December
 * are clearly above the mean: Black Friday and Christmas. May, June, August and
 * October carry Mother's Day, Valentine's Day (12 June in Brazil), Father's Day
 * and Children's Day.
 */
export const MONTH_WEIGHTS: readonly number[] = [0.85, 0.78, 0.88, 0.88, 1.02, 0.96, 0.9, 0.98, 0.9, 0.97, 1.45, 1.55];

/**
 * Relative volume per hour of the day in Brasília time (UTC−3): night trough,
 * lunch plateau, evening peak. Converted to UTC hours when the calendar is built.
 */
const LOCAL_HOUR_WEIGHTS: readonly number[] = [
  0.35, 0.2, 0.12, 0.08, 0.06, 0.08, 0.2, 0.45, 0.75, 1.0, 1.15, 1.2, 1.25, 1.2, 1.15, 1.15, 1.1, 1.1, 1.2, 1.35, 1.5, 1.45, 1.1, 0.7,
];
const UTC_OFFSET_HOURS = -3;

/** The last full calendar year (UTC), the default year of generated orders. */
export function defaultYear(now: Date = new Date()): number {
  return now.getUTCFullYear() - 1;
}

/**
 * Throws a RangeError unless `year` is an integer that the generators support.
 */
export function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year must be an integer between ${MIN_YEAR} and ${MAX_YEAR}, got ${String(year)}`);
  }
}

/** A year's sampling tables; build once with {@link seasonalCalendar}. */
export interface YearCalendar {
  readonly year: number;
  /** 1 January 00:00:00.000 UTC, in ms. */
  readonly startMs: number;
  /** 1 January of the next year, in ms (exclusive end). */
  readonly endMs: number;
  /** Number of days in the year (365 or 366). */
  readonly days: number;
  /** Running sums of the day weights. */
  readonly cumulativeDayWeights: Float64Array;
  /** Running sums of the UTC hour weights. */
  readonly cumulativeHourWeights: Float64Array;
  /** Each day's weight divided by the mean day weight (for tests and docs). */
  readonly dayWeights: Float64Array;
}

/** Day of month (1-based) of the n-th `weekday` (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
}

/** Multiplies the weight of `count` days ending with (and including) `day` (0-based day of year). */
function boost(weights: Float64Array, day: number, count: number, factor: number): void {
  for (let d = Math.max(0, day - count + 1); d <= day && d < weights.length; d++) {
    weights[d] = (weights[d] as number) * factor;
  }
}

const calendars = new Map<number, YearCalendar>();

/**
 * The sampling calendar of `year` (cached: it is pure and small).
 * @throws RangeError on an unsupported year.
 */
export function seasonalCalendar(year: number): YearCalendar {
  const cached = calendars.get(year);
  if (cached) return cached;
  assertYear(year);
  const startMs = Date.UTC(year, 0, 1);
  const endMs = Date.UTC(year + 1, 0, 1);
  const days = Math.round((endMs - startMs) / DAY_MS);
  const dayOf = (month: number, dom: number): number => Math.round((Date.UTC(year, month, dom) - startMs) / DAY_MS);

  const w = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    const date = new Date(startMs + d * DAY_MS);
    const weekday = date.getUTCDay();
    // Online shopping dips a little at weekends (people are out).
    w[d] = (MONTH_WEIGHTS[date.getUTCMonth()] as number) * (weekday === 0 || weekday === 6 ? 0.9 : 1);
  }
  // Black Friday: the Friday after the fourth Thursday of November, its
  // weekend, Cyber Monday and the warm-up week before.
  const thanksgiving = nthWeekday(year, 10, 4, 4);
  const blackFriday = dayOf(10, thanksgiving + 1);
  boost(w, blackFriday - 1, 4, 1.5);
  boost(w, blackFriday, 1, 5);
  boost(w, blackFriday + 2, 2, 2.5);
  boost(w, blackFriday + 3, 1, 2.5);
  // Christmas shopping ramps up through 22 December, then collapses.
  boost(w, dayOf(11, 22), 10, 1.3);
  boost(w, dayOf(11, 24), 1, 0.6);
  boost(w, dayOf(11, 25), 1, 0.3);
  boost(w, dayOf(0, 1), 1, 0.4);
  // Mother's Day (2nd Sunday of May), Valentine's Day (12 June), Father's Day
  // (2nd Sunday of August), Children's Day (12 October): the week before.
  boost(w, dayOf(4, nthWeekday(year, 4, 0, 2)) - 1, 7, 1.4);
  boost(w, dayOf(5, 12) - 1, 6, 1.4);
  boost(w, dayOf(7, nthWeekday(year, 7, 0, 2)) - 1, 7, 1.3);
  boost(w, dayOf(9, 12) - 1, 7, 1.3);

  let sum = 0;
  for (let d = 0; d < days; d++) sum += w[d] as number;
  const mean = sum / days;
  const dayWeights = w.map((x) => x / mean);

  const hourWeights = new Float64Array(24);
  for (let utcHour = 0; utcHour < 24; utcHour++) {
    hourWeights[utcHour] = LOCAL_HOUR_WEIGHTS[(utcHour + UTC_OFFSET_HOURS + 24) % 24] as number;
  }

  const calendar: YearCalendar = {
    year,
    startMs,
    endMs,
    days,
    cumulativeDayWeights: cumulativeWeights(w),
    cumulativeHourWeights: cumulativeWeights(hourWeights),
    dayWeights,
  };
  calendars.set(year, calendar);
  return calendar;
}

/**
 * Draws an instant (ms since the epoch, millisecond precision) inside the
 * calendar's year, following its day and hour weights. Three PRNG draws.
 */
export function drawInstant(prng: Prng, calendar: YearCalendar): number {
  const day = prng.weightedIndex(calendar.cumulativeDayWeights);
  const hour = prng.weightedIndex(calendar.cumulativeHourWeights);
  return calendar.startMs + day * DAY_MS + hour * HOUR_MS + Math.floor(prng.next() * HOUR_MS);
}
