/**
 * The HTTP server's lifecycle: the job registry, Apollo (apollo.ts) on the Express app
 * (http-app.ts) with the browser pages (playground.ts), listening, and graceful drain on stop.
 *
 * Lifecycle (transitions only in `startServer` and `stop`):
 *   starting → listening → stopping → stopped
 * `stop()` drains HTTP (in-flight requests finish, idle connections close) while it cancels
 * running jobs and waits until they have stopped (staging dropped, lock released); the caller
 * then closes the database.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { Database } from '../db/index.js';
import { JobRegistry, type JobRegistryOptions } from '../jobs/index.js';
import { createLoaders, type AdminAccess, type GraphQLContext, type Loaders } from '../resolvers/index.js';
import { accessOf, authModeFor, type AuthMode } from './auth.js';
import { SERVER_DEFAULTS, withDefaultLimits, type ApiLimits } from './config.js';
import { createApollo } from './apollo.js';
import { buildHttpApp } from './http-app.js';
import { playgroundLandingPage, uiRouter, type PlaygroundOptions } from './playground.js';
import { buildAppSchema } from './schema.js';

export const GRAPHQL_PATH = '/graphql';
export const PLAYGROUND_PATH = '/playground';

export interface ServerOptions {
  database: Database;
  host?: string;
  /** 0 for any free port. */
  port?: number;
  /** Admin mutations need `Authorization: Bearer <adminToken>`; unset: allowed on loopback only. */
  adminToken?: string | undefined;
  /** Internal errors' messages and stacks in responses. */
  development?: boolean;
  maxDepth?: number;
  maxCost?: number;
  /** The API's other limits (time, response size, request shape...); defaults: SERVER_DEFAULTS. */
  limits?: Partial<ApiLimits>;
  /** Host names the server answers besides the loopback ones (see host-guard.ts). */
  allowedHosts?: readonly string[];
  /** Whether the backend keeps the data in this machine's memory: `backendHoldsData(backend.kind)` (seeding/memory.ts). */
  backendHoldsData?: boolean;
  /** How long stop() waits for running jobs and in-flight requests (default 30 s and 10 s). */
  jobStopTimeoutMs?: number;
  drainTimeoutMs?: number;
  /** Job options (tests inject failures through `host`). */
  jobs?: Omit<JobRegistryOptions, 'holdsDataInMemory'>;
  log?: (line: string) => void;
}

export type ServerState = { phase: 'starting' } | { phase: 'listening'; url: string } | { phase: 'stopping' } | { phase: 'stopped' };

export interface AppServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  readonly url: string;
  readonly playgroundUrl: string;
  readonly authMode: AuthMode;
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly jobs: JobRegistry;
  readonly state: ServerState;
  /** Drains HTTP and stops the jobs; does not close the database (its owner does). */
  stop(): Promise<void>;
}

/**
 * The context of one request. Its loaders are made when a resolver first asks for them (most
 * requests never do), with the API's time limit on their reads.
 */
export function createContext(database: Database, jobs: JobRegistry, access: AdminAccess, maxTimeMS: number = SERVER_DEFAULTS.maxTimeMS): GraphQLContext {
  let loaders: Loaders | undefined;
  return {
    database,
    jobs,
    access,
    get loaders() {
      return (loaders ??= createLoaders(database, maxTimeMS));
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startServer(options: ServerOptions): Promise<AppServer> {
  let state: ServerState = { phase: 'starting' };
  const log = options.log ?? ((line: string) => console.error(line));
  const host = options.host ?? SERVER_DEFAULTS.host;
  const authMode = authModeFor(host, options.adminToken);
  const adminToken = options.adminToken;
  const { database } = options;
  const jobs = new JobRegistry(database, { log, ...options.jobs, holdsDataInMemory: options.backendHoldsData ?? false });
  const { maxTimeMS } = withDefaultLimits(options.limits);

  const httpServer = http.createServer();
  const playground: PlaygroundOptions = { endpoint: GRAPHQL_PATH, assetsPath: `${PLAYGROUND_PATH}/assets`, tokenRequired: authMode.kind === 'token' };
  const apollo = createApollo({
    schema: await buildAppSchema(),
    development: options.development ?? false,
    maxDepth: options.maxDepth ?? SERVER_DEFAULTS.maxDepth,
    maxCost: options.maxCost ?? SERVER_DEFAULTS.maxCost,
    ...(options.limits ? { limits: options.limits } : {}),
    log,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.drainTimeoutMs ?? 10_000 }), playgroundLandingPage(playground)],
  });
  await apollo.start();

  const app = buildHttpApp({
    apollo,
    graphqlPath: GRAPHQL_PATH,
    context: (req) => createContext(database, jobs, accessOf(req.headers.authorization, adminToken), maxTimeMS),
    ui: uiRouter(PLAYGROUND_PATH, playground),
    uiPath: PLAYGROUND_PATH,
    log,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });
  httpServer.on('request', app);

  let address: AddressInfo;
  try {
    address = await listen(httpServer, options.port ?? SERVER_DEFAULTS.port, host);
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  const base = `http://${hostForUrl(host)}:${address.port}`;
  const url = `${base}${GRAPHQL_PATH}`;
  state = { phase: 'listening', url };

  let stopping: Promise<void> | undefined;
  return {
    url,
    playgroundUrl: `${base}${PLAYGROUND_PATH}`,
    authMode,
    apollo,
    jobs,
    get state() {
      return state;
    },
    stop() {
      stopping ??= (async () => {
        state = { phase: 'stopping' };
        const [, stuck] = await Promise.all([apollo.stop(), jobs.stopAll(options.jobStopTimeoutMs ?? 30_000)]);
        if (stuck.length)
          log(
            `datadragon: ${stuck.length} job(s) did not stop in time: ${stuck.map((job) => `${job.kind} ${job.id}`).join(', ')}; the next job cleans up after them`,
          );
        state = { phase: 'stopped' };
      })();
      return stopping;
    },
  };
}
