/** The settings of `datadragon db` (docs/CONFIGURATION.md): its address, limits, data and authentication. */
import { z } from 'zod';
import { defineSettings, integer, resolveSettings, type SettingSources } from '../../config.js';
import { UserInputError } from '../../errors.js';
import { databaseConfig, DATABASE_SETTINGS } from './database.js';

const optionalText = z.string().optional();

export const DB_SETTINGS = defineSettings({
  host: {
    schema: z.string().min(1, { message: 'give an address, e.g. 127.0.0.1' }).default('127.0.0.1'),
    flag: '--host',
    env: 'DATADRAGON_HOST',
    file: 'host',
  },
  port: { schema: integer('the port', 0, 65535).default(27017), flag: '--port', env: 'DATADRAGON_PORT', file: 'port' },
  maxConnections: {
    schema: integer('the maximum number of connections', 1, 1_000_000).default(1000),
    flag: '--max-connections',
    env: 'DATADRAGON_MAX_CONNECTIONS',
    file: 'maxConnections',
  },
  dataDir: DATABASE_SETTINGS.dataDir,
  cacheSize: DATABASE_SETTINGS.cacheSize,
  inMemory: { schema: z.boolean().default(false), flag: '--in-memory' },
  /** --auth (true), --no-auth (false), neither (undefined: the address decides). */
  auth: { schema: z.boolean().optional(), flag: '--auth' },
  // The flags turn authentication on; the variables only give the credentials once it is (db/embedded/auth/policy.ts).
  user: { schema: optionalText, flag: '--user' },
  password: { schema: optionalText, flag: '--password' },
  envUser: { schema: optionalText, env: 'DATADRAGON_DB_USER' },
  envPassword: { schema: optionalText, env: 'DATADRAGON_DB_PASSWORD' },
});

export interface DbConfig {
  host: string;
  port: number;
  maxConnections: number;
  /** Absent: in memory. */
  dataDir: string | undefined;
  cacheSize: number | undefined;
  auth: boolean | undefined;
  user: string | undefined;
  password: string | undefined;
  envUser: string | undefined;
  envPassword: string | undefined;
}

export function resolveDbConfig(sources: SettingSources = {}): DbConfig {
  if (sources.flags?.inMemory && sources.flags.dataDir !== undefined) throw new UserInputError('--data-dir and --in-memory exclude each other: choose one');
  const { inMemory, dataDir, cacheSize, ...rest } = resolveSettings(DB_SETTINGS, sources);
  const durable = inMemory ? undefined : databaseConfig({ dataDir, cacheSize, mongodbUri: undefined });
  return { ...rest, dataDir: durable?.dataDir, cacheSize: durable?.cacheSize };
}
