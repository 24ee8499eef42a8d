/**
 * Which MongoDB the app talks to (DESIGN §2), chosen once at startup:
 *   1. MONGODB_URI → that server;
 *   2. a mongod binary (MONGOD_BINARY, or `mongod` on PATH) → started by mongodb-memory-server, never downloaded;
 *   3. the embedded engine on the data directory — or, when another datadragon process already
 *      runs the engine there, that engine (so `npm start` and `datadragon seed` share one database).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../config.js';
import { AppError, ErrorCodes } from '../errors.js';
import { readLockHolder, startEngineThread } from './embedded/index.js';

export type BackendKind = 'uri' | 'mongod' | 'embedded' | 'embedded-shared';

export interface Backend {
  readonly kind: BackendKind;
  readonly uri: string;
  /** One line for the log: which server this is. */
  readonly description: string;
  /** Stops what this process started (nothing for a URI or a shared engine). */
  stop(): Promise<void>;
}

export interface BackendOptions {
  env?: NodeJS.ProcessEnv;
  /** The embedded engine's data directory; default DATADRAGON_DATA_DIR or ./.datadragon/data. */
  dataDir?: string;
  /** Run the embedded engine in memory (nothing kept). */
  inMemory?: boolean;
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

async function startMongod(binary: string, dataDir: string | undefined): Promise<Backend> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: binary, checkMD5: false },
    instance: { ip: '127.0.0.1', ...(dataDir ? { dbPath: dataDir, storageEngine: 'wiredTiger' as const } : {}) },
  });
  return {
    kind: 'mongod',
    uri: server.getUri(),
    description: `mongod ${binary} at ${server.getUri()}${dataDir ? ` (data: ${dataDir})` : ' (in memory)'}`,
    stop: async () => {
      await server.stop({ doCleanup: !dataDir, force: false });
    },
  };
}

async function startEmbedded(dataDir: string | undefined): Promise<Backend> {
  const engine = await startEngineThread({ ...(dataDir ? { dataDir } : {}) });
  return {
    kind: 'embedded',
    uri: engine.uri,
    description: `the embedded engine at ${engine.uri} (${dataDir ? `data: ${dataDir}` : 'in memory: nothing is kept'})`,
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
    backend = { kind: 'uri', uri, description: `MongoDB at ${redactUri(uri)} (from MONGODB_URI)`, stop: async () => undefined };
  } else {
    const dataDir = options.inMemory ? undefined : (options.dataDir ?? defaultDataDir(env));
    const mongod = env.MONGOD_BINARY || findOnPath('mongod', env);
    if (env.MONGOD_BINARY && !fs.existsSync(env.MONGOD_BINARY)) {
      throw new AppError(ErrorCodes.UNAVAILABLE, `MONGOD_BINARY is set to ${env.MONGOD_BINARY}, which does not exist: fix the path or unset it`);
    }
    const holder = dataDir ? readLockHolder(dataDir) : undefined;
    if (mongod) backend = await startMongod(mongod, dataDir ? path.join(dataDir, 'mongod') : undefined);
    else if (holder?.uri) {
      backend = {
        kind: 'embedded-shared',
        uri: holder.uri,
        description: `the embedded engine already running at ${holder.uri} (pid ${holder.pid}, data: ${dataDir})`,
        stop: async () => undefined,
      };
    } else backend = await startEmbedded(dataDir);
  }
  log(`datadragon: database: ${backend.description}`);
  return backend;
}
