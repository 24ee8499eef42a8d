/**
 * Concern: the output documents (docs/DATA-MODEL.md §4, field names and order exactly) and where they go.
 */
import { CUSTOMER_SPENDING_COLLECTION } from '../months.js';
import { categoryAverages, monthlyAverage } from './averages.js';
import type { Stage } from './types.js';
import { assertYear } from './year-range.js';
import { fillCategorizedMonths, fillMonthlyAmounts } from './zero-fill.js';

/**
 * Input: the per-user documents of join-users.ts.
 * Output: one `CustomerSpending` document per user, its fields in the order of docs/DATA-MODEL.md §4.
 *
 * `$replaceWith` builds each document from scratch, in the order written here, on every
 * server (a `$project` would too on MongoDB, but mingo's `$project` sorts the fields by name).
 * A missing value (a user without email) leaves the field out.
 */
export function projectSpending(year: number): Stage {
  assertYear(year);
  return {
    $replaceWith: {
      _id: '$_id',
      customer_id: '$_id',
      email: '$user.email',
      year: { $literal: year },
      details: { first_name: '$user.first_name', last_name: '$user.last_name' },
      monthly_spenses: fillMonthlyAmounts('$monthly'),
      categorized_monthly_expenses: fillCategorizedMonths('$categorized'),
      monthly_avg_expense: monthlyAverage('$year_cents'),
      categorized_monthly_avg_expense: categoryAverages('$categorized'),
    },
  };
}

/** `$merge` settings for an incremental refresh (defaults: by `_id`, replace or insert). */
export interface MergeTarget {
  into?: string;
  on?: string | string[];
  whenMatched?: 'replace' | 'keepExisting' | 'merge' | 'fail';
  whenNotMatched?: 'insert' | 'discard' | 'fail';
}

/**
 * Where the crunch writes:
 *   - a collection name: `$out` (the target is replaced atomically; its indexes are kept);
 *   - `{ merge: {...} }`: `$merge` into the target (documents of users deleted since an
 *     earlier run are left in place);
 *   - `false`: no output stage (the documents are returned; used by tests and previews).
 */
export type CrunchOutput = string | { merge: MergeTarget } | false;

export function outputStage(out: CrunchOutput): Stage | undefined {
  if (out === false) return undefined;
  if (typeof out === 'string') {
    if (out.length === 0) throw new TypeError('the $out collection name must not be empty');
    return { $out: out };
  }
  const merge = out.merge;
  return {
    $merge: {
      into: merge.into ?? CUSTOMER_SPENDING_COLLECTION,
      on: merge.on ?? '_id',
      whenMatched: merge.whenMatched ?? 'replace',
      whenNotMatched: merge.whenNotMatched ?? 'insert',
    },
  };
}
