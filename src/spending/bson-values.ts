/** What a value parsed from (Extended) JSON is: a plain object, a BSON value, a regular expression. */

/** `{...}` written as an object literal (not an ObjectId, a Date, a regex...). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The `_bsontype` of a BSON value (ObjectId, BSONRegExp, Code...), else undefined. */
export function bsonType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { _bsontype?: unknown })._bsontype;
  return typeof type === 'string' ? type : undefined;
}

export function isRegex(value: unknown): boolean {
  return value instanceof RegExp || bsonType(value) === 'BSONRegExp';
}
