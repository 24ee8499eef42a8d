/**
 * mongod refuses any BSON object nested deeper than 200 levels below the top (validateBSON's
 * limit, checked as each message is read), with 15 Overflow. Filters, expressions, pipelines
 * and updates are all parts of a command document, so this one check bounds the nesting of
 * each of them before anything parses (let alone recurses through) them. It walks the raw
 * bytes without recursion: a 100,000-level bomb costs a scan, not a stack overflow.
 */
import { CommandError } from '../errors.js';
import { bsonValueSize } from '../wire/bson-size.js';

/** Nested objects and arrays below the top-level document (BSONDepth::kDefaultMaxAllowableDepth). */
export const MAX_BSON_DEPTH = 200;

/**
 * The deepest nesting of objects and arrays in `bytes` (a BSON document), the top level being
 * 0, or `undefined` when the bytes are not well-formed enough to walk (bson's own parser then
 * reports them). Stops early, returning `limit + 1`, once `limit` is exceeded.
 */
export function bsonDepth(bytes: Uint8Array, limit = MAX_BSON_DEPTH): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  if (length < 5 || view.getInt32(0, true) !== length) return undefined;
  const ends: number[] = [length]; // where each open document ends
  let deepest = 0;
  let at = 4;
  while (ends.length > 0) {
    const end = ends[ends.length - 1]!;
    if (at >= end) return undefined;
    const type = bytes[at++]!;
    if (type === 0) {
      if (at !== end) return undefined;
      ends.pop();
      continue;
    }
    const zero = bytes.indexOf(0, at);
    if (zero < 0 || zero >= end) return undefined;
    at = zero + 1; // past the element's name
    if (type === 0x03 || type === 0x04) {
      if (at + 5 > end) return undefined;
      const size = view.getInt32(at, true);
      if (size < 5 || at + size > end) return undefined;
      ends.push(at + size);
      at += 4;
      if (ends.length - 1 > deepest) {
        deepest = ends.length - 1;
        if (deepest > limit) return deepest;
      }
      continue;
    }
    const size = bsonValueSize(bytes, view, type, at, end);
    if (size < 0 || at + size > end) return undefined;
    at += size;
  }
  return deepest;
}

/**
 * Each level of nesting costs at least 7 bytes (type, an empty name, an empty document's length
 * and terminator): a document shorter than this cannot nest past the limit, and is not walked.
 */
const MIN_BYTES_PAST_LIMIT = 5 + 7 * (MAX_BSON_DEPTH + 1);

/** Throws mongod's 15 Overflow when `bytes` nests deeper than mongod reads. */
export function checkBsonDepth(bytes: Uint8Array): void {
  if (bytes.byteLength < MIN_BYTES_PAST_LIMIT) return;
  const depth = bsonDepth(bytes);
  if (depth !== undefined && depth > MAX_BSON_DEPTH) throw new CommandError('Overflow', `BSONObj exceeded maximum nested object depth: ${MAX_BSON_DEPTH}`);
}
