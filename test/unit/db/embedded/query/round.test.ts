/**
 * MongoDB's `$round` to 0 places (the crunch rounds every cent value so): the engine's
 * binary shortcut against the decimal definition (the double to 34 significant digits, then
 * half to even), on ties, near-ties and the values the crunch produces (cents × 100, / 12).
 */
import { describe, expect, it } from 'vitest';
import { roundHalfEven } from '../../../../../src/db/embedded/query/round.js';

/** The definition: Decimal128 of the double (34 significant digits), rounded half to even. */
function decimalRound(x: number): number {
  const [, sign, intPart, fracPart = '', expPart = '0'] = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(x.toPrecision(34))!;
  const mantissa = BigInt(intPart! + fracPart);
  const exponent = Number(expPart) - fracPart.length;
  if (exponent >= 0) return x;
  const divisor = 10n ** BigInt(-exponent);
  let quotient = mantissa / divisor;
  const twice = (mantissa % divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  const result = Number(`${sign}${quotient}`);
  return result === 0 && sign === '-' ? -0 : result;
}

describe('roundHalfEven to 0 places', () => {
  const values: number[] = [
    0.5,
    1.5,
    2.5,
    -0.5,
    -1.5,
    -2.5,
    1e15 + 0.5,
    2 ** 51 + 0.5,
    0.49999999999999994,
    2.5000000000000004,
    267.49999999999994,
    200.99999999999997,
  ];
  let seed = 7;
  const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 20_000; i++) {
    const cents = Math.floor(random() * 10_000_000) - 100_000;
    values.push(cents / 12, cents + 0.5, (cents / 100) * 100, (cents / 100) * 3 * 100, cents * 0.07, -cents / 24);
  }

  it('agrees with the decimal definition on ties, near-ties and crunch values', () => {
    let ties = 0;
    for (const x of values) {
      if (Math.abs(x % 1) === 0.5) ties++;
      expect(Object.is(roundHalfEven(x), decimalRound(x)), String(x)).toBe(true);
    }
    expect(ties).toBeGreaterThan(1000);
  });
});
