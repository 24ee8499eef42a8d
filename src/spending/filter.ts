/**
 * Parsing and validation of the user-supplied parts of a spending query: the filter (CLI
 * `find FILTER`, GraphQL `where`), the sort and the projected fields.
 *
 * The filter is MongoDB query syntax in Extended JSON (relaxed: `{"$oid": ...}`,
 * `{"$date": ...}`, `{"$numberLong": ...}`...). Only query operators are accepted:
 * server-side JavaScript (`$where`, `$function`, `$accumulator`, `Code` values, `$code`) is
 * refused anywhere in the filter, including inside `$expr`, `$elemMatch`, arrays and literal
 * values, and unknown `$`-operators at query positions are refused with the operator and
 * its path, before anything reaches the server.
 */
import { EJSON, type Document } from 'bson';
import { FilterError, type TextPosition } from './errors.js';

// ---------------------------------------------------------------------------------------------
// JSON syntax: a strict RFC 8259 scanner that only locates the first error. JSON.parse's
// messages differ between V8 versions and do not always give a position; this does.
// ---------------------------------------------------------------------------------------------

const MAX_JSON_DEPTH = 512;

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the input';
  const code = text.codePointAt(offset) ?? 0;
  if (code < 0x20) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(code)}'`;
}

function scanJson(text: string): void {
  let i = 0;
  const n = text.length;
  const fail = (reason: string, at = i): never => {
    throw new JsonSyntaxError(at, reason);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  const string = (): void => {
    const open = i;
    i++; // opening quote
    for (;;) {
      if (i >= n) fail('unterminated string (opened at column ' + (open + 1 - text.lastIndexOf('\n', open)) + ')');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(`${describeChar(text, i)} inside a string (escape it)`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape: expected 4 hex digits');
          i += 6;
        } else fail(`invalid escape '\\${e ?? ''}' in string`);
        continue;
      }
      i++;
    }
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else fail(`expected a digit but found ${describeChar(text, i)}`);
    if (text[i] === '.') {
      i++;
      if (!isDigit(text.charCodeAt(i))) fail(`expected a digit after '.' but found ${describeChar(text, i)}`);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text.charCodeAt(i))) fail(`expected a digit in the exponent but found ${describeChar(text, i)}`);
      while (isDigit(text.charCodeAt(i))) i++;
    }
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`expected a value but found ${describeChar(text, i)}`);
  };
  const value = (depth: number): void => {
    if (depth > MAX_JSON_DEPTH) fail('too deeply nested');
    const c = text[i];
    if (c === '{') object(depth);
    else if (c === '[') array(depth);
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && isDigit(c.charCodeAt(0)))) number();
    else if (c === "'") fail("expected a value but found ''' (JSON strings use double quotes)");
    else fail(`expected a value but found ${describeChar(text, i)}`);
  };
  const object = (depth: number): void => {
    i++;
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      if (text[i] !== '"') {
        const found = text[i];
        const hint =
          found === '}' ? ' (no trailing comma allowed)' : found === ',' ? ' (two commas in a row?)' : ' (property names need double quotes)';
        fail(`expected a property name but found ${describeChar(text, i)}${i < n ? hint : ''}`);
      }
      string();
      ws();
      if (text[i] !== ':') fail(`expected ':' after the property name but found ${describeChar(text, i)}`);
      i++;
      ws();
      value(depth + 1);
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(`expected ',' or '}' after a property value but found ${describeChar(text, i)}`);
    }
  };
  const array = (depth: number): void => {
    i++;
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      if (text[i] === ']') fail("expected a value but found ']' (no trailing comma allowed)");
      value(depth + 1);
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(`expected ',' or ']' after an array element but found ${describeChar(text, i)}`);
    }
  };
  ws();
  if (i >= n) fail('the input is empty');
  value(0);
  ws();
  if (i < n) fail(`unexpected ${describeChar(text, i)} after the end of the JSON value`);
}

