/**
 * Entry point of the journal writer thread (started by SqliteStore): applies the engine's
 * batches to SQLite so that disk writes, commits and WAL checkpoints never hold up the
 * engine's thread. Whatever queued up while it wrote is applied in one SQLite transaction
 * (group commit); inside it each engine transaction is a savepoint, kept or undone whole. A
 * large engine transaction arrives in several batches: the SQLite transaction stays open
 * until its final batch, so a crash in between loses all of it, never part of it.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { SharedJournalState, Slot, WriterState, type JournalBatch, type WriterRequest } from './journal-ops.js';
import { SqliteJournal } from './sqlite-journal.js';

export interface WriterData {
  dataDir: string;
  shared: SharedArrayBuffer;
}

if (!parentPort) throw new Error('journal-writer runs inside a worker thread started by SqliteStore');
const port = parentPort;
const { dataDir, shared } = workerData as WriterData;
const state = new SharedJournalState(shared);
// However this thread ends, the engine must learn it at once: it may be blocked in
// Atomics.wait, where the Worker's own 'error' and 'exit' events cannot reach it.
process.on('exit', () => {
  if (state.running) state.fail('the journal writer thread exited');
});
const journal = openJournal();

function openJournal(): SqliteJournal {
  try {
    return new SqliteJournal(dataDir);
  } catch (error) {
    state.fail(`cannot open the journal: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

/** Whether BEGIN was issued and not yet committed. */
let inTransaction = false;
/** The engine transaction whose batches are being applied (its final one not seen yet). */
let open: number | undefined;
/** The last engine transaction applied whole: committed with the SQLite transaction. */
let lastFinal: number | undefined;

function fail(error: unknown): void {
  state.fail(error);
  try {
    journal.rollback();
  } catch {
    // the journal is already unusable; the engine has been told
  }
  inTransaction = false;
}

function close(): void {
  if (inTransaction) journal.rollback(); // an engine transaction that never ended: not acknowledged
  journal.close();
  if (state.running) state.set(Slot.state, WriterState.closed);
  port.close();
}

function apply(batch: JournalBatch): void {
  if (!inTransaction) {
    journal.begin();
    inTransaction = true;
  }
  if (open === undefined) {
    journal.savepoint();
    open = batch.seq;
  }
  journal.apply(batch.ops);
  if (batch.final) {
    journal.release();
    open = undefined;
    lastFinal = batch.seq;
  }
}

/** Commits the SQLite transaction unless an engine transaction is mid-way. */
function commitIfWhole(): void {
  if (!inTransaction || open !== undefined) return;
  journal.commit();
  inTransaction = false;
  if (lastFinal !== undefined) state.set(Slot.committedSeq, lastFinal);
}

/** Applies `first` and whatever else is already queued, then commits. */
function drain(first: WriterRequest): void {
  let kib = 0;
  let next: WriterRequest | undefined = first;
  for (; next && next.type !== 'close'; next = receiveMessageOnPort(port)?.message as WriterRequest | undefined) {
    if (next.type === 'abort') {
      if (open === next.seq) journal.undoToSavepoint();
      open = undefined;
      lastFinal = next.seq; // nothing of it to wait for: j: true waiters must not hang on it
      continue;
    }
    try {
      apply(next);
    } catch (error) {
      // Keep the transactions applied before this one in the group: they were acknowledged.
      if (open !== undefined) journal.undoToSavepoint();
      open = undefined;
      commitIfWhole();
      throw error;
    }
    kib += next.kib;
  }
  commitIfWhole();
  state.add(Slot.queuedKib, -kib);
  if (next?.type === 'close') close();
}

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') return close();
  if (!state.running) return; // failed: the engine knows
  try {
    drain(message);
  } catch (error) {
    fail(error);
  }
});
