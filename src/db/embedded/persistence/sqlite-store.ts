/**
 * The durable store: better-sqlite3 in WAL mode as the journal. A command's changes are one
 * SQLite transaction, committed before the reply is sent; with synchronous=NORMAL a committed
 * transaction survives the process being killed (-9), which is the promise we make.
 * Documents are kept as BSON; at startup they are all read back into memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { deserialize, serialize, type Document } from 'bson';
import type { IndexSpec } from '../storage/index-spec.js';
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
  CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY,
    cid INTEGER NOT NULL,
    id TEXT NOT NULL,
    doc BLOB NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS documents_by_key ON documents (cid, id);
`;

export const STORE_FILE = 'datadragon.sqlite';

export class SqliteStore implements Store {
  readonly durable = true;
  private readonly db: Database.Database;
  private readonly statements;
  private closed = false;

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, STORE_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -65536');
    this.db.exec(SCHEMA);
    this.statements = {
      insertCollection: this.db.prepare('INSERT INTO collections (db, name, options, indexes) VALUES (?, ?, ?, ?)'),
      setIndexes: this.db.prepare('UPDATE collections SET indexes = ? WHERE id = ?'),
      rename: this.db.prepare('UPDATE collections SET db = ?, name = ? WHERE id = ?'),
      dropCollection: this.db.prepare('DELETE FROM collections WHERE id = ?'),
      dropDocuments: this.db.prepare('DELETE FROM documents WHERE cid = ?'),
      put: this.db.prepare('INSERT INTO documents (cid, id, doc) VALUES (?, ?, ?) ON CONFLICT (cid, id) DO UPDATE SET doc = excluded.doc'),
      delete: this.db.prepare('DELETE FROM documents WHERE cid = ? AND id = ?'),
      collections: this.db.prepare('SELECT id, db, name, options, indexes, (SELECT count(*) FROM documents d WHERE d.cid = c.id) AS count FROM collections c ORDER BY id'),
      documents: this.db.prepare('SELECT doc FROM documents WHERE cid = ? ORDER BY seq').pluck(),
    };
  }

  *load(): Iterable<StoredCollection & { id: StoreCollectionId }> {
    const rows = this.statements.collections.all() as { id: number; db: string; name: string; options: Buffer; indexes: Buffer; count: number }[];
    for (const row of rows) {
      const statement = this.statements.documents;
      yield {
        id: row.id,
        db: row.db,
        name: row.name,
        options: deserialize(row.options, DESERIALIZE_OPTIONS),
        indexes: (deserialize(row.indexes, DESERIALIZE_OPTIONS).list ?? []) as IndexSpec[],
        count: row.count,
        docs: (function* () {
          for (const bytes of statement.iterate(row.id) as Iterable<Buffer>) yield deserialize(bytes, DESERIALIZE_OPTIONS);
        })(),
      };
    }
  }

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn)();
  }

  createCollection(record: CollectionRecord): StoreCollectionId {
    const result = this.statements.insertCollection.run(record.db, record.name, serialize(record.options), serialize({ list: record.indexes }));
    return Number(result.lastInsertRowid);
  }

  setIndexes(id: StoreCollectionId, indexes: IndexSpec[]): void {
    this.statements.setIndexes.run(serialize({ list: indexes }), id);
  }

  putDocument(id: StoreCollectionId, idKey: string, doc: Document, raw?: Uint8Array): void {
    this.statements.put.run(id, idKey, raw ?? serialize(doc));
  }

  deleteDocument(id: StoreCollectionId, idKey: string): void {
    this.statements.delete.run(id, idKey);
  }

  dropCollection(id: StoreCollectionId): void {
    this.statements.dropDocuments.run(id);
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
