/**
 * Validation of user filters (CLI `find FILTER`, GraphQL `where`): MongoDB query syntax in
 * Extended JSON (relaxed: `{"$oid": ...}`, `{"$date": ...}`, `{"$numberLong": ...}`...).
 * Only query operators are accepted: server-side JavaScript (`$where`, `$function`,
 * `$accumulator`, `Code` values, `$code`) is refused anywhere in the filter, including inside
 * `$expr`, `$elemMatch`, arrays and literal values; unknown `$`-operators at query positions
 * are refused with the operator and its path; `$expr` takes the expression operators of
 * expression-operators.ts only; and regular expressions are judged by regex-safety.ts, all
 * before anything reaches the server.
 */
import type { Document } from 'bson';
import { isPlainObject, isRegex } from './bson-values.js';
import { FilterError } from './errors.js';
import { checkExpression, COMPARISON_OPERATORS } from './expression-operators.js';
import { parseJsonText } from './json-text.js';
import { forbidden, JAVASCRIPT_KEYS, MAX_FILTER_DEPTH, refuseJavaScript } from './no-javascript.js';
import { checkPatternSyntax } from './regex-safety.js';

/** Operators allowed where a query document expects a field name or a logical operator. */
const TOP_LEVEL_OPERATORS = new Set(['$and', '$or', '$nor', '$expr', '$text', '$comment', '$jsonSchema', '$sampleRate']);

/** Operators allowed in `{ field: { <op>: ... } }`. */
const FIELD_OPERATORS = new Set([
  ...COMPARISON_OPERATORS,
  '$in',
  '$nin',
  '$exists',
  '$type',
  '$mod',
  '$regex',
  '$options',
  '$all',
  '$elemMatch',
  '$size',
  '$not',
  '$bitsAllClear',
  '$bitsAllSet',
  '$bitsAnyClear',
  '$bitsAnySet',
  '$geoWithin',
  '$geoIntersects',
  '$near',
  '$nearSphere',
  '$maxDistance',
  '$minDistance',
]);

/** Inside `$elemMatch` (object form): logical operators, field operators and field names. */
const ELEM_MATCH_LOGICAL = new Set(['$and', '$or', '$nor']);

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const at = (path: string): string => (path === '' ? 'at the top level' : `at '${path}'`);

function bad(message: string, path: string): never {
  throw new FilterError('BAD_FILTER', message, { path });
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
      case '$expr':
        checkExpression(value, here, depth + 1, MAX_FILTER_DEPTH);
        break;
      default:
        // $jsonSchema, $comment, $sampleRate: their contents are not query operators; the server
        // validates them. JavaScript is refused here, the patterns of a $jsonSchema are judged
        // with the others (regex-safety.ts).
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
 * `FilterError` (`FORBIDDEN_OPERATOR` for server-side JavaScript and refused expression
 * operators, `UNSAFE_REGEX` for a pattern that cannot be checked, `BAD_FILTER` otherwise)
 * whose `path` locates the problem. Whether its patterns can backtrack catastrophically needs
 * an analysis that does not run on this thread: `assertSafePatterns` (the query services
 * call it before they send anything).
 */
export function validateFilter(filter: unknown): Document {
  if (!isPlainObject(filter)) {
    const kind = Array.isArray(filter) ? 'an array' : filter === null ? 'null' : typeof filter;
    throw new FilterError('BAD_FILTER', `the filter must be a JSON object, not ${kind}`);
  }
  checkQueryDocument(filter, '', 0);
  checkPatternSyntax(filter);
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
