/**
 * Cursor replies built from documents that are already serialized: the batch limit is counted
 * in real bytes, documents are serialized once, and the reply may exceed bson's 17 MiB buffer.
 *
 * Shape: { cursor: { <batchField>: [docs], id: Int64, ns: string }, ok: 1 }
 */
import { Long } from 'bson';

const TYPE_DOUBLE = 0x01;
const TYPE_STRING = 0x02;
const TYPE_DOCUMENT = 0x03;
const TYPE_ARRAY = 0x04;
const TYPE_INT64 = 0x12;

/** Index keys "0".."n" as bytes, cached: every batch needs them. */
const indexKeys: Buffer[] = [];
function indexKey(i: number): Buffer {
  let key = indexKeys[i];
  if (!key) {
    key = Buffer.from(`${i}\0`, 'latin1');
    if (i < 100_000) indexKeys[i] = key;
  }
  return key;
}

/** Bytes an array element adds to its array besides the document itself. */
export function arrayEntryOverhead(index: number): number {
  return 1 + indexKey(index).length;
}

function cstring(name: string): Buffer {
  return Buffer.from(`${name}\0`, 'utf8');
}

export function encodeCursorReply(batchField: 'firstBatch' | 'nextBatch', docs: readonly Uint8Array[], id: Long | bigint, ns: string): Buffer {
  // the array document
  let arrayLength = 4 + 1;
  for (let i = 0; i < docs.length; i++) arrayLength += arrayEntryOverhead(i) + docs[i]!.length;
  const nsBytes = Buffer.from(ns, 'utf8');
  const batchName = cstring(batchField);
  const cursorLength = 4 + (1 + batchName.length + arrayLength) + (1 + 3 + 8) + (1 + 3 + 4 + nsBytes.length + 1) + 1;
  const totalLength = 4 + (1 + 7 + cursorLength) + (1 + 3 + 8) + 1;

  const out = Buffer.allocUnsafe(totalLength);
  let o = out.writeInt32LE(totalLength, 0);
  out[o++] = TYPE_DOCUMENT;
  o += out.write('cursor\0', o, 'latin1');
  o = out.writeInt32LE(cursorLength, o);
  out[o++] = TYPE_ARRAY;
  o += batchName.copy(out, o);
  o = out.writeInt32LE(arrayLength, o);
  for (let i = 0; i < docs.length; i++) {
    out[o++] = TYPE_DOCUMENT;
    o += indexKey(i).copy(out, o);
    out.set(docs[i]!, o);
    o += docs[i]!.length;
  }
  const longId = typeof id === 'bigint' ? Long.fromBigInt(id) : id;
  out[o++] = 0; // end of array
  out[o++] = TYPE_INT64;
  o += out.write('id\0', o, 'latin1');
  o = out.writeInt32LE(longId.low, o);
  o = out.writeInt32LE(longId.high, o);
  out[o++] = TYPE_STRING;
  o += out.write('ns\0', o, 'latin1');
  o = out.writeInt32LE(nsBytes.length + 1, o);
  o += nsBytes.copy(out, o);
  out[o++] = 0;
  out[o++] = 0; // end of cursor
  out[o++] = TYPE_DOUBLE;
  o += out.write('ok\0', o, 'latin1');
  o = out.writeDoubleLE(1, o);
  out[o++] = 0; // end of reply
  if (o !== totalLength) throw new Error(`cursor reply size mismatch: wrote ${o} of ${totalLength}`);
  return out;
}
