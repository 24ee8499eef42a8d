/**
 * Options are read in one place and validated once. Each option can come from a command-line
 * flag, an environment variable (DATADRAGON_<NAME>) or the config file (datadragon.config.json,
 * or DATADRAGON_CONFIG), in that order of precedence, then its default.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserInputError } from './errors.js';

export const CONFIG_FILE = 'datadragon.config.json';

export type Source = 'flag' | 'env' | 'file' | 'default';

/** DATADRAGON_MAX_ORDERS for maxOrders. */
export function envName(option: string): string {
  return 'DATADRAGON_' + option.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function readConfigFile(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const file = env.DATADRAGON_CONFIG ? path.resolve(cwd, env.DATADRAGON_CONFIG) : path.join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !env.DATADRAGON_CONFIG) return {};
    throw new UserInputError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it must hold a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new UserInputError(`the config file ${file} is not valid: ${(error as Error).message}`);
  }
}

export interface ResolveInput {
  flags: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  file?: Record<string, unknown>;
  /** The flag spelling of each option, for messages (maxOrders → --max-orders). */
  flagNames?: Record<string, string>;
}

/**
 * Merges flags, environment and file for the keys of `schema`, then validates with it.
 * Environment values are strings: the schema coerces them (use z.coerce for numbers).
 */
export function resolveOptions<S extends z.ZodObject>(schema: S, input: ResolveInput): z.infer<S> {
  const env = input.env ?? process.env;
  const file = input.file ?? {};
  const merged: Record<string, unknown> = {};
  const sources: Record<string, Source> = {};
  for (const key of Object.keys(schema.shape)) {
    if (input.flags[key] !== undefined) [merged[key], sources[key]] = [input.flags[key], 'flag'];
    else if (env[envName(key)] !== undefined && env[envName(key)] !== '') [merged[key], sources[key]] = [env[envName(key)], 'env'];
    else if (file[key] !== undefined) [merged[key], sources[key]] = [file[key], 'file'];
  }
  const unknownFileKeys = Object.keys(file).filter((key) => !(key in schema.shape) && !KNOWN_FILE_KEYS.has(key));
  if (unknownFileKeys.length) throw new UserInputError(`unknown option(s) in ${CONFIG_FILE}: ${unknownFileKeys.join(', ')}`);
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const where = sources[key] === 'env' ? ` (from ${envName(key)})` : sources[key] === 'file' ? ` (from ${CONFIG_FILE})` : '';
    const name = input.flagNames?.[key] ?? `--${key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
    return `${name}${where}: ${issue.message}`;
  });
  throw new UserInputError(problems.join('\n'));
}

/** Keys any command may find in the shared config file. */
const KNOWN_FILE_KEYS = new Set([
  'users',
  'maxOrders',
  'products',
  'year',
  'seed',
  'workers',
  'batchSize',
  'locale',
  'keepActivity',
  'dataDir',
  'host',
  'port',
  'mongodbUri',
  'cacheSize',
]);

/** The data directory of the embedded engine: DATADRAGON_DATA_DIR, else ./.datadragon/data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env.DATADRAGON_DATA_DIR || path.join('.datadragon', 'data'));
}

/** A whole number within bounds, from a flag string, env string or number. */
export function integer(label: string, min: number, max: number) {
  return z.coerce
    .number({ error: `${label} must be a whole number` })
    .refine((n) => Number.isInteger(n), { message: `${label} must be a whole number` })
    .refine((n) => n >= min, { message: `${label} must be at least ${min}` })
    .refine((n) => n <= max, { message: `${label} must be at most ${max}` });
}
