/**
 * The journal on disk: better-sqlite3 in WAL mode, holding collections and journal rows (a run
 * of inserted or replaced documents is ONE row holding their BSON back to back). Used at
 * startup by the engine thread to load the data, and afterwards by the journal writer thread
 * (journal-writer.ts) to apply batches. One connection at a time: the lock is exclusive.
 *
 * At load the journal is replayed (the last version of each document wins); when it holds
 * much more than the live data, it is rewritten as one snapshot. Dropping a collection deletes
 * its rows, so a temporary collection (seeding's `activity`, $out's staging) costs its writes
 * but nothing at the next startup.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Binary, deserialize, UUID, type Document } from 'bson';
import type { IndexSpec } from '../storage/index-spec.js';
import { valueKey } from '../storage/value-key.js';
import { DESERIALIZE_OPTIONS } from '../wire/message.js';
import type { JournalOp } from './journal-ops.js';
import type { StoreCollectionId, StoredCollection } from './store.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS collections (
    id INTEGER PRIMARY KEY,
    db TEXT NOT NULL,
    name TEXT NOT NULL,
    options BLOB NOT NULL,
    indexes BLOB NOT NULL,
    UNIQUE (db, name)
  );
  CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY,
    cid INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    payload BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS journal_by_collection ON journal (cid);
`;

/** Journal row kinds. */
const PUT = 1; // payload: BSON documents back to back
const DELETE = 2; // payload: BSON { ids: [idKey, ...] }

export const STORE_FILE = 'datadragon.sqlite';

/** Documents per snapshot row when the journal is rewritten. */
const SNAPSHOT_BATCH = 1000;

/** The `options` column holds the collection's options and its uuid. */
function optionsOf(bytes: Buffer): { options: Document; uuid: UUID } {
  const stored = deserialize(bytes, { ...DESERIALIZE_OPTIONS, promoteBuffers: false });
  const uuid = stored.uuid instanceof Binary ? new UUID(stored.uuid.buffer) : new UUID();
  return { options: (stored.options ?? {}) as Document, uuid };
}

