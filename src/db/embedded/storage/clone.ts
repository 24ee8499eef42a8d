/**
 * Deep copy that keeps BSON values intact. Stored documents are never mutated in place
 * (cursors may still be reading them), so updates work on a copy. structuredClone would
 * turn ObjectId and friends into plain objects.
 */
export function cloneDocument<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneDocument) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if ((value as { _bsontype?: unknown })._bsontype !== undefined) return value; // immutable BSON values
  if (value instanceof RegExp || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneDocument((value as Record<string, unknown>)[key]);
  return out as T;
}
