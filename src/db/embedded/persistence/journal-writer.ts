/**
 * Entry point of the journal writer thread (started by SqliteStore): applies the engine's
 * batches to SQLite so that disk writes, commits and WAL checkpoints never hold up the
 * engine's thread. Batches that queued up while it wrote are applied together in one SQLite
 * transaction (group commit); each is still all-or-nothing.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Slot, WriterState, type JournalBatch, type WriterMessage } from './journal-ops.js';
import { SqliteJournal } from './sqlite-journal.js';

export interface WriterData {
  dataDir: string;
  shared: SharedArrayBuffer;
}

type Incoming = JournalBatch | { type: 'close' };

if (!parentPort) throw new Error('journal-writer runs inside a worker thread started by SqliteStore');
const port = parentPort;
const { dataDir, shared } = workerData as WriterData;
const slots = new Int32Array(shared);
const journal = new SqliteJournal(dataDir);

function fail(error: unknown): void {
  journal.rollback();
  Atomics.store(slots, Slot.state, WriterState.failed);
  Atomics.notify(slots, Slot.state);
  Atomics.notify(slots, Slot.committedSeq);
  Atomics.notify(slots, Slot.queuedKib);
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies WriterMessage);
}

function close(): void {
  journal.close();
  Atomics.store(slots, Slot.state, WriterState.closed);
  Atomics.notify(slots, Slot.state);
  port.close();
}

/** Applies `first` and whatever else is already queued, in one transaction. */
function drain(first: JournalBatch): Incoming | undefined {
  let kib = 0;
  let seq = first.seq;
  let next: Incoming | undefined = first;
  journal.begin();
  while (next?.type === 'batch') {
    journal.apply(next.ops);
    kib += next.kib;
    seq = next.seq;
    next = receiveMessageOnPort(port)?.message as Incoming | undefined;
  }
  journal.commit();
  Atomics.store(slots, Slot.committedSeq, seq);
  Atomics.sub(slots, Slot.queuedKib, kib);
  Atomics.notify(slots, Slot.committedSeq);
  Atomics.notify(slots, Slot.queuedKib);
  return next; // a 'close' that came in behind the batches, or nothing
}

port.on('message', (message: Incoming) => {
  if (message.type === 'close') return close();
  if (Atomics.load(slots, Slot.state) !== WriterState.running) return; // failed: the engine knows
  try {
    const after = message.type === 'batch' ? drain(message) : message;
    if (after?.type === 'close') close();
  } catch (error) {
    fail(error);
  }
});
