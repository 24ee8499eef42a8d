/**
 * Numbers of every BSON type in groups: MongoDB compares the values of a group equal and
 * holds values of different groups distinct (a Long beyond 2^53 is not the double next to it).
 * The unit tests key them (storage/value-key.ts), the integration tests store them.
 */
import { Decimal128, Double, Int32, Long } from 'bson';

/** A fresh copy each call: the values are objects, and a test may keep what it inserted. */
export const numericLattice = (): unknown[][] => [
  [7, new Double(7), new Int32(7), Long.fromNumber(7), Decimal128.fromString('7'), Decimal128.fromString('7.00'), Decimal128.fromString('0.7E+1')],
  [0, new Double(-0), Long.fromNumber(0), Decimal128.fromString('0'), Decimal128.fromString('-0.000')],
  [2 ** 53, Long.fromString('9007199254740992'), Decimal128.fromString('9007199254740992')],
  [Long.fromString('9007199254740993'), Decimal128.fromString('9007199254740993')],
  [Long.fromString('1541815603606036480')],
  [Long.fromString('1541815603606036481')],
  [Long.fromString('-9223372036854775808'), Decimal128.fromString('-9223372036854775808')],
  [0.5, Decimal128.fromString('0.5'), Decimal128.fromString('5E-1')],
  [0.1],
  [Decimal128.fromString('0.1')],
  [Decimal128.fromString('12345678901234567890.123')],
  [Decimal128.fromString('1E+400')],
  [Infinity, Decimal128.fromString('Infinity')],
];
