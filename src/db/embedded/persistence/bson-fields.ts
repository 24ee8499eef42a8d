/**
 * Decoding only some top-level fields of a BSON document: the elements are walked by their
 * sizes, the wanted ones copied into a small document and decoded alone. An index build reads
 * this way (one or two fields of each document) instead of decoding whole documents, which
 * was most of its time.
 */
import { deserialize, type Document } from 'bson';
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

/** Bytes of an element's value of BSON type `type` starting at `at` (bsonspec.org's grammar). */
function valueSize(bson: Uint8Array, view: DataView, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return 4 + view.getInt32(at, true);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return view.getInt32(at, true);
    case 0x05: // binary: length, subtype, bytes
      return 4 + 1 + view.getInt32(at, true);
    case 0x06: // undefined
    case 0x0a: // null
    case 0xff: // min key
    case 0x7f: // max key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regular expression: two C strings
      let i = at;
      while (bson[i] !== 0) i++;
      i++;
      while (bson[i] !== 0) i++;
      return i + 1 - at;
    }
    case 0x0c: // DBPointer: string, ObjectId
      return 4 + view.getInt32(at, true) + 12;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      throw new Error(`a stored document holds an unknown BSON type 0x${type.toString(16)}: the data directory may be damaged`);
  }
}
