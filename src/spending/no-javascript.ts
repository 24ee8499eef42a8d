/**
 * Server-side JavaScript (`$where`, `$function`, `$accumulator`, `$code`, `Code` values) is
 * refused wherever it appears in what a user sends: filters, expressions, projections.
 */
import { bsonType, isPlainObject } from './bson-values.js';
import { FilterError } from './errors.js';

/** Operators that run JavaScript on the server. */
export const JAVASCRIPT_KEYS: ReadonlySet<string> = new Set(['$where', '$function', '$accumulator', '$code']);

/** How deep a filter may nest (mongod refuses deeper ones too). */
export const MAX_FILTER_DEPTH = 100;

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

export function forbidden(what: string, path: string): never {
  throw new FilterError(
    'FORBIDDEN_OPERATOR',
    `${what} is not allowed ${path === '' ? 'at the top level' : `at '${path}'`}: server-side JavaScript is refused; use query operators only`,
    { path },
  );
}

/** Walks any value (literal, expression...) and refuses server-side JavaScript in it. */
export function refuseJavaScript(value: unknown, path: string, depth: number): void {
  if (depth > MAX_FILTER_DEPTH) throw new FilterError('BAD_FILTER', `the filter is nested more than ${MAX_FILTER_DEPTH} levels deep`, { path });
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
