/**
 * Deterministic, collision-free ObjectIds for generated entities.
 *
 * Layout (12 bytes, big-endian):
 *
 * | bytes | content |
 * | --- | --- |
 * | 0–3 | the entity's date, in seconds since the epoch (so `_id.getTimestamp()` means something) |
 * | 4 | the entity kind ({@link IdKind}) |
 * | 5–7 | the chunk index (products: 0) |
 * | 8–11 | the sequence number inside the chunk |
 *
 * Why this layout instead of random bytes: (kind, chunk, sequence) is unique
 * by construction, so uniqueness never relies on luck, and it depends only on
 * the chunk (never on the worker or the clock), which keeps seeded runs
 * byte-identical whatever the worker count. The timestamp prefix keeps ids
 * roughly ordered by date like real ones.
 *
 * @module
 */
import { ObjectId } from 'bson';

/** The kind byte of each generated entity. */
export const IdKind = {
  user: 1,
  cart: 2,
  order: 3,
  product: 4,
} as const;

/** One of the {@link IdKind} values. */
export type IdKind = (typeof IdKind)[keyof typeof IdKind];

/** Largest chunk index that fits in 3 bytes. */
export const MAX_CHUNK_INDEX = 0xff_ffff;
/** Largest sequence number that fits in 4 bytes. */
export const MAX_SEQUENCE = 0xffff_ffff;

// One scratch buffer reused for every id: ObjectId copies the bytes into its
// own fields (bson 7), so sharing it is safe and saves an allocation per id.
const scratch = new Uint8Array(12);

/**
 * Builds the ObjectId for an entity.
 *
 * Arguments are trusted (this runs millions of times per second); callers
 * validate their ranges once per chunk with {@link assertIdRanges}.
 *
 * @param seconds - The entity's date in whole seconds since the epoch (0 … 2^32−1).
 * @param kind - The entity kind.
 * @param chunk - The chunk index (0 … 2^24−1); 0 for products.
 * @param sequence - The entity's number inside its chunk and kind (0 … 2^32−1).
 */
export function makeObjectId(seconds: number, kind: IdKind, chunk: number, sequence: number): ObjectId {
  const b = scratch;
  b[0] = seconds >>> 24;
  b[1] = seconds >>> 16;
  b[2] = seconds >>> 8;
  b[3] = seconds;
  b[4] = kind;
  b[5] = chunk >>> 16;
  b[6] = chunk >>> 8;
  b[7] = chunk;
  b[8] = sequence >>> 24;
  b[9] = sequence >>> 16;
  b[10] = sequence >>> 8;
  b[11] = sequence;
  return new ObjectId(b);
}

/**
 * Throws a clear RangeError if a chunk index or the sequence numbers a chunk
 * will use do not fit the id layout. Called once per chunk, not per id.
 */
export function assertIdRanges(chunk: number, maxSequence: number): void {
  if (!Number.isInteger(chunk) || chunk < 0 || chunk > MAX_CHUNK_INDEX) {
    throw new RangeError(`chunk index ${String(chunk)} does not fit in an ObjectId (0 … ${MAX_CHUNK_INDEX})`);
  }
  if (!Number.isInteger(maxSequence) || maxSequence < 0 || maxSequence > MAX_SEQUENCE) {
    throw new RangeError(`sequence ${String(maxSequence)} does not fit in an ObjectId (0 … ${MAX_SEQUENCE})`);
  }
}

/** Seconds since the epoch of a millisecond timestamp, as the id layout stores it. */
export function idSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
