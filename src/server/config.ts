/**
 * The server's settings, read from the environment in this one place and validated once:
 * HOST, PORT, ADMIN_TOKEN, NODE_ENV, GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_COST. The `serve`
 * command's flags win over them.
 */
import { z } from 'zod';
import { integer } from '../config.js';
import { UserInputError } from '../errors.js';

export const SERVER_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 4000,
  /** Deep enough for orders → cart → lines → product, and GraphiQL's introspection (not counted). */
  maxDepth: 12,
  /** A full page of 100 customer spendings with every field costs about 7,000. */
  maxCost: 20_000,
});

/** The admin token must not be guessable: at least this many characters. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

const ServerConfigSchema = z.object({
  host: z.string().min(1).default(SERVER_DEFAULTS.host),
  port: integer('the port', 0, 65535).default(SERVER_DEFAULTS.port),
  adminToken: z
    .string()
    .min(MIN_ADMIN_TOKEN_LENGTH, { message: `the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (try: openssl rand -hex 24)` })
    .regex(/^[\x21-\x7e]+$/, { message: 'the admin token must be printable ASCII without spaces' })
    .optional(),
  development: z.boolean().default(false),
  maxDepth: integer('the maximum query depth', 2, 100).default(SERVER_DEFAULTS.maxDepth),
  maxCost: integer('the maximum query cost', 10, 10_000_000).default(SERVER_DEFAULTS.maxCost),
});

export type ServerConfig = z.output<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

const ENV_NAMES: Record<keyof ServerConfig, string> = {
  host: 'HOST',
  port: 'PORT',
  adminToken: 'ADMIN_TOKEN',
  development: 'NODE_ENV',
  maxDepth: 'GRAPHQL_MAX_DEPTH',
  maxCost: 'GRAPHQL_MAX_COST',
};

/** Settings from `overrides` (flags), then the environment, then the defaults. */
export function readServerConfig(overrides: Partial<ServerConfigInput> = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const fromEnv: Record<string, unknown> = {
    host: env.HOST || undefined,
    port: env.PORT || undefined,
    adminToken: env.ADMIN_TOKEN || undefined,
    development: env.NODE_ENV === 'development',
    maxDepth: env.GRAPHQL_MAX_DEPTH || undefined,
    maxCost: env.GRAPHQL_MAX_COST || undefined,
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const result = ServerConfigSchema.safeParse({ ...fromEnv, ...defined });
  if (result.success) return result.data;
  throw new UserInputError(
    result.error.issues
      .map((issue) => {
        const key = String(issue.path[0] ?? '') as keyof ServerConfig;
        const source = key in defined ? `--${key.replace(/([A-Z])/g, '-$1').toLowerCase()}` : (ENV_NAMES[key] ?? key);
        return `${source}: ${issue.message}`;
      })
      .join('\n'),
  );
}
