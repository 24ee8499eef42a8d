/**
 * The sort and the projected fields of a spending query, as the CLI takes them (`--sort`,
 * `--fields`) and as library callers and GraphQL give them (objects), checked so that only
 * plain field paths and directions reach the server.
 */
import { isPlainObject } from './bson-values.js';
import { FilterError } from './errors.js';
import { refuseJavaScript } from './no-javascript.js';
import { parseJsonText } from './json-text.js';

export type SortSpec = Record<string, 1 | -1>;

/** Refuses a field list where one field contains another ('a' and 'a.b'): MongoDB rejects it as a path collision. */
function assertNoOverlap(fields: readonly string[]): void {
  for (const a of fields) {
    for (const b of fields) {
      if (a !== b && b.startsWith(`${a}.`)) throw new FilterError('BAD_FIELDS', `fields '${a}' and '${b}' overlap: list only one of them`, { path: b });
    }
  }
}

function checkOutputPath(field: string, code: 'BAD_SORT' | 'BAD_FIELDS'): void {
  const fail = (reason: string): never => {
    throw new FilterError(code, `'${field}' is not a valid field path: ${reason}`, { path: field });
  };
  if (field === '') fail('it is empty');
  if (field.includes('\0')) fail('it contains a NUL character');
  for (const segment of field.split('.')) {
    if (segment === '') fail('it has an empty segment');
    if (segment.startsWith('$')) fail("a segment starts with '$'");
  }
}

/**
 * Parses a sort: a JSON object `{"monthly_avg_expense": -1, "email": 1}` or the shorthand
 * `-monthly_avg_expense,email` (`-` for descending). Blank text means no sort (`{}`).
 * Directions: 1, -1, "asc", "desc" (also "ascending"/"descending").
 */
export function parseSort(text: string): SortSpec {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const sort: SortSpec = {};
  const add = (field: string, direction: 1 | -1): void => {
    checkOutputPath(field, 'BAD_SORT');
    if (Object.hasOwn(sort, field)) throw new FilterError('BAD_SORT', `'${field}' appears twice in the sort`, { path: field });
    sort[field] = direction;
  };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const value = parseJsonText(trimmed, 'sort');
    if (!isPlainObject(value)) throw new FilterError('BAD_SORT', 'the sort must be a JSON object');
    for (const [field, raw] of Object.entries(value)) {
      const direction = raw === 1 || raw === 'asc' || raw === 'ascending' ? 1 : raw === -1 || raw === 'desc' || raw === 'descending' ? -1 : undefined;
      if (direction === undefined) {
        throw new FilterError('BAD_SORT', `the sort direction of '${field}' must be 1 or -1, not ${JSON.stringify(raw) ?? String(raw)}`, { path: field });
      }
      add(field, direction);
    }
    return sort;
  }
  for (const part of trimmed.split(',')) {
    const item = part.trim();
    if (item === '') throw new FilterError('BAD_SORT', `empty field in the sort '${text}'`);
    if (item.startsWith('-')) add(item.slice(1).trim(), -1);
    else add(item.startsWith('+') ? item.slice(1).trim() : item, 1);
  }
  return sort;
}

export type FieldsProjection = Record<string, 0 | 1>;

/**
 * Parses a comma-separated list of fields (`customer_id,monthly_spenses.jan`) into an
 * inclusion projection of exactly those fields: `_id` is excluded unless listed. Blank text
 * means all fields (`{}`). Refuses invalid paths and overlapping ones (`a` with `a.b`), which
 * MongoDB rejects as a path collision.
 */
export function parseFields(text: string): FieldsProjection {
  if (text.trim() === '') return {};
  const fields: string[] = [];
  for (const part of text.split(',')) {
    const field = part.trim();
    if (field === '') throw new FilterError('BAD_FIELDS', `empty field name in '${text}'`);
    checkOutputPath(field, 'BAD_FIELDS');
    if (!fields.includes(field)) fields.push(field);
  }
  assertNoOverlap(fields);
  const projection: FieldsProjection = {};
  for (const field of fields) projection[field] = 1;
  // Exclude `_id` unless asked for (or one of its sub-paths is, which would collide).
  if (!fields.some((field) => field === '_id' || field.startsWith('_id.'))) projection._id = 0;
  return projection;
}

/**
 * Accepts a sort given as an object (GraphQL, library callers): `{ field: 1 | -1 }` with valid
 * field paths. Throws a `BAD_SORT` FilterError otherwise.
 */
export function validateSort(sort: unknown): SortSpec {
  if (sort === undefined || sort === null) return {};
  if (!isPlainObject(sort)) throw new FilterError('BAD_SORT', 'the sort must be an object like { "monthly_avg_expense": -1 }');
  const out: SortSpec = {};
  for (const [field, direction] of Object.entries(sort)) {
    checkOutputPath(field, 'BAD_SORT');
    if (direction !== 1 && direction !== -1) {
      throw new FilterError('BAD_SORT', `the sort direction of '${field}' must be 1 or -1, not ${JSON.stringify(direction) ?? String(direction)}`, {
        path: field,
      });
    }
    out[field] = direction;
  }
  return out;
}

/**
 * Accepts a projection given as an object: only `0`/`1` (or `false`/`true`) values on valid,
 * non-overlapping field paths, all inclusions or all exclusions (`_id` may be excluded from
 * an inclusion). Expressions are refused: a find projection may hold aggregation expressions,
 * and with them server-side JavaScript (`$function`). Throws a `BAD_FIELDS` FilterError.
 */
export function validateProjection(projection: unknown): FieldsProjection {
  if (projection === undefined || projection === null) return {};
  if (!isPlainObject(projection)) throw new FilterError('BAD_FIELDS', 'the projection must be an object like { "email": 1 }');
  const out: FieldsProjection = {};
  for (const [field, value] of Object.entries(projection)) {
    checkOutputPath(field, 'BAD_FIELDS');
    if (value !== 0 && value !== 1 && value !== true && value !== false) {
      if (isPlainObject(value) || Array.isArray(value)) refuseJavaScript(value, field, 0);
      throw new FilterError('BAD_FIELDS', `the projection of '${field}' must be 1 (include) or 0 (exclude); expressions are not accepted`, { path: field });
    }
    out[field] = value === 1 || value === true ? 1 : 0;
  }
  const fields = Object.keys(out);
  assertNoOverlap(fields);
  const kinds = new Set(fields.filter((field) => field !== '_id').map((field) => out[field]));
  if (kinds.size > 1) throw new FilterError('BAD_FIELDS', 'a projection cannot both include and exclude fields (except _id)');
  return out;
}
