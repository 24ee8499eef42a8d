/**
 * A small, fast, seeded pseudo-random number generator for the data generators.
 *
 * Why not `Math.random()` or faker's generator: seeding must be reproducible
 * (`--seed N` replays a run byte for byte) and every chunk of customers needs
 * its own independent stream derived from `(seed, chunkIndex)` only, so that
 * the output never depends on which worker runs which chunk or in what order.
 * Why sfc32: it passes PractRand/BigCrush, has a 128-bit state, and only uses
 * 32-bit integer operations that V8 keeps in registers (tens of millions of
 * draws per second), which matters at millions of documents per second.
 *
 * @module
 */

const TWO_POW_32 = 0x1_0000_0000;
/** 1 / 2^32: turns a uint32 into a float in [0, 1). */
const INV_TWO_POW_32 = 1 / TWO_POW_32;

/** murmur3's 32-bit finaliser: a full-avalanche bijective mix of a uint32. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Low and high 32-bit words of a safe integer (negative values wrap, two's complement style). */
function words(n: number): [lo: number, hi: number] {
  const lo = n >>> 0;
  const hi = Math.floor((n - lo) / TWO_POW_32) >>> 0;
  return [lo, hi];
}

/** A value `deriveSeed` can absorb: an integer (up to 53 bits) or a short label. */
export type SeedPart = number | string;

/**
 * Hashes a seed and any number of parts (chunk index, stream label...) into a
 * new 53-bit seed.
 *
 * Why 53 bits: a 32-bit derived seed would give two of ~80k chunks the same
 * stream with a birthday probability near 50%; with 53 bits that is negligible,
 * and the result is still a safe integer that survives JSON and IPC.
 *
 * @param seed - The run's seed, a safe integer.
 * @param parts - Integers (safe integers) or strings that name the stream.
 * @returns A non-negative safe integer (< 2^53).
 * @throws RangeError if `seed` or a numeric part is not a safe integer.
 */
export function deriveSeed(seed: number, ...parts: SeedPart[]): number {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`deriveSeed: seed must be a safe integer, got ${String(seed)}`);
  }
  // Two lanes with different starting constants; every absorbed word goes into
  // both (with cross-feeding) so that the 53 output bits are all well mixed.
  let a = 0x9e3779b9;
  let b = 0x7f4a7c15;
  const absorb = (w: number): void => {
    a = fmix32((a ^ w) + Math.imul(b, 0x165667b1));
    b = fmix32((b + Math.imul(w ^ 0x27d4eb2f, 0xcc9e2d51)) ^ a);
  };
  const absorbNumber = (n: number): void => {
    const [lo, hi] = words(n);
    absorb(lo);
    absorb(hi);
  };
  absorbNumber(seed);
  for (const part of parts) {
    if (typeof part === 'number') {
      if (!Number.isSafeInteger(part)) {
        throw new RangeError(`deriveSeed: numeric parts must be safe integers, got ${String(part)}`);
      }
      absorb(0x6e756d); // type tag: 1 and "1" must not derive the same seed
      absorbNumber(part);
    } else {
      absorb(0x737472);
      absorb(part.length);
      for (let i = 0; i < part.length; i++) absorb(part.charCodeAt(i));
    }
  }
  // 21 high bits from lane b, 32 low bits from lane a.
  return (b >>> 11) * TWO_POW_32 + a;
}

/**
 * Draws a fresh random seed for a run without `--seed` (the caller prints it so
 * the run can be replayed). Uses `Math.random` on purpose: this is the one
 * place where non-determinism is wanted. Kept below 2^48 so it stays short
 * to type back on a command line.
 */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 48);
}

/**
 * sfc32 ("Small Fast Counting" generator, Chris Doty-Humphrey), seeded from a
 * 53-bit integer through splitmix32 so that nearby seeds (0, 1, 2...) start in
 * unrelated states.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed - A safe integer; use {@link deriveSeed} to get one per stream.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Prng: seed must be a safe integer, got ${String(seed)}`);
    }
    const [lo, hi] = words(seed);
    // splitmix32 over the two seed words fills the four state words.
    let s = (lo ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = splitmix() ^ hi;
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix() | 1; // the counter: any value works, keep it non-zero for looks
    // Discard the first outputs: sfc32's authors advise ~12 rounds of warm-up.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A PRNG for the stream named by `parts` under `seed` (shorthand for `new Prng(deriveSeed(...))`). */
  static forStream(seed: number, ...parts: SeedPart[]): Prng {
    return new Prng(deriveSeed(seed, ...parts));
  }

  /** The next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of resolution (plenty for picking and sampling). */
  next(): number {
    return this.nextUint32() * INV_TWO_POW_32;
  }

  /**
   * An integer in [min, max], both inclusive.
   * The modulo-free scaling has a bias below 2^-32 × range: irrelevant here.
   */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * A uniformly chosen element of a non-empty array.
   * @throws RangeError on an empty array (a bug in the caller's pools).
   */
  pick<T>(items: readonly T[]): T {
    const n = items.length;
    if (n === 0) throw new RangeError('Prng.pick: empty array');
    return items[Math.floor(this.next() * n)] as T;
  }

  /**
   * An index drawn with probability proportional to its weight, given the
   * running sums of the weights (`cumulative[i]` = w0 + ... + wi, strictly
   * usable when non-decreasing and the last element is positive).
   *
   * Binary search: O(log n), about 9 steps for a 500-product catalogue.
   * Zero-weight entries are never returned.
   */
  weightedIndex(cumulative: ArrayLike<number>): number {
    const n = cumulative.length;
    const total = cumulative[n - 1] as number;
    const r = this.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * Running sums of `weights`, as a Float64Array, for {@link Prng.weightedIndex}.
 * @throws RangeError if a weight is negative or not finite, or all are zero.
 */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new RangeError(`cumulativeWeights: weight ${i} is ${String(w)}`);
    }
    sum += w;
    out[i] = sum;
  }
  if (!(sum > 0)) throw new RangeError('cumulativeWeights: total weight must be positive');
  return out;
}
