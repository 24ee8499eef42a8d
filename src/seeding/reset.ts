/**
 * Reset (docs/ARCHITECTURE.md §4.3): every datadragon collection emptied, its indexes kept. Done the way a
 * seed replaces data: an empty copy of each collection, with the same options and indexes, is
 * made under a staging name, and the reset job swaps the copies in at the end (so a reset
 * stopped half-way has deleted nothing, and it costs the same for ten documents or ten
 * million).
 */
import type { CreateIndexesOptions, Db, Document, IndexDescription } from 'mongodb';
import { DATADRAGON_COLLECTIONS } from '../models/index.js';
import { PARTS_COLLECTION } from './part-records.js';
import { PART_COLLECTION_PREFIX } from './parts.js';

export interface ResetResult {
  /** Documents deleted per collection (empty when the database was dropped). */
  deleted: Record<string, number>;
  dropped: boolean;
}

/** The datadragon collections this database has, with their document counts. */
export async function datadragonCollections(db: Db): Promise<Record<string, number>> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const counts: Record<string, number> = {};
  for (const name of DATADRAGON_COLLECTIONS) if (existing.has(name)) counts[name] = await db.collection(name).countDocuments();
  return counts;
}

/**
 * What the parts of a seed (`seed --part`) have written and not yet finished: their activity
 * collections and their records, with their document counts. A reset removes them with the rest.
 */
export async function partCollections(db: Db): Promise<Record<string, number>> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  const counts: Record<string, number> = {};
  for (const name of names.sort()) {
    if (name === PARTS_COLLECTION || name.startsWith(PART_COLLECTION_PREFIX)) counts[name] = await db.collection(name).countDocuments();
  }
  return counts;
}

/** Index options worth copying (not the name-space bookkeeping listIndexes adds). */
function indexOptions(index: Document): CreateIndexesOptions {
  const { key: _key, v: _v, ns: _ns, ...options } = index;
  return options as CreateIndexesOptions;
}

/** Makes `copy`: an empty collection with `source`'s options and indexes. */
export async function emptyCopy(db: Db, source: string, copy: string): Promise<void> {
  const [info] = await db.listCollections({ name: source }).toArray();
  await db
    .collection(copy)
    .drop()
    .catch(() => undefined);
  const options = ((info as { options?: Document } | undefined)?.options ?? {}) as Document;
  await db.createCollection(copy, options);
  const indexes = (await db.collection(source).indexes()).filter((index) => index.name !== '_id_');
  if (indexes.length) {
    await db.collection(copy).createIndexes(indexes.map((index) => ({ key: index.key, ...indexOptions(index) }) as IndexDescription));
  }
}
