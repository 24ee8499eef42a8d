/**
 * The server's settings, resolved once (src/config.ts, docs/CONFIGURATION.md): HOST, PORT,
 * ADMIN_TOKEN, NODE_ENV, ALLOWED_HOSTS and the GRAPHQL_* limits. The `serve` command's flags
 * win over them.
 */
import { z } from 'zod';
import { defineSettings, integer, resolveSettings, type Resolved } from '../config.js';

/** What one API request may ask of the server (see limits.ts, operation-guard.ts, response-size.ts). */
export interface ApiLimits {
  /** Deepest selection (introspection not counted). */
  maxDepth: number;
  /** Highest estimated cost (see limits.ts). */
  maxCost: number;
  /** Time limit of each database read an API request makes, in ms (`maxTimeMS`). */
  maxTimeMS: number;
  /** Aliased fields in one operation, fragments expanded. */
  maxAliases: number;
  /** Fields at the root of one operation, fragments expanded. */
  maxRootFields: number;
  /** Size of one JSON response body, in bytes. */
  maxResponseBytes: number;
}

export const SERVER_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 4000,
  /** Deep enough for orders → cart → lines → product, and GraphiQL's introspection (not counted). */
  maxDepth: 12,
  /** A full page of 100 customer spendings with every field costs about 7,000. */
  maxCost: 20_000,
  /** A page read on an index takes milliseconds; a count over a million unindexed documents, about a second. */
  maxTimeMS: 5_000,
  maxAliases: 30,
  maxRootFields: 20,
  /** Two full pages of 100 customer spendings are about 1.5 MB. */
  maxResponseBytes: 10 * 1024 * 1024,
} satisfies Partial<ApiLimits> & { host: string; port: number });

/** The admin token must not be guessable: at least this many characters. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** A name a browser may send in `Host`: `example.test`, `.example.test` (it and its subdomains), `[::1]`... */
const HOST_NAME = /^\.?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?$|^\[[0-9a-f:.]+\]$/i;

const allowedHostsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((name) => name.trim().toLowerCase()).filter((name) => name !== ''))
  .refine((names) => names.every((name) => HOST_NAME.test(name)), {
    message: 'expected host names separated by commas, e.g. "devbox.local,.example.test" (a leading dot allows the subdomains too; no ports, no "*")',
  });

/**
 * The server's settings (`serve`): flags for the address and the allowed hosts, the
 * environment for everything. None is read from the config file: its `host` and `port` are
 * the engine's (`datadragon db`), and a token belongs in the environment, not in a file.
 */
export const SERVER_SETTINGS = defineSettings({
  host: { schema: z.string().min(1, { message: 'give an address, e.g. 127.0.0.1' }).default(SERVER_DEFAULTS.host), flag: '--host', env: 'HOST' },
  port: { schema: integer('the port', 0, 65535).default(SERVER_DEFAULTS.port), flag: '--port', env: 'PORT' },
  adminToken: {
    schema: z
      .string()
      .min(MIN_ADMIN_TOKEN_LENGTH, { message: `the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (try: openssl rand -hex 24)` })
      .regex(/^[\x21-\x7e]+$/, { message: 'the admin token must be printable ASCII without spaces' })
      .optional(),
    env: 'ADMIN_TOKEN',
  },
  /** NODE_ENV=development: error details in responses. */
  development: { schema: z.boolean().default(false), env: 'NODE_ENV', fromEnv: (text) => text === 'development' },
  allowedHosts: { schema: allowedHostsSchema.default([]), flag: '--allowed-hosts', env: 'ALLOWED_HOSTS' },
  maxDepth: { schema: integer('the maximum query depth', 2, 100).default(SERVER_DEFAULTS.maxDepth), env: 'GRAPHQL_MAX_DEPTH' },
  maxCost: { schema: integer('the maximum query cost', 10, 10_000_000).default(SERVER_DEFAULTS.maxCost), env: 'GRAPHQL_MAX_COST' },
  maxTimeMS: { schema: integer('the time limit (ms)', 1, 3_600_000).default(SERVER_DEFAULTS.maxTimeMS), env: 'GRAPHQL_MAX_TIME_MS' },
  maxAliases: { schema: integer('the maximum number of aliases', 0, 10_000).default(SERVER_DEFAULTS.maxAliases), env: 'GRAPHQL_MAX_ALIASES' },
  maxRootFields: { schema: integer('the maximum number of root fields', 1, 10_000).default(SERVER_DEFAULTS.maxRootFields), env: 'GRAPHQL_MAX_ROOT_FIELDS' },
  maxResponseBytes: {
    schema: integer('the maximum response size (bytes)', 1024, 2 ** 31 - 1).default(SERVER_DEFAULTS.maxResponseBytes),
    env: 'GRAPHQL_MAX_RESPONSE_BYTES',
  },
});

export type ServerConfig = Resolved<typeof SERVER_SETTINGS>;
export type ServerConfigInput = { [K in keyof typeof SERVER_SETTINGS]?: z.input<(typeof SERVER_SETTINGS)[K]['schema']> };

/** Settings from `overrides` (the flags, or a test's values), then the environment, then the defaults. */
export function readServerConfig(overrides: ServerConfigInput = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return resolveSettings(SERVER_SETTINGS, { flags: overrides, env, file: {} });
}

/** The limits part of a configuration. */
export function apiLimitsOf(config: ServerConfig): ApiLimits {
  const { maxDepth, maxCost, maxTimeMS, maxAliases, maxRootFields, maxResponseBytes } = config;
  return { maxDepth, maxCost, maxTimeMS, maxAliases, maxRootFields, maxResponseBytes };
}

/** `limits` completed with the defaults. */
export function withDefaultLimits(limits: Partial<ApiLimits> = {}): ApiLimits {
  const defined = Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as Partial<ApiLimits>;
  const { maxDepth, maxCost, maxTimeMS, maxAliases, maxRootFields, maxResponseBytes } = SERVER_DEFAULTS;
  return { maxDepth, maxCost, maxTimeMS, maxAliases, maxRootFields, maxResponseBytes, ...defined };
}
