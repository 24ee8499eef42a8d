/**
 * Decoding only some top-level fields of a BSON document: the elements are walked by their
 * sizes, the wanted ones copied into a small document and decoded alone. An index build reads
 * this way (one or two fields of each document) instead of decoding whole documents, which
 * was most of its time.
 */
import { deserialize, type Document } from 'bson';
import { bsonValueSize } from '../wire/bson-size.js';
import { DESERIALIZE_OPTIONS } from '../wire/message.js';

/** The elements of `fields` in `bson` (a whole document), decoded; absent fields are absent. */
export function decodeFields(bson: Uint8Array, fields: ReadonlySet<string>): Document {
  const view = new DataView(bson.buffer, bson.byteOffset, bson.byteLength);
  const end = view.getInt32(0, true) - 1; // the document's closing 0
  const kept: [number, number][] = [];
  let keptBytes = 0;
  let at = 4;
  while (at < end) {
    const start = at;
    const type = bson[at++]!;
    const nameStart = at;
    while (bson[at] !== 0) at++;
    const nameEnd = at++;
    at += valueSize(bson, view, type, at);
    if (fields.has(Buffer.from(bson.buffer, bson.byteOffset + nameStart, nameEnd - nameStart).toString('utf8'))) {
      kept.push([start, at]);
      keptBytes += at - start;
    }
  }
  const small = new Uint8Array(4 + keptBytes + 1);
  new DataView(small.buffer).setInt32(0, small.length, true);
  let to = 4;
  for (const [from, until] of kept) {
    small.set(bson.subarray(from, until), to);
    to += until - from;
  }
  return deserialize(small, DESERIALIZE_OPTIONS);
}

/** Bytes of an element's value; a type BSON does not define means the record is damaged. */
function valueSize(bson: Uint8Array, view: DataView, type: number, at: number): number {
  const size = bsonValueSize(bson, view, type, at);
  if (size < 0) throw new Error(`a stored document holds an unknown BSON type 0x${type.toString(16)}: the data directory may be damaged`);
  return size;
}
