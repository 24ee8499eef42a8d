/**
 * Reset (DESIGN §4): empties every datadragon collection and keeps the collections and their
 * indexes, or drops the whole database. Refused while a seed or crunch runs.
 */
import type { Database } from '../db/connection.js';
import { acquireJobLock } from '../jobs/job-lock.js';
import { DATADRAGON_COLLECTIONS } from '../models/index.js';

export interface ResetResult {
  /** Documents deleted per collection (empty when the database was dropped). */
  deleted: Record<string, number>;
  dropped: boolean;
}

export async function resetDatabase(database: Database, options: { drop?: boolean } = {}): Promise<ResetResult> {
  const lock = await acquireJobLock(database.db, 'reset');
  try {
    if (options.drop) {
      await lock.release(); // the lock lives in this database: let it go with it
      await database.db.dropDatabase();
      return { deleted: {}, dropped: true };
    }
    const existing = new Set((await database.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    const deleted: Record<string, number> = {};
    for (const name of DATADRAGON_COLLECTIONS) {
      if (!existing.has(name)) continue;
      deleted[name] = (await database.db.collection(name).deleteMany({})).deletedCount;
    }
    return { deleted, dropped: false };
  } finally {
    await lock.release();
  }
}
