/**
 * The range of one field's values a filter allows, from its conditions on that field
 * (`$gt`, `$gte`, `$lt`, `$lte`, `$eq`, a literal value; at the top level or in a top-level
 * `$and`). Comparisons in the engine's queries (mingo's) only match values of the operand's
 * own type, as MongoDB's type bracketing does: `{f: {$gte: 50}}` matches numbers from 50 up,
 * never strings or dates, so a condition confines the field to one rank (sort-rank.ts) of an
 * ordered view. The range is only ever wider than what the filter matches: every candidate
 * is still tested against the whole filter.
 */
import type { Document } from 'bson';
import { isPlainObject } from '../storage/index-spec.js';
import type { Bound, KeyRange } from './ordered-view.js';
import { isNumericRank, numericKey, Rank, rankOf, textKey, UNRANKED } from './sort-rank.js';

/** What a filter's conditions on a field amount to: a range, nothing at all, or no confinement. */
export type FieldRange = KeyRange | 'empty' | undefined;

/** `[field, condition]` for each top-level condition of `filter`, those of a top-level `$and` included. */
export function conjuncts(filter: Document): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) if (isPlainObject(part)) out.push(...conjuncts(part));
    } else if (!key.startsWith('$')) {
      out.push([key, value]);
    }
  }
  return out;
}

/** The rank and key of a bound's operand; undefined for operands that do not bracket (null, arrays, regexes...). */
function operand(value: unknown): { rank: number; key: number | string } | undefined {
  const rank = rankOf(value);
  if (rank === UNRANKED || rank === Rank.Null || value === undefined) return undefined;
  return { rank, key: isNumericRank(rank) ? numericKey(value) : textKey(value) };
}

class RangeBuilder {
  rank: number | undefined;
  lower: Bound | undefined;
  upper: Bound | undefined;
  empty = false;

  add(op: string, value: unknown): void {
    const bound = operand(value);
    if (!bound) return;
    if (this.rank !== undefined && this.rank !== bound.rank) {
      this.empty = true; // one value cannot have two types
      return;
    }
    this.rank = bound.rank;
    if (op === '$eq' || op === '$gt' || op === '$gte') this.raise({ key: bound.key, inclusive: op !== '$gt' });
    if (op === '$eq' || op === '$lt' || op === '$lte') this.lowerUpper({ key: bound.key, inclusive: op !== '$lt' });
  }

  private raise(bound: Bound): void {
    const current = this.lower;
    if (!current || bound.key > current.key || (bound.key === current.key && !bound.inclusive)) this.lower = bound;
  }

  private lowerUpper(bound: Bound): void {
    const current = this.upper;
    if (!current || bound.key < current.key || (bound.key === current.key && !bound.inclusive)) this.upper = bound;
  }
}

const RANGE_OPERATORS = new Set(['$eq', '$gt', '$gte', '$lt', '$lte']);

/** The values of `field` that `filter` can match, as a range of one rank. */
export function fieldRange(filter: Document, field: string): FieldRange {
  const builder = new RangeBuilder();
  for (const [path, condition] of conjuncts(filter)) {
    if (path !== field) continue;
    if (isPlainObject(condition)) {
      const ops = Object.keys(condition);
      // An object with a plain key is a literal document to match, not operators.
      if (ops.length === 0 || !ops.every((op) => op.startsWith('$'))) continue;
      for (const op of ops) if (RANGE_OPERATORS.has(op)) builder.add(op, condition[op]);
    } else {
      builder.add('$eq', condition); // `{f: v}`: equality (a regex or null gives no bound)
    }
  }
  if (builder.empty) return 'empty';
  if (builder.rank === undefined) return undefined;
  return { rank: builder.rank, lower: builder.lower, upper: builder.upper };
}
