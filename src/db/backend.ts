/**
 * Which MongoDB the app talks to (docs/ARCHITECTURE.md §2), chosen once at startup:
 *   1. MONGODB_URI → that server;
 *   2. a mongod binary (MONGOD_BINARY, or `mongod` on PATH) → started by mongodb-memory-server, never downloaded;
 *   3. the embedded engine on the data directory — or, when another datadragon process already
 *      runs the engine there, that engine (so `npm start` and `datadragon seed` share one database).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../config.js';
import { AppError, ErrorCodes, UserInputError } from '../errors.js';
import { defaultCacheSize, formatBytes, parseCacheSize, readLockHolder, startEngineThread } from './embedded/index.js';

export type BackendKind = 'uri' | 'mongod' | 'embedded' | 'embedded-shared';

export interface Backend {
  readonly kind: BackendKind;
  readonly uri: string;
  /** One line for the log: which server this is. */
  readonly description: string;
  /**
   * Whether this server keeps the data in this process's memory, so that this machine's
   * memory bounds it: only the embedded engine in memory. A durable one keeps it on disk
   * behind a bounded cache.
   */
  readonly holdsDataInMemory: boolean;
  /** Stops what this process started (nothing for a URI or a shared engine). */
  stop(): Promise<void>;
}

export interface BackendOptions {
  env?: NodeJS.ProcessEnv;
  /** The embedded engine's data directory; default DATADRAGON_DATA_DIR or ./.datadragon/data. */
  dataDir?: string;
  /** Run the embedded engine in memory (nothing kept). */
  inMemory?: boolean;
  /**
   * The durable embedded engine's document cache: bytes or a size such as "512MB", as the
   * caller resolved it (src/cli/settings/database.ts); default derived from the machine's
   * memory (db/embedded/storage/cache-size.ts).
   */
  cacheSize?: number | string;
  log?: (line: string) => void;
}

function findOnPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Hides credentials before a URI is logged. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}

/**
 * Creates the data directory and its missing parents, one at a time: Node's recursive mkdir
 * never returns on some paths (under /proc it gets ENOENT for every try and tries again), and
 * a path that cannot be a directory must be a clear error, not a hang.
 */
export function createDataDir(dataDir: string): void {
  const missing: string[] = [];
  for (let dir = path.resolve(dataDir); !fs.existsSync(dir); dir = path.dirname(dir)) {
    missing.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(dir).isDirectory()) continue;
      throw new AppError(
        ErrorCodes.UNAVAILABLE,
        `cannot create the data directory ${dataDir} (${(error as Error).message}): set DATADRAGON_DATA_DIR (or --data-dir) to a folder this user can write, or set MONGODB_URI`,
        {},
        { cause: error },
      );
    }
  }
  if (!fs.statSync(dataDir).isDirectory())
    throw new AppError(ErrorCodes.UNAVAILABLE, `the data directory ${dataDir} is a file, not a folder: set DATADRAGON_DATA_DIR (or --data-dir) to a folder`);
}

async function startMongod(binary: string, dataDir: string | undefined): Promise<Backend> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  if (dataDir) createDataDir(dataDir);
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: binary, checkMD5: false },
    instance: { ip: '127.0.0.1', ...(dataDir ? { dbPath: dataDir, storageEngine: 'wiredTiger' as const } : {}) },
  });
  return {
    kind: 'mongod',
    holdsDataInMemory: false,
    uri: server.getUri(),
    description: `mongod ${binary} at ${server.getUri()}${dataDir ? ` (data: ${dataDir})` : ' (in memory)'}`,
    stop: async () => {
      await server.stop({ doCleanup: !dataDir, force: false });
    },
  };
}

/**
 * The document cache a durable engine gets: the option (resolved at the edge from --cache-size,
 * DATADRAGON_CACHE_SIZE or the config file: src/cli/settings/database.ts), else the default.
 */
export function resolveCacheSize(option: number | string | undefined): number {
  if (option === undefined) return defaultCacheSize();
  try {
    return parseCacheSize(option);
  } catch (error) {
    throw new UserInputError(`--cache-size: ${(error as Error).message}`);
  }
}

async function startEmbedded(dataDir: string | undefined, cacheSize: number | undefined): Promise<Backend> {
  const engine = await startEngineThread({ ...(dataDir ? { dataDir, cacheSize } : {}) });
  const where = dataDir ? `data: ${dataDir}, document cache ${formatBytes(engine.cacheSize)}` : 'in memory: nothing is kept';
  return {
    kind: 'embedded',
    holdsDataInMemory: !dataDir,
    uri: engine.uri,
    description: `the embedded engine at ${engine.uri} (${where})`,
    stop: () => engine.stop(),
  };
}

/** Whether openBackend would use the embedded engine (which holds the data in this machine's memory). */
export function usesEmbeddedEngine(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.MONGODB_URI && !env.MONGOD_BINARY && !findOnPath('mongod', env);
}

export async function openBackend(options: BackendOptions = {}): Promise<Backend> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  let backend: Backend;
  if (env.MONGODB_URI) {
    const uri = env.MONGODB_URI;
    backend = { kind: 'uri', holdsDataInMemory: false, uri, description: `MongoDB at ${redactUri(uri)} (from MONGODB_URI)`, stop: async () => undefined };
  } else {
    const dataDir = options.inMemory ? undefined : (options.dataDir ?? defaultDataDir(env));
    const mongod = env.MONGOD_BINARY || findOnPath('mongod', env);
    if (env.MONGOD_BINARY && !fs.existsSync(env.MONGOD_BINARY)) {
      throw new AppError(ErrorCodes.UNAVAILABLE, `MONGOD_BINARY is set to ${env.MONGOD_BINARY}, which does not exist: fix the path or unset it`);
    }
    if (dataDir) createDataDir(dataDir); // before anything else creates it (see createDataDir)
    const holder = dataDir ? readLockHolder(dataDir) : undefined;
    if (mongod) backend = await startMongod(mongod, dataDir ? path.join(dataDir, 'mongod') : undefined);
    else if (holder?.uri) {
      backend = {
        kind: 'embedded-shared',
        holdsDataInMemory: false, // found through the lock of a data directory: durable
        uri: holder.uri,
        description: `the embedded engine already running at ${holder.uri} (pid ${holder.pid}, data: ${dataDir})`,
        stop: async () => undefined,
      };
    } else backend = await startEmbedded(dataDir, dataDir ? resolveCacheSize(options.cacheSize) : undefined);
  }
  log(`datadragon: database: ${backend.description}`);
  return backend;
}
