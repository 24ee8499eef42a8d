/**
 * The durable store, engine side. At startup it loads the SQLite journal (sqlite-journal.ts)
 * on the engine's thread; afterwards every engine transaction becomes one batch posted to the
 * journal writer thread (journal-writer.ts), which commits it to SQLite while the engine goes
 * on. This is MongoDB's own contract for the default write concern: a write is acknowledged
 * once applied in memory, and journaled within moments (mongod: every 100 ms); a write with
 * `writeConcern: { j: true }` is acknowledged only once journaled (see `flush`). A committed
 * batch survives the process being killed (-9).
 *
 * The engine's thread never waits for the disk except when the writer falls more than
 * MAX_QUEUED_KIB behind (then it waits, bounding memory), on `j: true`, and at close.
 */
import type { Worker } from 'node:worker_threads';
import { serialize, type Document } from 'bson';
import { CommandError } from '../errors.js';
import type { IndexSpec } from '../storage/index-spec.js';
import { startWorker } from '../worker-thread.js';
import { JournalBuffer } from './journal-buffer.js';
import { SharedJournalState, Slot, type JournalBatch, type WriterRequest } from './journal-ops.js';
import type { WriterData } from './journal-writer.js';
import { sizeOnDisk, SqliteJournal } from './sqlite-journal.js';
import type { CollectionRecord, Store, StoreCollectionId, StoredCollection } from './store.js';

export { STORE_FILE } from './sqlite-journal.js';

/** How far (in KiB of documents) the writer may fall behind before the engine waits for it. */
const MAX_QUEUED_KIB = 256 * 1024;
/** How long close() waits for the writer to finish before stopping it (losing what it had not committed). */
const CLOSE_TIMEOUT_MS = 120_000;

export class SqliteStore implements Store {
  readonly durable = true;
  private readonly state = new SharedJournalState();
  private readonly buffer = new JournalBuffer();
  private writer: Worker | undefined;
  private nextCollectionId = 1;
  /** The number of the last engine transaction posted (or being posted). */
  private postedSeq = 0;
  /** Whether the running transaction already sent batches (it is large). */
  private partialPosted = false;
  private writerExited = false;
  private depth = 0;
  private closed = false;

  constructor(readonly dataDir: string) {}

  *load(): Iterable<StoredCollection & { id: StoreCollectionId }> {
    if (this.writer) throw new Error('the store was already loaded');
    const journal = new SqliteJournal(this.dataDir);
    try {
      this.nextCollectionId = journal.maxCollectionId() + 1;
      yield* journal.load();
    } finally {
      journal.close();
    }
    this.startWriter();
  }

  private startWriter(): void {
    const data: WriterData = { dataDir: this.dataDir, shared: this.state.buffer };
    const writer = startWorker('./journal-writer', import.meta.url, { workerData: data });
    // A crash of the thread itself (it reports its own errors through the shared state).
    writer.on('error', (error) => this.state.fail(error));
    writer.on('exit', () => {
      this.writerExited = true;
      if (this.state.running) this.state.fail('the journal writer thread exited');
    });
    writer.unref(); // the engine's own lifecycle decides when the process ends
    this.writer = writer;
  }

  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.checkWriter();
    this.depth++;
    try {
      const result = fn();
      this.post(true);
      return result;
    } catch (error) {
      this.buffer.discard();
      if (this.partialPosted) this.writer!.postMessage({ type: 'abort', seq: this.postedSeq } satisfies WriterRequest);
      throw error;
    } finally {
      this.partialPosted = false;
      this.depth--;
    }
  }

  /** Waits until everything posted so far is committed on disk (write concern `j: true`). */
  flush(): void {
    this.state.waitWhile(Slot.committedSeq, (committed) => committed - this.postedSeq < 0);
    this.checkWriter();
  }

  /** Refuses writes once the writer failed: acknowledging them would be a lie. */
  private checkWriter(): void {
    if (this.state.running && !this.closed) return;
    if (this.closed) throw new CommandError('InternalError', 'the engine is shutting down: its data directory is closed');
    throw new CommandError(
      'InternalError',
      `the data directory ${this.dataDir} can no longer be written (${this.state.failure() ?? 'the journal writer stopped'}); writes are refused. Fix the cause (disk space, permissions) and restart the engine: it recovers every write journaled before this.`,
    );
  }

  /**
   * Hands the transaction's changes to the writer: all of them at its end (`final`), or,
   * while a large one runs, those in filled chunks, so that the writer works alongside.
   */
  private post(final: boolean): void {
    if (final ? this.buffer.isEmpty && !this.partialPosted : !this.buffer.hasFullChunks) return;
    if (!this.writer) this.startWriter();
    this.waitForRoom();
    const { ops, bytes, transfer } = final ? this.buffer.take() : this.buffer.takeFull();
    const kib = Math.ceil(bytes / 1024);
    if (!this.partialPosted) this.postedSeq++;
    const batch: JournalBatch = { type: 'batch', seq: this.postedSeq, final, kib, ops };
    this.state.add(Slot.queuedKib, kib);
    this.writer!.postMessage(batch, transfer);
    this.partialPosted = !final;
  }

  private waitForRoom(): void {
    this.state.waitWhile(Slot.queuedKib, (queued) => queued > MAX_QUEUED_KIB);
    this.checkWriter();
  }

  /** A change outside any transaction is posted at once; inside one, filled chunks go early. */
  private recorded(): void {
    this.post(this.depth === 0);
  }

  createCollection(record: CollectionRecord): StoreCollectionId {
    const cid = this.nextCollectionId++;
    this.buffer.other({ op: 'create', cid, db: record.db, name: record.name, options: serialize({ options: record.options, uuid: record.uuid }), indexes: serialize({ list: record.indexes }) });
    this.recorded();
    return cid;
  }

  setIndexes(cid: StoreCollectionId, indexes: IndexSpec[]): void {
    this.buffer.other({ op: 'indexes', cid, indexes: serialize({ list: indexes }) });
    this.recorded();
  }

  encode(doc: Document): Uint8Array {
    const raw = this.buffer.encode(doc);
    if (this.depth > 0) this.post(false); // the encoding may have filled a chunk
    return raw;
  }

  putDocument(cid: StoreCollectionId, _idKey: string, doc: Document, raw?: Uint8Array): void {
    this.buffer.put(cid, raw ?? this.buffer.encode(doc));
    this.recorded();
  }

  deleteDocument(cid: StoreCollectionId, idKey: string): void {
    this.buffer.delete(cid, idKey);
    this.recorded();
  }

  dropCollection(cid: StoreCollectionId): void {
    this.buffer.other({ op: 'drop', cid });
    this.recorded();
  }

  renameCollection(cid: StoreCollectionId, db: string, name: string): void {
    this.buffer.other({ op: 'rename', cid, db, name });
    this.recorded();
  }

  sizeOnDisk(): number {
    return sizeOnDisk(this.dataDir);
  }

  /** Lets the writer commit everything and close the journal; resolves when its thread is gone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const writer = this.writer;
    if (!writer || this.writerExited) return;
    writer.ref(); // keep this thread alive until the writer is done
    const exited = new Promise<void>((resolve) => writer.once('exit', () => resolve()));
    writer.postMessage({ type: 'close' } satisfies WriterRequest);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') await writer.terminate();
  }
}
