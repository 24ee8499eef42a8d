/**
 * The binary keys of the durable store (lmdb-store.ts). LMDB orders keys bytewise, so:
 *   records  cid (4 bytes) · rid (6 bytes), big-endian → a collection's documents in natural order;
 *            rid 0 of a collection holds its document count;
 *   ids      cid (4) · the `_id` key (value-key.ts, UTF-8) → rid (6);
 *   postings index id (4) · key length (2) · the indexed value's key · the document's `_id` key
 *            → that `_id` key (postings of one value are one key prefix: the length makes it one).
 * Record ids are unique across the store (one counter), so the document cache keys by rid
 * alone. A value key too long for LMDB (its keys hold at most 1,978 bytes) is replaced by
 * 0xFF and its SHA-256: 0xFF never starts UTF-8, so hashed and plain keys never meet.
 */
import { createHash } from 'node:crypto';

export const RID_BYTES = 6;
const LONGEST_PART = 900;

/** The record id at `at` of a key (after its collection id) or of an `_id` entry's value (at 0). */
export function ridOf(key: Uint8Array, at = 4): number {
  const bytes = Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return bytes.readUIntBE(at, RID_BYTES);
}

export function recordKey(cid: number, rid: number): Buffer {
  const key = Buffer.allocUnsafe(4 + RID_BYTES);
  key.writeUInt32BE(cid, 0);
  key.writeUIntBE(rid, 4, RID_BYTES);
  return key;
}

export function ridBytes(rid: number): Buffer {
  const bytes = Buffer.allocUnsafe(RID_BYTES);
  bytes.writeUIntBE(rid, 0, RID_BYTES);
  return bytes;
}

/** A key's bytes, hashed when too long to sit in an LMDB key. */
export function keyPart(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length <= LONGEST_PART) return bytes;
  return Buffer.concat([Buffer.from([0xff]), createHash('sha256').update(bytes).digest()]);
}

export function idKey(cid: number, id: string): Buffer {
  const part = keyPart(id);
  const key = Buffer.allocUnsafe(4 + part.length);
  key.writeUInt32BE(cid, 0);
  part.copy(key, 4);
  return key;
}

/** The prefix of every key of `cid` (records or ids), and the first key past it. */
export function collectionRange(cid: number): { start: Buffer; end: Buffer } {
  return { start: u32(cid), end: u32(cid + 1) };
}

/** The prefix shared by the postings of one value of one index. */
export function postingPrefix(indexId: number, value: string): Buffer {
  const part = keyPart(value);
  const prefix = Buffer.allocUnsafe(6 + part.length);
  prefix.writeUInt32BE(indexId, 0);
  prefix.writeUInt16BE(part.length, 4);
  part.copy(prefix, 6);
  return prefix;
}

export function postingKey(prefix: Buffer, id: string): Buffer {
  return Buffer.concat([prefix, keyPart(id)]);
}

/** The first key after every key starting with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.concat([prefix, Buffer.from([0xff])]); // all 0xFF: nothing sorts between
}

export function indexRange(indexId: number): { start: Buffer; end: Buffer } {
  return { start: u32(indexId), end: u32(indexId + 1) };
}

function u32(n: number): Buffer {
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeUInt32BE(n, 0);
  return bytes;
}
