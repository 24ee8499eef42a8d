/**
 * The server's settings, read from the environment in this one place and validated once:
 * HOST, PORT, ADMIN_TOKEN, NODE_ENV, ALLOWED_HOSTS and the GRAPHQL_* limits. The `serve`
 * command's flags win over them.
 */
import { z } from 'zod';
import { integer } from '../config.js';
import { UserInputError } from '../errors.js';

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

const ServerConfigSchema = z.object({
  host: z.string().min(1).default(SERVER_DEFAULTS.host),
  port: integer('the port', 0, 65535).default(SERVER_DEFAULTS.port),
  adminToken: z
    .string()
    .min(MIN_ADMIN_TOKEN_LENGTH, { message: `the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (try: openssl rand -hex 24)` })
    .regex(/^[\x21-\x7e]+$/, { message: 'the admin token must be printable ASCII without spaces' })
    .optional(),
  development: z.boolean().default(false),
  allowedHosts: allowedHostsSchema.default([]),
  maxDepth: integer('the maximum query depth', 2, 100).default(SERVER_DEFAULTS.maxDepth),
  maxCost: integer('the maximum query cost', 10, 10_000_000).default(SERVER_DEFAULTS.maxCost),
  maxTimeMS: integer('the time limit (ms)', 1, 3_600_000).default(SERVER_DEFAULTS.maxTimeMS),
  maxAliases: integer('the maximum number of aliases', 0, 10_000).default(SERVER_DEFAULTS.maxAliases),
  maxRootFields: integer('the maximum number of root fields', 1, 10_000).default(SERVER_DEFAULTS.maxRootFields),
  maxResponseBytes: integer('the maximum response size (bytes)', 1024, 2 ** 31 - 1).default(SERVER_DEFAULTS.maxResponseBytes),
});

export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

const ENV_NAMES: Record<keyof ServerConfig, string> = {
  host: 'HOST',
  port: 'PORT',
  adminToken: 'ADMIN_TOKEN',
  development: 'NODE_ENV',
  allowedHosts: 'ALLOWED_HOSTS',
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxCost: 'GRAPHQL_MAX_COST',
  maxTimeMS: 'GRAPHQL_MAX_TIME_MS',
  maxAliases: 'GRAPHQL_MAX_ALIASES',
  maxRootFields: 'GRAPHQL_MAX_ROOT_FIELDS',
  maxResponseBytes: 'GRAPHQL_MAX_RESPONSE_BYTES',
};

/** The flag of a setting, for messages: maxTimeMS → --max-time-ms. */
function flagOf(key: string): string {
  return `--${key
    .replace(/MS$/, 'Ms')
    .replace(/([A-Z])/g, '-$1')
    .toLowerCase()}`;
}

/** Settings from `overrides` (flags), then the environment, then the defaults. */
export function readServerConfig(overrides: Partial<ServerConfigInput> = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const fromEnv: Record<string, unknown> = Object.fromEntries(
    Object.entries(ENV_NAMES)
      .filter(([key]) => key !== 'development')
      .map(([key, name]) => [key, env[name] || undefined]),
  );
  fromEnv.development = env.NODE_ENV === 'development';
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const result = ServerConfigSchema.safeParse({ ...fromEnv, ...defined });
  if (result.success) return result.data;
  throw new UserInputError(
    result.error.issues
      .map((issue) => {
        const key = String(issue.path[0] ?? '') as keyof ServerConfig;
        const source = key in defined ? flagOf(key) : (ENV_NAMES[key] ?? key);
        return `${source}: ${issue.message}`;
      })
      .join('\n'),
  );
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
