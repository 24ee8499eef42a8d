/**
 * The order the engine's sorts produce (mingo's `$sort`), for the values where an index can
 * reproduce it exactly.
 *
 * mingo sorts by grouping documents on each sort key's value (mingo's equality) and ordering
 * the groups with its `compare`; a descending key reverses the groups, never a group's own
 * documents. Across types, `compare` ranks null < numbers < strings < booleans < dates <
 * ObjectIds (mingo's SORT_ORDER, then type names). On the "plain" values below, `compare` is
 * a strict total order on the groups, so any structure sorted by it gives mingo's order. On
 * the others it is not (NaN compares equal to every number; an array compares by its sorted
 * elements but groups by their order, and against a scalar inconsistently; Long and Decimal128
 * compare as text...): sorts touching such values are left to mingo.
 */
import { ObjectId } from 'bson';

/** Ranks of the plain kinds, in mingo's order. */
export const enum Rank {
  Null = 0,
  Number = 1,
  String = 2,
  Boolean = 3,
  Date = 4,
  ObjectId = 5,
}
export const RANKS = 6;
/** What `rankOf` answers for a value outside the plain kinds. */
export const UNRANKED = -1;

/** The rank of a sort value (mingo's `resolve`, missing meaning null), or UNRANKED. */
export function rankOf(value: unknown): number {
  switch (typeof value) {
    case 'undefined':
      return Rank.Null;
    case 'number':
      return Number.isNaN(value) ? UNRANKED : Rank.Number;
    case 'string':
      return Rank.String;
    case 'boolean':
      return Rank.Boolean;
    case 'object':
      if (value === null) return Rank.Null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? UNRANKED : Rank.Date;
      // The engine's own ObjectId class: mingo compares two ObjectIds by hex only when they share a constructor.
      if (value instanceof ObjectId) return Rank.ObjectId;
      return UNRANKED;
    default:
      return UNRANKED;
  }
}

/** Whether values of this rank order by a number (`numericKey`), else by a string (`textKey`); null has no key. */
export function isNumericRank(rank: number): boolean {
  return rank === Rank.Number || rank === Rank.Boolean || rank === Rank.Date;
}

/** The number a value of a numeric rank sorts by (-0 as 0: one group with 0). */
export function numericKey(value: unknown): number {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return (value as Date).getTime();
}

/** The string a value of a string rank sorts by (an ObjectId by its hex digits, as mingo compares them). */
export function textKey(value: unknown): string {
  return typeof value === 'string' ? value : (value as ObjectId).toHexString();
}

/** mingo's `compare` on two ranked values (of any ranks). */
export function compareRanked(a: unknown, b: unknown): number {
  const ra = rankOf(a);
  const rb = rankOf(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === Rank.Null) return 0;
  if (isNumericRank(ra)) {
    const x = numericKey(a);
    const y = numericKey(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = textKey(a);
  const y = textKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
