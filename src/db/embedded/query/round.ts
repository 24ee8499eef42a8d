/**
 * MongoDB's $round for doubles: the value is taken to 34 significant decimal digits (as
 * Decimal128 does), then rounded half-to-even at `places`. mingo 7.2.7 rounds the binary value
 * and gets e.g. 2.51 → 2 and 0.375 → 0.37; MongoDB gives 3 and 0.38.
 */
function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * Values clearly away from a tie round the same way on the binary and the decimal value; only
 * near-ties need the exact decimal path. The margin dwarfs the error of scaling by 10^places.
 */
const TIE_MARGIN = 1e-7;

export function roundHalfEven(x: number, places = 0): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (places >= 0 && places <= 15) {
    const scale = 10 ** places;
    const scaled = x * scale;
    if (Math.abs(scaled) < 2 ** 52) {
      const whole = Math.trunc(scaled);
      const fraction = Math.abs(scaled - whole);
      if (fraction === 0 && places === 0) return x;
      // With 0 places the fraction is exact (no scaling), and a double that is not exactly
      // k + 0.5 is at least an ulp away from it: far more than 34 significant digits can
      // blur. So the binary comparison is the decimal one, ties included.
      if (places === 0 && fraction === 0.5) {
        const rounded = whole % 2 === 0 ? whole : whole + Math.sign(scaled);
        return rounded === 0 && x < 0 ? -0 : rounded;
      }
      if (places === 0 || Math.abs(fraction - 0.5) > TIE_MARGIN) {
        const rounded = fraction > 0.5 ? whole + Math.sign(scaled) : whole;
        // One correctly rounded division: the double nearest to rounded / 10^places.
        const result = places === 0 ? rounded : rounded / scale;
        return result === 0 && x < 0 ? -0 : result;
      }
    }
  }
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
