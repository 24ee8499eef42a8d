/**
 * Databases and their collections. Names are validated here, as mongod does, so that every
 * command gets the same InvalidNamespace errors.
 */
import { UUID, type Document } from 'bson';
import { CommandError } from '../errors.js';
import type { Store, StoreCollectionId } from './store.js';
import { Collection } from './collection.js';
import type { IndexSpec } from './index-spec.js';

export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();

  constructor(readonly store: Store) {
    // An undone transaction (a failed command, a full disk) leaves the store as it was: so
    // must the catalog be.
    store.onAbort(() => {
      this.databases.clear();
      this.loadFromStore();
    });
  }

  /**
   * Rebuilds the catalog from the store (at startup: only the catalog is read, never the
   * documents). Returns the temporary collections it leaves out (a long write cut short), for
   * dropLeftovers at startup.
   */
  loadFromStore(): StoreCollectionId[] {
    const leftovers: StoreCollectionId[] = [];
    for (const stored of this.store.load()) {
      if (stored.temporary) {
        leftovers.push(stored.id);
        continue;
      }
      const collection = new Collection(stored.db, stored.name, stored.options, stored.id, this.store, stored.uuid);
      for (const spec of stored.indexes) collection.restoreIndex(spec);
      this.collectionsOf(stored.db, true)!.set(stored.name, collection);
    }
    return leftovers;
  }

  /**
   * Drops what a long write that was cut short left behind (an $out's staging collection, or
   * the target it had replaced, or a drop half done): at startup, in steps. Best effort: on a
   * full disk what cannot be dropped stays for the next open, and the engine opens all the same
   * (temporary collections are never listed). Returns how many were dropped, and the error that
   * kept the others.
   */
  dropLeftovers(leftovers: readonly StoreCollectionId[]): { dropped: number; failed?: unknown } {
    let dropped = 0;
    for (const id of leftovers) {
      try {
        this.store.dropCollection(id);
        dropped++;
      } catch (error) {
        return { dropped, failed: error };
      }
    }
    return { dropped };
  }

  databaseNames(): string[] {
    return [...this.databases.keys()].filter((name) => (this.databases.get(name)?.size ?? 0) > 0);
  }

  collectionsOf(db: string, create = false): Map<string, Collection> | undefined {
    let collections = this.databases.get(db);
    if (!collections && create) {
      validateDatabaseName(db);
      collections = new Map();
      this.databases.set(db, collections);
    }
    return collections;
  }

  get(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created (implicitly, as inserts and createIndexes do) when missing. */
  getOrCreate(db: string, name: string): Collection {
    return this.get(db, name) ?? this.create(db, name, {});
  }

  /** `temporary`: dropped at the store's next open unless renamed first (store.ts). */
  create(db: string, name: string, options: Document, indexes: IndexSpec[] = [], uuid = new UUID(), temporary = false): Collection {
    validateCollectionName(name);
    const collections = this.collectionsOf(db, true)!;
    if (collections.has(name)) throw new CommandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    const id = this.store.createCollection({ db, name, options, indexes, uuid, ...(temporary ? { temporary } : {}) });
    const collection = new Collection(db, name, options, id, this.store, uuid);
    collections.set(name, collection);
    return collection;
  }

  drop(db: string, name: string): Collection | undefined {
    const collections = this.databases.get(db);
    const collection = collections?.get(name);
    if (!collection) return undefined;
    collections!.delete(name);
    this.store.dropCollection(collection.storeId);
    return collection;
  }

  dropDatabase(db: string): void {
    const collections = this.databases.get(db);
    if (!collections) return;
    for (const collection of collections.values()) this.store.dropCollection(collection.storeId);
    this.databases.delete(db);
  }

  /**
   * Puts `source` in place of `db.target` in one step: how $out and renameCollection replace
   * a collection atomically. The old target, if any, is dropped, or with `retire` only taken
   * out of the catalog and marked temporary in the store, for the caller to drop once the
   * swap is committed (a large drop in its own steps); its store id is returned.
   */
  replaceWith(source: Collection, target: string, retire = false): StoreCollectionId | undefined {
    validateCollectionName(target);
    const collections = this.collectionsOf(source.db, true)!;
    const old = collections.get(target);
    let retired: StoreCollectionId | undefined;
    if (old && old !== source) {
      if (retire) {
        collections.delete(target);
        this.store.renameCollection(old.storeId, old.db, `${target}.replaced.${old.storeId}`, true);
        retired = old.storeId;
      } else this.drop(source.db, target);
    }
    collections.delete(source.name);
    source.name = target;
    collections.set(target, source);
    this.store.renameCollection(source.storeId, source.db, target);
    return retired;
  }
}

const BAD_DB_CHARS = /[/\\. "$*<>:|?\0]/;

export function validateDatabaseName(db: string): void {
  if (typeof db !== 'string' || db.length === 0 || db.length > 63 || BAD_DB_CHARS.test(db)) {
    throw new CommandError('InvalidNamespace', `Invalid database name: '${String(db)}'`);
  }
}

export function validateCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0') || name.startsWith('.') || (name.includes('$') && !name.startsWith('system.'))) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: '${String(name)}'`);
  }
}
