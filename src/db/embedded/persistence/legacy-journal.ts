/**
 * The data directory format of datadragon before the LMDB storage (lmdb-store.ts): a SQLite
 * journal, `datadragon.sqlite` (better-sqlite3, WAL), holding collections and journal rows (a
 * run of inserted or replaced documents is ONE row holding their BSON back to back). Read
 * once, to convert an old directory (legacy-convert.ts); `apply` is the old writer's, kept so
 * that tests can write a directory of the old format.
 *
 * Reading replays the journal: the last version of each document wins.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Binary, deserialize, EJSON, UUID, type Document } from 'bson';
import type { IndexSpec } from '../storage/index-spec.js';
import { valueKey } from '../storage/value-key.js';
import { DESERIALIZE_OPTIONS } from '../wire/message.js';
import type { CollectionRecord, StoreCollectionId } from '../storage/store.js';

/** The changes of one old-format transaction, as its writer applied them. */
export type JournalOp =
  | { op: 'create'; cid: StoreCollectionId; db: string; name: string; options: Uint8Array; indexes: Uint8Array }
  | { op: 'indexes'; cid: StoreCollectionId; indexes: Uint8Array }
  | { op: 'rename'; cid: StoreCollectionId; db: string; name: string }
  | { op: 'drop'; cid: StoreCollectionId }
  /** `payload`: BSON documents back to back (inserted or replaced versions). */
  | { op: 'put'; cid: StoreCollectionId; payload: Uint8Array }
  /** `payload`: BSON `{ ids: [idKey, ...] }`, keys as `legacyKey` made them. */
  | { op: 'delete'; cid: StoreCollectionId; payload: Uint8Array };

export interface StoredCollection extends CollectionRecord {
  id: StoreCollectionId;
  /** The live documents, in natural order, with their BSON. */
  docs: { doc: Document; raw: Uint8Array }[];
}

/**
 * The document keys the old journal recorded deletions by: today's, except for numbers no
 * double holds exactly, which it keyed by their nearest double (numeric-key.ts).
 */
export function legacyKey(value: unknown): string {
  const type = (value as { _bsontype?: string } | null)?._bsontype;
  if (type === 'Long' || type === 'Decimal128') {
    const n = Number((value as { toString(): string }).toString());
    return Number.isFinite(n) ? 'n' + (n === 0 ? '0' : String(n)) : 'x' + EJSON.stringify(value);
  }
  if (typeof value === 'bigint') return 'n' + String(Number(value));
  return valueKey(value);
}

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
      begin: this.db.prepare('BEGIN'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT engine_transaction'),
      release: this.db.prepare('RELEASE engine_transaction'),
      rollbackTo: this.db.prepare('ROLLBACK TO engine_transaction'),
    };
  }

  /** The collections stored, without their documents. */
  collections(): { id: number; db: string; name: string; options: Buffer; indexes: Buffer }[] {
    return this.statements.collections.all() as { id: number; db: string; name: string; options: Buffer; indexes: Buffer }[];
  }

  /** Each collection with its live documents (the journal replayed), one collection at a time. */
  *load(): Iterable<StoredCollection> {
    for (const row of this.collections()) {
      const { docs } = this.replay(row.id);
      yield {
        id: row.id,
        db: row.db,
        name: row.name,
        ...optionsOf(row.options),
        indexes: (deserialize(row.indexes, DESERIALIZE_OPTIONS).list ?? []) as IndexSpec[],
        docs: [...docs.values()],
      };
    }
  }

  private replay(cid: StoreCollectionId): { docs: Map<string, { doc: Document; raw: Uint8Array }>; replayed: number } {
    const docs = new Map<string, { doc: Document; raw: Uint8Array }>();
    let replayed = 0;
    for (const { kind, payload } of this.statements.journalOf.iterate(cid) as Iterable<{ kind: number; payload: Buffer }>) {
      if (kind === PUT) {
        for (let at = 0; at < payload.length;) {
          const length = payload.readInt32LE(at);
          const raw = payload.subarray(at, at + length);
          const doc = deserialize(raw, DESERIALIZE_OPTIONS);
          docs.set(legacyKey(doc._id), { doc, raw });
          replayed++;
          at += length;
        }
      } else {
        for (const id of deserialize(payload).ids as string[]) docs.delete(id);
      }
    }
    return { docs, replayed };
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
