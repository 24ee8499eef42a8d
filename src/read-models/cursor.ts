/**
 * Cursor pagination over a sort key plus `_id` (the tie-breaker), so pages are stable: a
 * cursor holds the sort field, its direction, the last row's value of that field and its
 * `_id`; the next page is "after that pair" in the same order. Cursors are opaque to clients
 * (base64url of Extended JSON) and refused when used with another sort.
 */
import { EJSON, type Document } from 'bson';
import { UserInputError } from '../errors.js';

export type Direction = 1 | -1;

export interface SortKey {
  /** A field path of the documents, or `_id`. */
  field: string;
  direction: Direction;
}

export interface CursorPosition {
  value: unknown;
  id: unknown;
}

export interface PageInfo {
  hasNextPage: boolean;
  /** True when the page was asked for `after` a cursor (forward pagination only). */
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** Documents matching the filter, all pages together (counted only when asked for). */
  count(): Promise<number>;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first` checked: a whole number 1..MAX_PAGE_SIZE (default DEFAULT_PAGE_SIZE). */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new UserInputError(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${first}`, { reason: 'BAD_PAGINATION' });
  }
  return first;
}

/** The value at a dotted path of a document (undefined when absent). */
export function valueAt(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** What a sort value or an `_id` may be in a cursor: never an object a query could read as operators. */
function isScalar(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (value instanceof Date) return true;
  return typeof value === 'object' && (value as { _bsontype?: unknown })._bsontype === 'ObjectId';
}

export function encodeCursor(key: SortKey, position: CursorPosition): string {
  const body = EJSON.stringify({ f: key.field, d: key.direction, v: position.value ?? null, i: position.id }, { relaxed: true });
  return Buffer.from(body, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, key: SortKey): CursorPosition {
  const bad = (why: string): never => {
    throw new UserInputError(
      `invalid cursor ${JSON.stringify(cursor.length > 80 ? `${cursor.slice(0, 80)}…` : cursor)}: ${why}; use a cursor from a previous page of the same query`,
      { reason: 'BAD_CURSOR' },
    );
  };
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > 4096) bad('it is not a cursor');
  let parsed: unknown;
  try {
    parsed = EJSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'), { relaxed: true });
  } catch {
    bad('it is not a cursor');
  }
  if (typeof parsed !== 'object' || parsed === null) return bad('it is not a cursor');
  const { f, d, v, i } = parsed as { f?: unknown; d?: unknown; v?: unknown; i?: unknown };
  if (typeof f !== 'string' || (d !== 1 && d !== -1) || i === undefined) return bad('it is not a cursor');
  if (!isScalar(v) || !isScalar(i)) bad('it is not a cursor');
  if (f !== key.field || d !== key.direction)
    bad(
      `it belongs to a query sorted by ${f} ${d === 1 ? 'ascending' : 'descending'}, not by ${key.field} ${key.direction === 1 ? 'ascending' : 'descending'}`,
    );
  return { value: v, id: i };
}

/**
 * The filter of the rows that come after `position` in the order `{ [field]: dir, _id: dir }`.
 * Null and missing values sort first ascending and last descending, as in MongoDB.
 */
export function afterFilter(key: SortKey, position: CursorPosition): Document {
  const after = key.direction === 1 ? '$gt' : '$lt';
  if (key.field === '_id') return { _id: { [after]: position.id } };
  const { field } = key;
  const sameValueLaterId = { [field]: position.value, _id: { [after]: position.id } };
  if (position.value === null) {
    // Ascending: every non-null value comes after null; descending: nothing but other nulls.
    return key.direction === 1 ? { $or: [{ [field]: { $ne: null } }, sameValueLaterId] } : { $or: [sameValueLaterId] };
  }
  const branches: Document[] = [{ [field]: { [after]: position.value } }, sameValueLaterId];
  if (key.direction === -1) branches.push({ [field]: null });
  return { $or: branches };
}

/** `a AND b`, without nesting for empty parts. */
export function andFilters(...filters: Document[]): Document {
  const parts = filters.filter((filter) => Object.keys(filter).length > 0);
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0]!;
  return { $and: parts };
}

/**
 * Builds a page from `first + 1` rows fetched in order: the extra row only says whether
 * there is a next page.
 */
export function toPage<T extends Document>(rows: T[], first: number, key: SortKey, after: string | null | undefined, count: () => Promise<number>): Page<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({
    cursor: encodeCursor(key, { value: key.field === '_id' ? null : (valueAt(node, key.field) ?? null), id: node._id }),
    node,
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    count,
  };
}
