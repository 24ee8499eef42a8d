/**
 * Canonical string keys for BSON values, used by indexes and the document map. Two values
 * that MongoDB considers equal for an equality match get the same key (1, 1.0, Long(1) and
 * Decimal128("1") all give "n1"); distinct values never share one (the string "1" is "s1",
 * Long 2^53 + 1 is not 2^53: numeric-key.ts), which `_id` and unique indexes rely on.
 */
import { EJSON, type Decimal128, type Long, type ObjectId } from 'bson';
import { bigintKey, decimalKey, doubleKey, longKey } from './numeric-key.js';

export type ValueKey = string;

const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

export const NULL_KEY: ValueKey = 'z';

export function valueKey(value: unknown): ValueKey {
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return doubleKey(value);
    case 'boolean':
      return value ? 'b1' : 'b0';
    case 'bigint':
      return bigintKey(value);
    case 'undefined':
      return NULL_KEY;
    case 'object':
      return objectKey(value);
    default:
      return 'x' + String(value);
  }
}

/**
 * 'o' and the 12 bytes as a latin1 string (half the cost of the hex form). bson 7 keeps an
 * ObjectId as four 24-bit integers; reading them spares the Buffer its `id` getter allocates.
 * The key must not change: the journal records deletions by key.
 */
export function objectIdKey(id: ObjectId): ValueKey {
  const words = id as unknown as { i0?: number; i1: number; i2: number; i3: number };
  if (typeof words.i0 !== 'number') return 'o' + latin1Slice.call(id.id, 0, 12);
  const { i0, i1, i2, i3 } = words;
  // One flat string ('o' is 111): a concatenation would make a cons string to flatten on hashing.
  return String.fromCharCode(
    111,
    i0 >>> 16,
    (i0 >>> 8) & 255,
    i0 & 255,
    i1 >>> 16,
    (i1 >>> 8) & 255,
    i1 & 255,
    i2 >>> 16,
    (i2 >>> 8) & 255,
    i2 & 255,
    i3 >>> 16,
    (i3 >>> 8) & 255,
    i3 & 255,
  );
}

function objectKey(value: object | null): ValueKey {
  if (value === null) return NULL_KEY;
  if (value instanceof Date) return 'd' + value.getTime();
  if (Array.isArray(value)) return 'a[' + value.map(valueKey).join(',') + ']';
  const bsontype = (value as { _bsontype?: string })._bsontype;
  switch (bsontype) {
    case 'ObjectId':
      return objectIdKey(value as ObjectId);
    case 'Long':
      return longKey(value as Long);
    case 'Decimal128':
      return decimalKey(value as Decimal128);
    case 'Int32':
    case 'Double':
      return doubleKey(Number((value as { valueOf(): number }).valueOf()));
    case undefined:
      break;
    default:
      return 'x' + EJSON.stringify({ v: value }, { relaxed: false });
  }
  if (value instanceof RegExp) return 'r' + String(value);
  // Field order matters for embedded-document equality in MongoDB, so it matters here too.
  let key = 'O{';
  for (const [k, v] of Object.entries(value)) key += JSON.stringify(k) + ':' + valueKey(v) + ',';
  return key + '}';
}
