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

/**
 * What both threads share, over a SharedArrayBuffer: counters the engine waits on with
 * Atomics.wait (the writer notifies), and the writer's error, readable at once by the engine.
 */
export class SharedJournalState {
  private static readonly SLOTS = 4;
  private static readonly MESSAGE_BYTES = 2048;
  readonly slots: Int32Array;
  private readonly message: Uint8Array;

  constructor(readonly buffer = new SharedArrayBuffer(SharedJournalState.SLOTS * 4 + SharedJournalState.MESSAGE_BYTES)) {
    this.slots = new Int32Array(buffer, 0, SharedJournalState.SLOTS);
    this.message = new Uint8Array(buffer, SharedJournalState.SLOTS * 4);
  }

  get(slot: SlotIndex): number {
    return Atomics.load(this.slots, slot);
  }

  /** Blocks the calling thread while the writer runs and `slot`'s value keeps `blocked` true. */
  waitWhile(slot: SlotIndex, blocked: (value: number) => boolean): void {
    for (let value = this.get(slot); this.running && blocked(value); value = this.get(slot)) Atomics.wait(this.slots, slot, value, 1000);
  }

  add(slot: SlotIndex, delta: number): void {
    Atomics.add(this.slots, slot, delta);
    Atomics.notify(this.slots, slot);
  }

  set(slot: SlotIndex, value: number): void {
    Atomics.store(this.slots, slot, value);
    Atomics.notify(this.slots, slot);
  }

  get running(): boolean {
    return this.get(Slot.state) === WriterState.running;
  }

  /** Records why the writer stopped, then wakes every waiter. */
  fail(reason: unknown): void {
    const message = reason instanceof Error ? reason.message : String(reason);
    const bytes = new TextEncoder().encode(message).subarray(0, this.message.length);
    this.message.set(bytes);
    Atomics.store(this.slots, Slot.messageLength, bytes.length);
    this.set(Slot.state, WriterState.failed);
    for (const slot of [Slot.committedSeq, Slot.queuedKib]) Atomics.notify(this.slots, slot);
  }

  failure(): string | undefined {
    const length = this.get(Slot.messageLength);
    return length > 0 ? new TextDecoder().decode(this.message.slice(0, length)) : undefined;
  }
}

export const Slot = {
  /** KiB posted but not yet committed: the engine stops posting while it is too high. */
  queuedKib: 0,
  /** seq of the last committed engine transaction. */
  committedSeq: 1,
  /** WriterState. */
  state: 2,
  /** Bytes of the failure message. */
  messageLength: 3,
} as const;

type SlotIndex = (typeof Slot)[keyof typeof Slot];

export const WriterState = { running: 0, failed: 1, closed: 2 } as const;
