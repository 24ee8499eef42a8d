/**
 * The changes of the running engine transaction, as journal ops whose document payloads are
 * written straight into large chunks: one copy per document (raw bytes off the wire, or the
 * serializer's output), no per-document buffer, no concatenation at commit. `take()` hands the
 * ops over with the byte arrays to transfer to the writer thread; `takeFull()` hands over the
 * filled chunks of a large transaction before it ends, so the writer works alongside.
 */
import { serialize, serializeWithBufferAndIndex, type Document } from 'bson';
import type { JournalOp } from './journal-ops.js';
import type { StoreCollectionId } from './store.js';

/** bson serializes into a 17 MiB buffer of its own before copying out: keep that much room. */
const MAX_ENCODED = 17 * 1024 * 1024;
const CHUNK = 32 * 1024 * 1024;
/** Under this, a transaction's bytes are copied out and the chunk is kept for the next one. */
const COPY_OUT_BELOW = 1024 * 1024;

interface PutRange {
  op: 'put';
  cid: StoreCollectionId;
  chunk: Buffer;
  start: number;
  end: number;
}

type PendingOp = Exclude<JournalOp, { op: 'put' } | { op: 'delete' }> | PutRange | { op: 'delete'; cid: StoreCollectionId; ids: string[] };

export interface TakenBatch {
  ops: JournalOp[];
  bytes: number;
  transfer: ArrayBuffer[];
}

export class JournalBuffer {
  private chunk = Buffer.allocUnsafeSlow(CHUNK);
  /** Bytes of `chunk` that belong to recorded puts. */
  private used = 0;
  private pending: PendingOp[] = [];
  /** Chunks filled during this transaction (all but the current one). */
  private full: Buffer[] = [];

  get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  /**
   * Serializes `doc` where its journal bytes will go, without recording it yet: the caller
   * checks the size (and everything else) first, and records it with `put`. Not recorded,
   * the bytes are simply overwritten by the next document.
   */
  encode(doc: Document): Uint8Array {
    this.reserve(MAX_ENCODED);
    const last = serializeWithBufferAndIndex(doc, this.chunk, { index: this.used });
    return this.chunk.subarray(this.used, last + 1);
  }

  /** Records a document version; `raw` is its BSON (from `encode`, or off the wire). */
  put(cid: StoreCollectionId, raw: Uint8Array): void {
    const encodedHere = raw.buffer === this.chunk.buffer && raw.byteOffset === this.chunk.byteOffset + this.used;
    if (!encodedHere) {
      this.reserve(raw.length);
      this.chunk.set(raw, this.used);
    }
    const start = this.used;
    this.used += raw.length;
    const last = this.pending[this.pending.length - 1];
    if (last?.op === 'put' && last.cid === cid && last.chunk === this.chunk && last.end === start) last.end = this.used;
    else this.pending.push({ op: 'put', cid, chunk: this.chunk, start, end: this.used });
  }

  delete(cid: StoreCollectionId, idKey: string): void {
    const last = this.pending[this.pending.length - 1];
    if (last?.op === 'delete' && last.cid === cid) last.ids.push(idKey);
    else this.pending.push({ op: 'delete', cid, ids: [idKey] });
  }

  other(op: Exclude<JournalOp, { op: 'put' } | { op: 'delete' }>): void {
    if (op.op === 'drop') {
      // Nothing of a collection dropped in the same transaction needs writing.
      this.pending = this.pending.filter((change) => change.cid !== op.cid);
    }
    this.pending.push(op);
  }

  /** Room for `bytes` more in the current chunk, starting a new one if needed. */
  private reserve(bytes: number): void {
    if (this.used + bytes <= this.chunk.length) return;
    if (this.used > 0) this.full.push(this.chunk);
    this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK, bytes));
    this.used = 0;
  }

  /** Whether filled chunks wait to be handed over: a large transaction is under way. */
  get hasFullChunks(): boolean {
    return this.full.length > 0;
  }

  /**
   * The changes whose bytes sit in filled chunks, handed over while the transaction goes on
   * (the writer applies them but commits only with the rest: see journal-writer.ts).
   */
  takeFull(): TakenBatch {
    const cut = this.pending.findIndex((change) => change.op === 'put' && change.chunk === this.chunk);
    const ready = cut < 0 ? this.pending : this.pending.slice(0, cut);
    this.pending = cut < 0 ? [] : this.pending.slice(cut);
    const transfer: ArrayBuffer[] = this.full.map((chunk) => chunk.buffer as ArrayBuffer);
    this.full = [];
    return { ...this.convert(ready, transfer, false), transfer };
  }

  /** The recorded ops, ready to post, and the buffer emptied for the next transaction. */
  take(): TakenBatch {
    const transfer: ArrayBuffer[] = this.full.map((chunk) => chunk.buffer as ArrayBuffer);
    // A small transaction's bytes are copied out so the chunk serves the next one; a large
    // one's chunk is handed over whole.
    const keepChunk = this.used < COPY_OUT_BELOW;
    if (!keepChunk && this.used > 0) transfer.push(this.chunk.buffer as ArrayBuffer);
    const taken = this.convert(this.pending, transfer, keepChunk);
    this.discard();
    if (!keepChunk) this.chunk = Buffer.allocUnsafeSlow(CHUNK);
    return { ...taken, transfer };
  }

  /** Journal ops with their payloads; copies of the current chunk's bytes when it is kept. */
  private convert(pending: PendingOp[], transfer: ArrayBuffer[], keepChunk: boolean): { ops: JournalOp[]; bytes: number } {
    let bytes = 0;
    const ops = pending.map((change): JournalOp => {
      if (change.op === 'delete') return { op: 'delete', cid: change.cid, payload: serialize({ ids: change.ids }) };
      if (change.op !== 'put') return change;
      bytes += change.end - change.start;
      const view = change.chunk.subarray(change.start, change.end);
      if (!keepChunk || change.chunk !== this.chunk) return { op: 'put', cid: change.cid, payload: view };
      const copy = new Uint8Array(view);
      transfer.push(copy.buffer);
      return { op: 'put', cid: change.cid, payload: copy };
    });
    return { ops, bytes };
  }

  /** Forgets the running transaction's changes (it failed). */
  discard(): void {
    this.pending = [];
    this.full = [];
    this.used = 0;
  }
}
