/**
 * What the engine thread sends the journal writer (journal-writer.ts): one batch per engine
 * transaction, applied by the writer atomically. Plain data and transferable byte arrays only:
 * batches cross a thread boundary.
 */
import type { StoreCollectionId } from './store.js';

export type JournalOp =
  | { op: 'create'; cid: StoreCollectionId; db: string; name: string; options: Uint8Array; indexes: Uint8Array }
  | { op: 'indexes'; cid: StoreCollectionId; indexes: Uint8Array }
  | { op: 'rename'; cid: StoreCollectionId; db: string; name: string }
  | { op: 'drop'; cid: StoreCollectionId }
  /** `payload`: BSON documents back to back (inserted or replaced versions). */
  | { op: 'put'; cid: StoreCollectionId; payload: Uint8Array }
  /** `payload`: BSON `{ ids: [idKey, ...] }`. */
  | { op: 'delete'; cid: StoreCollectionId; payload: Uint8Array };

/**
 * Changes of one engine transaction. A large transaction arrives in several batches with the
 * same seq, all but the last with `final: false`; it counts only once the final one arrives,
 * and an `abort` of its seq undoes the batches already sent.
 */
export interface JournalBatch {
  type: 'batch';
  /** The engine transaction's number, increasing: the writer reports the last it committed. */
  seq: number;
  final: boolean;
  /** Bytes of payload, for the engine's bound on what may wait in memory. */
  kib: number;
  ops: JournalOp[];
}

export interface JournalAbort {
  type: 'abort';
  seq: number;
}

/** Messages from the engine thread to the writer. */
export type WriterRequest = JournalBatch | JournalAbort | { type: 'close' };

/** Messages from the writer to the engine thread. */
export type WriterMessage = { type: 'failed'; message: string };

/**
 * Slots of the Int32Array (over a SharedArrayBuffer) both threads share: the engine waits on
 * them with Atomics.wait, the writer notifies.
 */
export const Slot = {
  /** KiB posted but not yet committed: the engine stops posting while it is too high. */
  queuedKib: 0,
  /** seq of the last committed batch. */
  committedSeq: 1,
  /** WriterState. */
  state: 2,
} as const;

export const WriterState = { running: 0, failed: 1, closed: 2 } as const;

export const SHARED_SLOTS = 3;
