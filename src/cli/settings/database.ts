/**
 * Where every command's database is (docs/CONFIGURATION.md): MONGODB_URI or `mongodbUri` in the
 * config file (a server), else the embedded engine (or a mongod) on the data directory, with
 * its document cache. Resolved before any database is opened, so a typo costs no start-up.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATA_DIR, defineSettings, resolveSettings, type Resolved, type SettingSources } from '../../config.js';
import { parseCacheSize } from '../../db/embedded/index.js';

const cacheSize = z.union([z.number(), z.string()]).transform((value, context) => {
  try {
    return parseCacheSize(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

export const DATABASE_SETTINGS = defineSettings({
  mongodbUri: {
    schema: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'expected a connection string such as mongodb://localhost:27017/shop (or mongodb+srv://...)' })
      .optional(),
    env: 'MONGODB_URI',
    file: 'mongodbUri',
  },
  dataDir: { schema: z.string().min(1, { message: 'give a folder' }).optional(), flag: '--data-dir', env: 'DATADRAGON_DATA_DIR', file: 'dataDir' },
  cacheSize: { schema: cacheSize.optional(), flag: '--cache-size', env: 'DATADRAGON_CACHE_SIZE', file: 'cacheSize' },
});

export interface DatabaseConfig {
  /** The server to use, if any (MONGODB_URI, else the file's mongodbUri). */
  mongodbUri: string | undefined;
  /** The embedded engine's (or mongod's) data directory, absolute. */
  dataDir: string;
  /** Bytes of the durable engine's document cache, when one was given. */
  cacheSize: number | undefined;
}

export function databaseConfig(values: Resolved<typeof DATABASE_SETTINGS>, cwd = process.cwd()): DatabaseConfig {
  return { mongodbUri: values.mongodbUri, dataDir: path.resolve(cwd, values.dataDir ?? DEFAULT_DATA_DIR), cacheSize: values.cacheSize };
}

/** The database settings of a command from its flags (`--cache-size`, `--data-dir` where it has them), the environment and the file. */
export function resolveDatabaseConfig(sources: SettingSources = {}): DatabaseConfig {
  return databaseConfig(resolveSettings(DATABASE_SETTINGS, sources));
}

/**
 * The environment the backend selection (db/backend.ts) reads, with MONGODB_URI set from the
 * resolved setting: a `mongodbUri` in the file counts as the variable would.
 */
export function backendEnv(config: DatabaseConfig, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { MONGODB_URI: _ignored, ...rest } = env;
  return config.mongodbUri ? { ...rest, MONGODB_URI: config.mongodbUri } : rest;
}
