/** Opens the app's database for a CLI command (backend selection: docs/ARCHITECTURE.md §2) and closes it after. */
import { openBackend, type Backend, type BackendOptions } from '../db/backend.js';
import { openDatabase, type Database } from '../db/connection.js';

export async function withDatabase<T>(fn: (database: Database, backend: Backend) => Promise<T>, options: BackendOptions = {}): Promise<T> {
  const backend = await openBackend(options);
  try {
    const database = await openDatabase(backend.uri, { patient: backend.kind === 'embedded' || backend.kind === 'embedded-shared' });
    try {
      return await fn(database, backend);
    } finally {
      await database.close();
    }
  } finally {
    await backend.stop();
  }
}
