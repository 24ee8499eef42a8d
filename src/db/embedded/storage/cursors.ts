/**
 * Open cursors, global to the engine: drivers send getMore and killCursors on whichever
 * pooled connection is free. Idle cursors expire as mongod's do (10 minutes by default).
 */
import { calculateObjectSize, serialize, type Document, Long } from 'bson';
import { CommandError } from '../errors.js';
import { EDGE_DEFAULTS } from '../limits/options.js';
import { arrayEntryOverhead } from '../wire/cursor-reply.js';
import { tooLargeMessage } from '../wire/message.js';
import { Limits } from '../wire/opcodes.js';

/**
 * A result document as BSON, refused with mongod's 10334 when it is over 16 MiB (an aggregation
 * can build one: mongod fails the same way), instead of bson's RangeError past its buffer.
 */
function serializeResult(doc: Document): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = serialize(doc);
  } catch (error) {
    // bson's buffer ends at 17 MiB: past it, serialize throws a RangeError.
    const size = calculateObjectSize(doc);
    if (size > Limits.maxBsonObjectSize) throw new CommandError('BSONObjectTooLarge', tooLargeMessage(size));
    throw error;
  }
  if (raw.length > Limits.maxBsonObjectSize) throw new CommandError('BSONObjectTooLarge', tooLargeMessage(raw.length));
  return raw;
}

export interface Batch {
  docs: Uint8Array[];
  exhausted: boolean;
}

export class ServerCursor {
  lastUsed = Date.now();
  private pending: Uint8Array | undefined;
  private done = false;

  constructor(
    readonly id: bigint,
    readonly ns: string,
    private readonly source: Iterator<Document>,
  ) {}

  /**
   * Up to `batchSize` documents (all remaining when undefined), never more than ~16 MiB;
   * always at least one document when any remain, as mongod does.
   */
  nextBatch(batchSize: number | undefined): Batch {
    this.lastUsed = Date.now();
    const docs: Uint8Array[] = [];
    let bytes = 0;
    const limit = batchSize === undefined || batchSize <= 0 ? Infinity : batchSize;
    while (docs.length < limit) {
      let raw = this.pending;
      this.pending = undefined;
      if (!raw) {
        if (this.done) break;
        const next = this.source.next();
        if (next.done) {
          this.done = true;
          break;
        }
        raw = serializeResult(next.value);
      }
      const cost = raw.length + arrayEntryOverhead(docs.length);
      if (docs.length > 0 && bytes + cost > Limits.maxReplyBatchBytes) {
        this.pending = raw;
        break;
      }
      docs.push(raw);
      bytes += cost;
    }
    if (!this.pending && !this.done && docs.length >= limit) {
      // Peek so that an exactly-drained cursor reports id 0 now rather than after one more getMore.
      const next = this.source.next();
      if (next.done) this.done = true;
      else this.pending = serializeResult(next.value);
    }
    return { docs, exhausted: this.done && !this.pending };
  }
}

export class CursorRegistry {
  private readonly cursors = new Map<bigint, ServerCursor>();
  private nextId = BigInt(Date.now() & 0xffffff) << 20n;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly idleTimeoutMs = 10 * 60_000,
    private readonly maxCursors: number = EDGE_DEFAULTS.maxCursors,
  ) {
    this.sweeper = setInterval(() => this.expire(), Math.min(60_000, Math.max(1000, idleTimeoutMs / 2)));
    this.sweeper.unref();
  }

  /** Opens a cursor; at the cap (after idle ones expire), refuses with a clear error rather than grow without bound. */
  open(ns: string, source: Iterator<Document>): ServerCursor {
    if (this.cursors.size >= this.maxCursors) {
      this.expire();
      if (this.cursors.size >= this.maxCursors) {
        throw new CommandError(
          'OperationFailed',
          `too many open cursors (${this.maxCursors}, the engine's limit): read cursors to the end or close them (cursor.close(), killCursors); idle ones expire after ${Math.round(this.idleTimeoutMs / 1000)} s`,
        );
      }
    }
    const cursor = new ServerCursor(++this.nextId, ns, source);
    this.cursors.set(cursor.id, cursor);
    return cursor;
  }

  get(id: bigint, ns: string): ServerCursor {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError('Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    }
    return cursor;
  }

  close(id: bigint): boolean {
    return this.cursors.delete(id);
  }

  has(id: bigint): boolean {
    return this.cursors.has(id);
  }

  get size(): number {
    return this.cursors.size;
  }

  expire(now = Date.now()): void {
    for (const [id, cursor] of this.cursors) if (now - cursor.lastUsed > this.idleTimeoutMs) this.cursors.delete(id);
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.cursors.clear();
  }
}

export function toLong(id: bigint): Long {
  return Long.fromBigInt(id);
}

/** Cursor ids arrive as Long, number or bigint depending on the client's bson options. */
export function cursorIdOf(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (value instanceof Long) return value.toBigInt();
  if (value && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'Long') return (value as Long).toBigInt();
  throw new CommandError('TypeMismatch', `cursor id must be a 64-bit integer, got ${typeof value}`);
}
