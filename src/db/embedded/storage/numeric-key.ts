/**
 * Exact equality keys for numbers of every BSON type, as MongoDB compares them: a Long, an
 * Int32, a double and a Decimal128 holding the same number get the same key (7, 7.0,
 * NumberLong(7), Decimal128("7.00")), and numbers that differ get different keys even where a
 * double cannot tell them apart (Long 2^53 + 1 beside 2^53, Decimal128("0.1") beside 0.1).
 *
 * A number a double holds exactly is keyed as that double ('n' and its shortest form, the key
 * plain JavaScript numbers always had); any other is keyed by its exact decimal digits ('N').
 */
import type { Decimal128, Long } from 'bson';

const SAFE = 2n ** 53n;

export function doubleKey(value: number): string {
  return 'n' + (value === 0 ? '0' : String(value));
}

export function bigintKey(value: bigint): string {
  if (value <= SAFE && value >= -SAFE) return doubleKey(Number(value));
  const double = Number(value);
  if (Number.isFinite(double) && BigInt(double) === value) return doubleKey(double);
  return 'N' + value.toString();
}

export function longKey(value: Long): string {
  return bigintKey(value.toBigInt());
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function decimalKey(value: Decimal128): string {
  const text = value.toString();
  if (text === 'NaN' || text === '-NaN') return doubleKey(NaN);
  if (text === 'Infinity' || text === '-Infinity') return doubleKey(Number(text));
  const match = DECIMAL.exec(text);
  if (!match) return 'N' + text;
  const negative = match[1] === '-';
  const fraction = match[3] ?? '';
  let digits = ((match[2] ?? '') + fraction).replace(/^0+/, '');
  let exponent = Number(match[4] ?? 0) - fraction.length;
  if (digits === '') return 'n0'; // every zero (-0, 0E-20) is 0
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  const sign = negative ? -1n : 1n;
  if (exponent >= 0) {
    // An integer: beyond 10^309 no double holds it, and its BigInt would be needlessly large.
    if (digits.length + exponent > 309) return 'N' + (negative ? '-' : '') + digits + 'e' + exponent;
    return bigintKey(sign * BigInt(digits) * 10n ** BigInt(exponent));
  }
  const double = Number(text);
  if (Number.isFinite(double) && double !== 0 && equalsDouble(BigInt(digits), -exponent, Math.abs(double))) return doubleKey(double);
  return 'N' + (negative ? '-' : '') + digits + 'e' + exponent;
}

/** Whether digits / 10^scale (scale > 0) is exactly the positive non-integer double `double`. */
function equalsDouble(digits: bigint, scale: number, double: number): boolean {
  // double = mantissa / 2^shift exactly: doubling a double is exact until it is an integer.
  let mantissa = double;
  let shift = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    shift++;
  }
  return digits * 2n ** BigInt(shift) === BigInt(mantissa) * 10n ** BigInt(scale);
}
