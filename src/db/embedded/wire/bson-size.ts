/**
 * The size of one BSON element's value, read from the bytes without decoding them
 * (bsonspec.org's grammar): what lets a walker step over the elements it does not want —
 * the depth check of every message (limits/depth.ts) and the partial decoding of stored
 * documents (persistence/bson-fields.ts).
 */

/**
 * Bytes of the value of BSON type `type` starting at `at`, or -1 for a type BSON does not
 * define or a regular expression whose two strings do not end before `end`. Lengths read
 * from the bytes are returned as they are: the caller checks them against its bounds.
 */
export function bsonValueSize(bytes: Uint8Array, view: DataView, type: number, at: number, end = bytes.byteLength): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return at + 4 > end ? -1 : 4 + view.getInt32(at, true);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope: its total size
      return at + 4 > end ? -1 : view.getInt32(at, true);
    case 0x05: // binary: length, subtype, bytes
      return at + 4 > end ? -1 : 5 + view.getInt32(at, true);
    case 0x0c: // DBPointer: string, ObjectId
      return at + 4 > end ? -1 : 4 + view.getInt32(at, true) + 12;
    case 0x0b: {
      // regular expression: two C strings
      const first = bytes.indexOf(0, at);
      const second = first < 0 || first >= end ? -1 : bytes.indexOf(0, first + 1);
      return second < 0 || second >= end ? -1 : second + 1 - at;
    }
    default:
      return -1;
  }
}
