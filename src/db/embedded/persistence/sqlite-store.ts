/**
 * The durable store: better-sqlite3 in WAL mode, used as a journal of batches. A command's
 * changes become a few rows (a run of inserted or replaced documents is ONE row holding their
 * BSON back to back, as they came off the wire), committed in one SQLite transaction before
 * the reply is sent. With synchronous=NORMAL a committed transaction survives the process
 * being killed (-9), which is the promise we make.
 *
 * At startup the journal is replayed into memory (the last version of each document wins);
 * when it holds much more than the live data, it is rewritten as one snapshot. Dropping a
 * collection deletes its rows, so a temporary collection (seeding's `activity`, $out's
 * staging) costs its writes but nothing at the next startup.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Binary, deserialize, serialize, UUID, type Document } from 'bson';
import type { IndexSpec } from '../storage/index-spec.js';
import { valueKey } from '../storage/value-key.js';
import { DESERIALIZE_OPTIONS } from '../wire/message.js';
import type { CollectionRecord, Store, StoreCollectionId, StoredCollection } from './store.js';

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

interface Pending {
  cid: StoreCollectionId;
  kind: typeof PUT | typeof DELETE;
  parts: Uint8Array[];
  ids: string[];
}

/** The `options` column holds the collection's options and its uuid. */
function optionsOf(bytes: Buffer): { options: Document; uuid: UUID } {
  const stored = deserialize(bytes, { ...DESERIALIZE_OPTIONS, promoteBuffers: false });
  const uuid = stored.uuid instanceof Binary ? new UUID(stored.uuid.buffer) : new UUID();
  return { options: (stored.options ?? {}) as Document, uuid };
}

export class SqliteStore implements Store {
  readonly durable = true;
  private readonly db: Database.Database;
  private readonly statements;
  private closed = false;
  /** Changes of the running transaction, in order; consecutive ones of a kind share a row. */
  private pending: Pending[] = [];
  private depth = 0;

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
      insertCollection: this.db.prepare('INSERT INTO collections (db, name, options, indexes) VALUES (?, ?, ?, ?)'),
      setIndexes: this.db.prepare('UPDATE collections SET indexes = ? WHERE id = ?'),
      rename: this.db.prepare('UPDATE collections SET db = ?, name = ? WHERE id = ?'),
      dropCollection: this.db.prepare('DELETE FROM collections WHERE id = ?'),
      dropJournal: this.db.prepare('DELETE FROM journal WHERE cid = ?'),
      append: this.db.prepare('INSERT INTO journal (cid, kind, payload) VALUES (?, ?, ?)'),
      collections: this.db.prepare('SELECT id, db, name, options, indexes FROM collections ORDER BY id'),
      journalOf: this.db.prepare('SELECT kind, payload FROM journal WHERE cid = ? ORDER BY seq'),
      rowCount: this.db.prepare('SELECT count(*) FROM journal WHERE cid = ?').pluck(),
    };
  }

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

  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    try {
      return this.db.transaction(() => {
        const result = fn();
        this.flush();
        return result;
      })();
    } finally {
      this.pending = [];
      this.depth--;
    }
  }

  /** Writes the pending changes as journal rows. */
  private flush(): void {
    for (const change of this.pending) {
      const payload = change.kind === PUT ? Buffer.concat(change.parts) : serialize({ ids: change.ids });
      this.statements.append.run(change.cid, change.kind, payload);
    }
    this.pending = [];
  }

  private record(cid: StoreCollectionId, kind: typeof PUT | typeof DELETE, part: Uint8Array | undefined, id: string | undefined): void {
    let last = this.pending[this.pending.length - 1];
    if (!last || last.cid !== cid || last.kind !== kind) {
      last = { cid, kind, parts: [], ids: [] };
      this.pending.push(last);
    }
    if (part) last.parts.push(part);
    if (id !== undefined) last.ids.push(id);
    if (this.depth === 0) this.flush(); // a change outside any transaction is written at once
  }

  createCollection(record: CollectionRecord): StoreCollectionId {
    const result = this.statements.insertCollection.run(record.db, record.name, serialize({ options: record.options, uuid: record.uuid }), serialize({ list: record.indexes }));
    return Number(result.lastInsertRowid);
  }

  setIndexes(id: StoreCollectionId, indexes: IndexSpec[]): void {
    this.statements.setIndexes.run(serialize({ list: indexes }), id);
  }

  putDocument(id: StoreCollectionId, _idKey: string, doc: Document, raw?: Uint8Array): void {
    this.record(id, PUT, raw ?? serialize(doc), undefined);
  }

  deleteDocument(id: StoreCollectionId, idKey: string): void {
    this.record(id, DELETE, undefined, idKey);
  }

  dropCollection(id: StoreCollectionId): void {
    this.pending = this.pending.filter((change) => change.cid !== id);
    this.statements.dropJournal.run(id);
    this.statements.dropCollection.run(id);
  }

  renameCollection(id: StoreCollectionId, db: string, name: string): void {
    this.statements.rename.run(db, name, id);
  }

  sizeOnDisk(): number {
    let bytes = 0;
    for (const suffix of ['', '-wal']) {
      try {
        bytes += fs.statSync(path.join(this.dataDir, STORE_FILE + suffix)).size;
      } catch {
        // the WAL file comes and goes
      }
    }
    return bytes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
