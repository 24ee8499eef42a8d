/**
 * What MongoDB refuses in an operator update and mingo silently skips: $inc/$mul of a
 * non-number (or by one), array operators on a field that is not an array, and creating a
 * field inside a value that is not a document (`$set: { 'a.b': 1 }` when `a` is 1). Without these checks such an update would report
 * "matched, not modified" on the engine and fail on a real server.
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { isPlainObject } from '../storage/index-spec.js';

/** Operators that create the fields of their path when missing. */
const CREATING = new Set(['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$currentDate']);
const ARITHMETIC: Record<string, string> = { $inc: 'increment', $mul: 'multiply' };
/** Array operators, and MongoDB's error when the field holds something else. */
const ARRAY_ONLY: Record<string, (path: string, value: unknown, id: unknown) => Error> = {
  $push: (path, value, id) =>
    new CommandError('BadValue', `The field '${path}' must be an array but is of type ${typeName(value)} in document {_id: ${shown(id)}}`),
  $addToSet: (path, value) =>
    new CommandError('BadValue', `Cannot apply $addToSet to non-array field. Field named '${lastPart(path)}' has non-array type ${typeName(value)}`),
  $pull: () => new CommandError('BadValue', 'Cannot apply $pull to a non-array value'),
  $pullAll: () => new CommandError('BadValue', 'Cannot apply $pull to a non-array value'),
  $pop: (path, value) => new CommandError('TypeMismatch', `Path '${path}' contains an element of non-array type '${typeName(value)}'`),
};

function lastPart(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return true;
  const type = (value as { _bsontype?: string } | null)?._bsontype;
  return type === 'Long' || type === 'Int32' || type === 'Double' || type === 'Decimal128';
}

/** MongoDB's type name of a value, as its error messages print it. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  const type = (value as { _bsontype?: string })._bsontype;
  if (type === 'ObjectId') return 'objectId';
  return type ? type.toLowerCase() : 'object';
}

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The value at `path` in `doc`, or `blocked` when a step of the path is a scalar (or null)
 * that MongoDB cannot create a field in. Paths through arrays are left to mingo.
 */
function resolve(doc: Document, parts: readonly string[]): { value: unknown } | { blocked: { field: string; parent: string; value: unknown } } | undefined {
  let at: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(at)) return undefined;
    const next = (at as Record<string, unknown>)[parts[i]!];
    if (i === parts.length - 1) return { value: next };
    if (next === undefined) return { value: undefined };
    if (!isPlainObject(next) && !Array.isArray(next)) return { blocked: { field: parts[i + 1]!, parent: parts[i]!, value: next } };
    at = next;
  }
  return { value: at };
}

export function checkOperatorUpdate(doc: Document, modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    const arrayOnly = ARRAY_ONLY[op];
    if ((!CREATING.has(op) && !arrayOnly) || !isPlainObject(fields)) continue;
    for (const [path, argument] of Object.entries(fields)) {
      const verb = ARITHMETIC[op];
      if (verb && !isNumeric(argument)) throw new CommandError('TypeMismatch', `Cannot ${verb} with non-numeric argument: {${path}: ${shown(argument)}}`);
      if (path.includes('$')) continue; // positional and array-filter paths: mingo's business
      const parts = path.split('.');
      const found = resolve(doc, parts);
      if (!found) continue;
      if (arrayOnly && 'value' in found && found.value !== undefined && !Array.isArray(found.value)) throw arrayOnly(path, found.value, doc._id);
      if ('blocked' in found) {
        if (!CREATING.has(op)) continue; // $pull/$pop through a scalar change nothing
        const { field, parent, value } = found.blocked;
        throw new CommandError('PathNotViable', `Cannot create field '${field}' in element {${parent}: ${shown(value)}}`);
      }
      if (verb && found.value !== undefined && !isNumeric(found.value)) {
        throw new CommandError(
          'TypeMismatch',
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${shown(doc._id)}} has the field '${lastPart(path)}' of non-numeric type ${typeName(found.value)}`,
        );
      }
    }
  }
}
