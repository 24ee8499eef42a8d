/**
 * Old data directories (a `datadragon.sqlite` journal, legacy-journal.ts) are converted to the
 * LMDB storage the first time the engine opens them: every collection with its options, uuid,
 * documents (their BSON as stored) and indexes, reporting progress. The conversion is written
 * to `storage-converting/` and renamed to `storage/` only once complete, so an interrupted one
 * starts again from the old journal, which is kept, renamed `datadragon.sqlite.converted`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../storage/catalog.js';
import { valueKey } from '../storage/value-key.js';
import { SqliteJournal, STORE_FILE } from './legacy-journal.js';
import { LmdbStore, STORAGE_DIR } from './lmdb-store.js';

/** Documents per write transaction of the conversion. */
const BATCH = 10_000;
export const CONVERTED_SUFFIX = '.converted';

/** Whether `dataDir` holds an old journal not yet converted. */
export function needsConversion(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, STORE_FILE));
}

/**
 * Converts the old journal of `dataDir` (when there is one) to `storage/`. `report` gets the
 * progress lines. Throws with what to do when the journal cannot be read; never deletes it.
 */
export async function convertLegacyDirectory(dataDir: string, report: (line: string) => void): Promise<void> {
  const journalFile = path.join(dataDir, STORE_FILE);
  if (!fs.existsSync(journalFile)) return;
  const target = path.join(dataDir, STORAGE_DIR);
  if (fs.existsSync(path.join(target, 'data.mdb'))) {
    // Converted before, and stopped before the journal was set aside.
    setAside(dataDir);
    return;
  }
  const staging = path.join(dataDir, `${STORAGE_DIR}-converting`);
  fs.rmSync(staging, { recursive: true, force: true });
  report(`datadragon: converting ${dataDir} to the new storage format (once; the old journal is kept as ${STORE_FILE}${CONVERTED_SUFFIX})`);
  const started = Date.now();
  let journal: SqliteJournal;
  try {
    journal = new SqliteJournal(dataDir);
  } catch (error) {
    throw new Error(
      `cannot read the old journal ${journalFile} to convert it (${error instanceof Error ? error.message : String(error)}): move it out of ${dataDir} to start with an empty database, or open it with the datadragon version that wrote it and export the data`,
      { cause: error },
    );
  }
  const store = new LmdbStore(staging, { cacheSize: 64 * 2 ** 20 });
  let total = 0;
  try {
    const catalog = new Catalog(store);
    for (const stored of journal.load()) {
      const ns = `${stored.db}.${stored.name}`;
      const collection = store.transaction(() => catalog.create(stored.db, stored.name, stored.options, [], stored.uuid));
      for (let at = 0; at < stored.docs.length; at += BATCH) {
        store.transaction(() => {
          for (const { doc, raw } of stored.docs.slice(at, at + BATCH)) collection.docs.set(valueKey(doc._id), doc, raw);
        });
        total += Math.min(BATCH, stored.docs.length - at);
        if (stored.docs.length > BATCH)
          report(
            `datadragon: converting ${ns}: ${Math.min(at + BATCH, stored.docs.length).toLocaleString('en-US')} of ${stored.docs.length.toLocaleString('en-US')} documents`,
          );
      }
      store.transaction(() => {
        for (const spec of stored.indexes) collection.addIndex(spec);
        collection.persistIndexes();
      });
      store.cache.clear();
    }
  } catch (error) {
    await store.close().catch(() => undefined);
    journal.close();
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `could not convert ${dataDir} to the new storage format (${error instanceof Error ? error.message : String(error)}); nothing was changed: fix the cause (disk space?) and start again`,
      {
        cause: error,
      },
    );
  }
  await store.close();
  journal.close();
  fs.renameSync(staging, target);
  setAside(dataDir);
  report(`datadragon: converted ${total.toLocaleString('en-US')} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Renames the old journal's files out of the way (kept: nothing is deleted). */
function setAside(dataDir: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    const file = path.join(dataDir, STORE_FILE + suffix);
    if (fs.existsSync(file)) fs.renameSync(file, path.join(dataDir, STORE_FILE + CONVERTED_SUFFIX + suffix));
  }
}