export class SqliteJournal {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, STORE_FILE));
    // Journal rows are large (a batch of documents): big pages write them about twice as fast.
    // Takes effect when the file is created; an existing store keeps its page size.
    this.db.pragma('page_size = 65536');
    // One engine owns the directory (see lock.ts): no need for shared-memory locking.
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a committed transaction survives the process being killed; only an OS
    // crash or power loss may lose the last ones.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -131072');
    this.db.exec(SCHEMA);
    this.statements = {
      insertCollection: this.db.prepare('INSERT INTO collections (id, db, name, options, indexes) VALUES (?, ?, ?, ?, ?)'),
      setIndexes: this.db.prepare('UPDATE collections SET indexes = ? WHERE id = ?'),
      rename: this.db.prepare('UPDATE collections SET db = ?, name = ? WHERE id = ?'),
      dropCollection: this.db.prepare('DELETE FROM collections WHERE id = ?'),
      dropJournal: this.db.prepare('DELETE FROM journal WHERE cid = ?'),
      append: this.db.prepare('INSERT INTO journal (cid, kind, payload) VALUES (?, ?, ?)'),
      collections: this.db.prepare('SELECT id, db, name, options, indexes FROM collections ORDER BY id'),
      journalOf: this.db.prepare('SELECT kind, payload FROM journal WHERE cid = ? ORDER BY seq'),
      rowCount: this.db.prepare('SELECT count(*) FROM journal WHERE cid = ?').pluck(),
      begin: this.db.prepare('BEGIN'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT engine_transaction'),
      release: this.db.prepare('RELEASE engine_transaction'),
      rollbackTo: this.db.prepare('ROLLBACK TO engine_transaction'),
    };
  }

  /** Everything stored, to rebuild the in-memory catalog at startup. */
  *load(): Iterable<StoredCollection & { id: StoreCollectionId }> {
    const rows = this.statements.collections.all() as { id: number; db: string; name: string; options: Buffer; indexes: Buffer }[];
    for (const row of rows) {
      const { docs, replayed } = this.replay(row.id);
      // Rewrite a journal that is mostly history, so the next startup reads only live data.
      if (replayed > docs.size * 1.5 + SNAPSHOT_BATCH || (this.statements.rowCount.get(row.id) as number) > docs.size / 100 + 10) {
        this.snapshot(row.id, docs);
      }
      yield {
        id: row.id,
        db: row.db,
        name: row.name,
        ...optionsOf(row.options),
        indexes: (deserialize(row.indexes, DESERIALIZE_OPTIONS).list ?? []) as IndexSpec[],
        docs: [...docs.values()].map((entry) => entry.doc),
      };
    }
  }

  private replay(cid: StoreCollectionId): { docs: Map<string, { doc: Document; raw: Uint8Array }>; replayed: number } {
    const docs = new Map<string, { doc: Document; raw: Uint8Array }>();
    let replayed = 0;
    for (const { kind, payload } of this.statements.journalOf.iterate(cid) as Iterable<{ kind: number; payload: Buffer }>) {
      if (kind === PUT) {
        for (let at = 0; at < payload.length; ) {
          const length = payload.readInt32LE(at);
          const raw = payload.subarray(at, at + length);
          const doc = deserialize(raw, DESERIALIZE_OPTIONS);
          docs.set(valueKey(doc._id), { doc, raw });
          replayed++;
          at += length;
        }
      } else {
        for (const id of deserialize(payload).ids as string[]) docs.delete(id);
      }
    }
    return { docs, replayed };
  }

  private snapshot(cid: StoreCollectionId, docs: Map<string, { raw: Uint8Array }>): void {
    this.db.transaction(() => {
      this.statements.dropJournal.run(cid);
      let batch: Uint8Array[] = [];
      for (const { raw } of docs.values()) {
        batch.push(raw);
        if (batch.length === SNAPSHOT_BATCH) {
          this.statements.append.run(cid, PUT, Buffer.concat(batch));
          batch = [];
        }
      }
      if (batch.length) this.statements.append.run(cid, PUT, Buffer.concat(batch));
    })();
  }

  /**
   * The largest collection id in use (ids are given by the engine, see SqliteStore), journal
   * rows included: a new collection must never inherit rows left by an older one.
   */
  maxCollectionId(): number {
    const sql = 'SELECT max(coalesce((SELECT max(id) FROM collections), 0), coalesce((SELECT max(cid) FROM journal), 0))';
    return this.db.prepare(sql).pluck().get() as number;
  }

  begin(): void {
    this.statements.begin.run();
  }

  commit(): void {
    this.statements.commit.run();
  }

  rollback(): void {
    if (this.db.inTransaction) this.statements.rollback.run();
  }

  /** One engine transaction inside the open SQLite transaction: kept or undone as a whole. */
  savepoint(): void {
    this.statements.savepoint.run();
  }

  release(): void {
    this.statements.release.run();
  }

  undoToSavepoint(): void {
    this.statements.rollbackTo.run();
    this.statements.release.run();
  }

  /** Applies one batch's changes inside the transaction the caller opened. */
  apply(ops: readonly JournalOp[]): void {
    const s = this.statements;
    for (const change of ops) {
      switch (change.op) {
        case 'create':
          s.insertCollection.run(change.cid, change.db, change.name, change.options, change.indexes);
          break;
        case 'indexes':
          s.setIndexes.run(change.indexes, change.cid);
          break;
        case 'rename':
          s.rename.run(change.db, change.name, change.cid);
          break;
        case 'drop':
          s.dropJournal.run(change.cid);
          s.dropCollection.run(change.cid);
          break;
        case 'put':
          s.append.run(change.cid, PUT, change.payload);
          break;
        case 'delete':
          s.append.run(change.cid, DELETE, change.payload);
          break;
      }
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Bytes the store takes on disk, for dbStats/listDatabases. */
export function sizeOnDisk(dataDir: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += fs.statSync(path.join(dataDir, STORE_FILE + suffix)).size;
    } catch {
      // the WAL file comes and goes
    }
  }
  return bytes;
}