/** 1-based line and column of a 0-based offset (\n, \r\n and \r all end a line). */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** The error's line, cut to about 24 characters on each side of the column. */
function excerptAt(text: string, offset: number): string {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  let lineEnd = text.slice(offset).search(/[\r\n]/);
  lineEnd = lineEnd === -1 ? text.length : offset + lineEnd;
  const from = Math.max(lineStart, offset - 24);
  const to = Math.min(lineEnd, offset + 24);
  return (from > lineStart ? '…' : '') + text.slice(from, to) + (to < lineEnd ? '…' : '');
}

/** Parses strict JSON (as Extended JSON, relaxed); syntax errors are `BAD_JSON` with a position. */
function parseJsonText(text: string, what: string): unknown {
  try {
    scanJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const position = positionOf(text, error.offset);
    const excerpt = excerptAt(text, error.offset);
    throw new FilterError(
      'BAD_JSON',
      `Malformed ${what} JSON at line ${position.line}, column ${position.column}: ${error.reason}; near: ${excerpt}`,
      { position, excerpt },
    );
  }
  try {
    return EJSON.parse(text, { relaxed: true });
  } catch (error) {
    // Syntactically valid JSON, invalid Extended JSON (e.g. {"$oid": "not hex"}).
    throw new FilterError('BAD_JSON', `Invalid Extended JSON in the ${what}: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Filter validation
// ---------------------------------------------------------------------------------------------

/** Operators that run JavaScript on the server: refused wherever they appear. */
const JAVASCRIPT_KEYS = new Set(['$where', '$function', '$accumulator', '$code']);

/** Operators allowed where a query document expects a field name or a logical operator. */
const TOP_LEVEL_OPERATORS = new Set(['$and', '$or', '$nor', '$expr', '$text', '$comment', '$jsonSchema', '$sampleRate']);

/** Operators allowed in `{ field: { <op>: ... } }`. */
const FIELD_OPERATORS = new Set([
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin',
  '$exists', '$type', '$mod', '$regex', '$options', '$all', '$elemMatch', '$size', '$not',
  '$bitsAllClear', '$bitsAllSet', '$bitsAnyClear', '$bitsAnySet',
  '$geoWithin', '$geoIntersects', '$near', '$nearSphere', '$maxDistance', '$minDistance',
]);

/** Inside `$elemMatch` (object form): logical operators, field operators and field names. */
const ELEM_MATCH_LOGICAL = new Set(['$and', '$or', '$nor']);

const MAX_FILTER_DEPTH = 100;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function bsonType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { _bsontype?: unknown })._bsontype;
  return typeof type === 'string' ? type : undefined;
}

function isRegex(value: unknown): boolean {
  return value instanceof RegExp || bsonType(value) === 'BSONRegExp';
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function at(path: string): string {
  return path === '' ? 'at the top level' : `at '${path}'`;
}

function bad(message: string, path: string): never {
  throw new FilterError('BAD_FILTER', message, { path });
}

function forbidden(what: string, path: string): never {
  throw new FilterError(
    'FORBIDDEN_OPERATOR',
    `${what} is not allowed ${at(path)}: server-side JavaScript is refused; use query operators only`,
    { path },
  );
}

/**
 * Walks any value (literal, expression...) and refuses server-side JavaScript: the
 * `$where`/`$function`/`$accumulator`/`$code` keys, `Code` values and functions.
 */
function refuseJavaScript(value: unknown, path: string, depth: number): void {
  if (depth > MAX_FILTER_DEPTH) bad(`the filter is nested more than ${MAX_FILTER_DEPTH} levels deep`, path);
  if (typeof value === 'function') forbidden('A JavaScript function', path);
  const type = bsonType(value);
  if (type === 'Code' || type === 'CodeWScope') forbidden('A JavaScript Code value', path);
  if (Array.isArray(value)) {
    value.forEach((item, index) => refuseJavaScript(item, `${path}[${index}]`, depth + 1));
    return;
  }
  if (!isPlainObject(value)) return; // ObjectId, Date, regex, numbers...: plain values
  for (const [key, item] of Object.entries(value)) {
    const here = join(path, key);
    if (JAVASCRIPT_KEYS.has(key)) forbidden(`'${key}'`, here);
    refuseJavaScript(item, here, depth + 1);
  }
}

/** A field path as used in a filter: non-empty segments, none starting with '$', no NUL. */
function checkFieldName(key: string, path: string): void {
  if (key.includes('\0')) bad(`field names must not contain a NUL character ${at(path)}`, path);
  const segments = key.split('.');
  for (const segment of segments) {
    if (segment === '') bad(`'${key}' is not a valid field path (empty segment) ${at(path)}`, path);
    if (segment.startsWith('$')) {
      if (JAVASCRIPT_KEYS.has(segment)) forbidden(`'${segment}'`, path);
      bad(`'${key}' is not a valid field path: a segment starts with '$' ${at(path)}`, path);
    }
  }
}

function checkQueryArray(op: string, value: unknown, path: string, depth: number): void {
  if (!Array.isArray(value) || value.length === 0) bad(`${op} needs a non-empty array of query documents ${at(path)}`, path);
  value.forEach((item, index) => {
    const here = `${path}[${index}]`;
    if (!isPlainObject(item)) bad(`each element of ${op} must be a query document ${at(here)}`, here);
    checkQueryDocument(item, here, depth + 1);
  });
}

/** A query document: `{ field: condition, $and: [...], ... }`. */
function checkQueryDocument(doc: Record<string, unknown>, path: string, depth: number): void {
  if (depth > MAX_FILTER_DEPTH) bad(`the filter is nested more than ${MAX_FILTER_DEPTH} levels deep`, path);
  for (const [key, value] of Object.entries(doc)) {
    const here = join(path, key);
    if (!key.startsWith('$')) {
      checkFieldName(key, here);
      checkCondition(value, here, depth + 1);
      continue;
    }
    if (JAVASCRIPT_KEYS.has(key)) forbidden(`'${key}'`, here);
    if (!TOP_LEVEL_OPERATORS.has(key)) {
      const hint = FIELD_OPERATORS.has(key) ? ` (${key} applies to a field: { "<field>": { "${key}": ... } })` : '';
      bad(`unknown top-level query operator '${key}' ${at(here)}${hint}`, here);
    }
    switch (key) {
      case '$and':
      case '$or':
      case '$nor':
        checkQueryArray(key, value, here, depth);
        break;
      case '$text':
        if (!isPlainObject(value)) bad(`$text needs an object like { "$search": "words" } ${at(here)}`, here);
        refuseJavaScript(value, here, depth + 1);
        break;
      default:
        // $expr (aggregation expressions), $jsonSchema, $comment, $sampleRate: their contents are
        // not query operators; the server validates them. Only JavaScript is refused here.
        refuseJavaScript(value, here, depth + 1);
    }
  }
}

/** The value of `{ field: <value> }`: an operator object, or a literal to compare with. */
function checkCondition(value: unknown, path: string, depth: number): void {
  if (isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'))) {
    checkOperatorObject(value, path, depth);
    return;
  }
  refuseJavaScript(value, path, depth);
}

/** `{ $gt: 1, $lt: 5 }`, `{ $in: [...] }`, `{ $elemMatch: {...} }`, `{ $not: {...} }`... */
function checkOperatorObject(ops: Record<string, unknown>, path: string, depth: number): void {
  if (depth > MAX_FILTER_DEPTH) bad(`the filter is nested more than ${MAX_FILTER_DEPTH} levels deep`, path);
  for (const [op, value] of Object.entries(ops)) {
    const here = join(path, op);
    if (JAVASCRIPT_KEYS.has(op)) forbidden(`'${op}'`, here);
    if (!op.startsWith('$')) {
      bad(`'${op}' mixes a field name with query operators ${at(here)} (use dotted paths for sub-fields)`, here);
    }
    if (!FIELD_OPERATORS.has(op)) {
      const hint = TOP_LEVEL_OPERATORS.has(op) ? ` (${op} must be used at the top level of a query document)` : '';
      bad(`unknown query operator '${op}' ${at(here)}${hint}`, here);
    }
    switch (op) {
      case '$in':
      case '$nin':
        if (!Array.isArray(value)) bad(`${op} needs an array ${at(here)}`, here);
        refuseJavaScript(value, here, depth + 1);
        break;
      case '$all':
        if (!Array.isArray(value)) bad(`$all needs an array ${at(here)}`, here);
        value.forEach((item, index) => {
          const itemPath = `${here}[${index}]`;
          if (isPlainObject(item) && Object.keys(item).some((key) => key.startsWith('$'))) checkOperatorObject(item, itemPath, depth + 1);
          else refuseJavaScript(item, itemPath, depth + 1);
        });
        break;
      case '$elemMatch':
        if (!isPlainObject(value)) bad(`$elemMatch needs a query document ${at(here)}`, here);
        checkElemMatch(value, here, depth + 1);
        break;
      case '$not':
        if (isRegex(value)) break;
        if (!isPlainObject(value) || Object.keys(value).length === 0) {
          bad(`$not needs an operator object (e.g. { "$gt": 5 }) or a regular expression ${at(here)}`, here);
        }
        checkOperatorObject(value, here, depth + 1);
        break;
      default:
        // $eq, $gt, $regex, $type, $geoWithin...: values (or geo shapes) the server checks.
        refuseJavaScript(value, here, depth + 1);
    }
  }
}

/** `$elemMatch` object: a query on the elements (fields and logical operators) or operators on scalars. */
function checkElemMatch(doc: Record<string, unknown>, path: string, depth: number): void {
  for (const [key, value] of Object.entries(doc)) {
    const here = join(path, key);
    if (JAVASCRIPT_KEYS.has(key)) forbidden(`'${key}'`, here);
    if (!key.startsWith('$')) {
      checkFieldName(key, here);
      checkCondition(value, here, depth + 1);
    } else if (ELEM_MATCH_LOGICAL.has(key)) {
      checkQueryArray(key, value, here, depth);
    } else if (FIELD_OPERATORS.has(key)) {
      checkOperatorObject({ [key]: value }, path, depth);
    } else {
      bad(`query operator '${key}' is not allowed inside $elemMatch ${at(here)}`, here);
    }
  }
}

/**
 * Accepts a MongoDB filter made of query operators only and returns it; throws a
 * `FilterError` (`FORBIDDEN_OPERATOR` for server-side JavaScript, `BAD_FILTER` otherwise)
 * whose `path` locates the problem.
 */
export function validateFilter(filter: unknown): Document {
  if (!isPlainObject(filter)) {
    const kind = Array.isArray(filter) ? 'an array' : filter === null ? 'null' : typeof filter;
    throw new FilterError('BAD_FILTER', `the filter must be a JSON object, not ${kind}`);
  }
  checkQueryDocument(filter, '', 0);
  return filter;
}

/**
 * Parses a filter written in Extended JSON (relaxed). Blank text means "everything" (`{}`).
 * Malformed JSON throws a `BAD_JSON` FilterError whose message gives the line, the column and
 * an excerpt. The result is not validated: call `validateFilter` (or `parseAndValidateFilter`).
 */
export function parseFilterJson(text: string): Document {
  if (text.trim() === '') return {};
  const value = parseJsonText(text, 'filter');
  if (!isPlainObject(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    throw new FilterError('BAD_FILTER', `the filter must be a JSON object, not ${kind}`);
  }
  return value;
}

/** `parseFilterJson` then `validateFilter`. */
export function parseAndValidateFilter(text: string): Document {
  return validateFilter(parseFilterJson(text));
}

// ---------------------------------------------------------------------------------------------
// Sort and projection
// ---------------------------------------------------------------------------------------------

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
      throw new FilterError('BAD_SORT', `the sort direction of '${field}' must be 1 or -1, not ${JSON.stringify(direction) ?? String(direction)}`, { path: field });
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
