/** Opens the app's database for a CLI command (backend selection: docs/ARCHITECTURE.md §2) and closes it after. */
import { openBackend, type Backend, openDatabase, type Database } from '../db/index.js';
import { backendEnv, resolveDatabaseConfig, type DatabaseConfig } from './settings/database.js';

/**
 * Runs `fn` on the database `config` names (default: resolved from the environment and the
 * config file, before anything is opened).
 */
export async function withDatabase<T>(fn: (database: Database, backend: Backend) => Promise<T>, config: DatabaseConfig = resolveDatabaseConfig()): Promise<T> {
  const backend = await openBackend({
    env: backendEnv(config),
    dataDir: config.dataDir,
    ...(config.cacheSize !== undefined ? { cacheSize: config.cacheSize } : {}),
  });
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
