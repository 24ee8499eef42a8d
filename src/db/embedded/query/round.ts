/**
 * MongoDB's $round for doubles: the value is taken to 34 significant decimal digits (as
 * Decimal128 does), then rounded half-to-even at `places`. mingo 7.2.7 rounds the binary value
 * and gets e.g. 2.51 → 2 and 0.375 → 0.37; MongoDB gives 3 and 0.38.
 */
function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

export function roundHalfEven(x: number, places = 0): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const text = x.toPrecision(34);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) return x;
  const [, sign, intPart, fracPart = '', expPart = '0'] = match;
  const mantissa = BigInt(intPart! + fracPart);
  const exponent = Number(expPart) - fracPart.length; // x = mantissa × 10^exponent
  if (exponent >= -places) return x; // nothing below the rounding digit
  const divisor = pow10(-places - exponent);
  let quotient = mantissa / divisor;
  const remainder = mantissa % divisor;
  const twice = remainder * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  const result = Number(`${sign}${quotient}e${-places}`);
  return result === 0 && sign === '-' ? -0 : result;
}
