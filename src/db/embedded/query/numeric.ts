/**
 * Numbers as MongoDB compares them, whatever their BSON type: a double, an Int32, a Long and
 * a Decimal128 holding the same number are equal (7, 7.0, NumberLong(7), Decimal128("7.00")),
 * numbers that differ are not, even where a double cannot tell them apart (Long 2^53 + 1
 * beside 2^53). Equality goes through the exact keys the indexes use (storage/numeric-key.ts),
 * so a filter answers what an index lookup answers.
 *
 * The engine deserializes with promoteValues (wire/message.ts): Int32s and doubles arrive as
 * JavaScript numbers, Longs as numbers when they fit in 53 bits, so a bson object here is a
 * Long beyond 2^53 or a Decimal128 (or a wrapper built in the process).
 */
import type { Decimal128, Long } from 'bson';
import { decimalKey, doubleKey, longKey } from '../storage/numeric-key.js';

type BsonNumber = { _bsontype: 'Long' | 'Decimal128' | 'Int32' | 'Double' };

/** Whether `value` is a number of some BSON type. */
export function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return true;
  if (value === null || typeof value !== 'object') return false;
  const type = (value as { _bsontype?: unknown })._bsontype;
  return type === 'Long' || type === 'Decimal128' || type === 'Int32' || type === 'Double';
}

/** Whether `value` is a number JavaScript cannot compare with `===` against a number (a bson object). */
export function isBsonNumber(value: unknown): value is BsonNumber {
  return typeof value === 'object' && value !== null && isNumeric(value);
}

/** The exact equality key of a number of any BSON type ('n…' for those a double holds), or undefined for a non-number. */
export function numericKey(value: unknown): string | undefined {
  if (typeof value === 'number') return doubleKey(value);
  if (!isBsonNumber(value)) return undefined;
  switch (value._bsontype) {
    case 'Long':
      return longKey(value as unknown as Long);
    case 'Decimal128':
      return decimalKey(value as unknown as Decimal128);
    default:
      return doubleKey((value as unknown as { valueOf(): number }).valueOf());
  }
}

/**
 * A number operand of a filter, prepared once: `double` is the number itself when a double
 * holds it exactly (then a plain number is compared with `===`), else undefined.
 */
export interface NumericOperand {
  readonly key: string;
  readonly double: number | undefined;
}

export function numericOperand(value: unknown): NumericOperand | undefined {
  const key = numericKey(value);
  if (key === undefined) return undefined;
  if (!key.startsWith('n')) return { key, double: undefined };
  return { key, double: typeof value === 'number' ? value : Number(key.slice(1)) };
}

/** Whether `value` is the number `operand` (NaN equals NaN, -0 equals 0, as in MongoDB). */
export function equalsOperand(value: unknown, operand: NumericOperand): boolean {
  if (typeof value === 'number') {
    const double = operand.double;
    return double !== undefined && (value === double || (value !== value && double !== double));
  }
  return isBsonNumber(value) && numericKey(value) === operand.key;
}

/** Whether `a` and `b` are both numbers and equal as MongoDB compares them. */
export function numericEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (a !== a && b !== b);
  const key = numericKey(a);
  return key !== undefined && key === numericKey(b);
}

/** Whether `value` is a NaN of some BSON type. */
export function isNumericNaN(value: unknown): boolean {
  if (typeof value === 'number') return value !== value;
  return isBsonNumber(value) && numericKey(value) === 'nNaN';
}

/** A number as an exact fraction: numerator / 10^scale (scale may be negative), or a special value. */
type Exact = { kind: 'finite'; numerator: bigint; scale: number } | { kind: 'nan' } | { kind: 'inf'; sign: 1 | -1 };

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function exactOf(value: unknown): Exact | undefined {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { kind: 'nan' };
    if (!Number.isFinite(value)) return { kind: 'inf', sign: value > 0 ? 1 : -1 };
    if (Number.isInteger(value)) return { kind: 'finite', numerator: BigInt(value), scale: 0 };
    // A non-integer double is mantissa / 2^shift = mantissa * 5^shift / 10^shift exactly.
    let mantissa = value;
    let shift = 0;
    while (!Number.isInteger(mantissa)) {
      mantissa *= 2;
      shift++;
    }
    return { kind: 'finite', numerator: BigInt(mantissa) * 5n ** BigInt(shift), scale: shift };
  }
  if (!isBsonNumber(value)) return undefined;
  if (value._bsontype === 'Long') return { kind: 'finite', numerator: (value as unknown as Long).toBigInt(), scale: 0 };
  if (value._bsontype !== 'Decimal128') return exactOf((value as unknown as { valueOf(): number }).valueOf());
  const text = (value as unknown as Decimal128).toString();
  if (text.endsWith('NaN')) return { kind: 'nan' };
  if (text.endsWith('Infinity')) return { kind: 'inf', sign: text.startsWith('-') ? -1 : 1 };
  const match = DECIMAL.exec(text);
  if (!match) return { kind: 'nan' };
  const fraction = match[3] ?? '';
  const digits = BigInt((match[2] ?? '') + fraction || '0');
  return { kind: 'finite', numerator: match[1] === '-' ? -digits : digits, scale: fraction.length - Number(match[4] ?? 0) };
}

const sign = (n: bigint): number => (n > 0n ? 1 : n < 0n ? -1 : 0);

/**
 * MongoDB's order of two numbers of any BSON type (-1, 0, 1): exact, NaN below every other
 * number and equal to NaN; undefined when either is not a number.
 */
export function compareNumeric(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number' && a === a && b === b) return a < b ? -1 : a > b ? 1 : 0;
  const x = exactOf(a);
  const y = exactOf(b);
  if (!x || !y) return undefined;
  if (x.kind === 'nan' || y.kind === 'nan') return x.kind === y.kind ? 0 : x.kind === 'nan' ? -1 : 1;
  if (x.kind === 'inf') return y.kind === 'inf' ? Math.sign(x.sign - y.sign) : x.sign;
  if (y.kind === 'inf') return -y.sign;
  const scale = Math.max(x.scale, y.scale);
  const left = x.numerator * 10n ** BigInt(scale - x.scale);
  const right = y.numerator * 10n ** BigInt(scale - y.scale);
  return sign(left - right);
}
