/**
 * Configuration, parsed once at the edge into typed values (docs/CONFIGURATION.md). Each
 * command declares its settings (a `Settings` record: type, validation and default in a zod
 * schema, and the flag, environment variable and config-file key it may come from), and
 * `resolveSettings` reads them all in one order of precedence:
 *
 *   flag > environment variable > config file > default
 *
 * The config file (datadragon.config.json in the current folder, or the file DATADRAGON_CONFIG
 * names) is shared by every command: a key is known when some command reads it
 * (CONFIG_FILE_KEYS), and any other key is refused with the list of known ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserInputError } from './errors.js';

export const CONFIG_FILE = 'datadragon.config.json';

/**
 * Every key the config file may hold, and the commands that read it. A new setting read from
 * the file is added here (test/unit/config.test.ts checks that each settings' file key is listed).
 */
export const CONFIG_FILE_KEYS = Object.freeze({
  users: 'seed',
  maxOrders: 'seed',
  products: 'seed',
  year: 'seed',
  seed: 'seed',
  workers: 'seed',
  batchSize: 'seed',
  locale: 'seed',
  keepActivity: 'seed',
  mongodbUri: 'every command that opens the database (as MONGODB_URI)',
  dataDir: 'every command that opens the database, and db',
  cacheSize: 'every command that starts the embedded engine, and db',
  host: 'db',
  port: 'db',
  maxConnections: 'db',
} as const);

export type ConfigFileKey = keyof typeof CONFIG_FILE_KEYS;

/** One setting of a command: what it is, where it may come from. */
export interface Setting<T extends z.ZodType = z.ZodType> {
  /** Its type, validation (messages that say what to give) and default. */
  schema: T;
  /** Its flag, as the user types it (`--max-orders`); commander parses the flags themselves. */
  flag?: string;
  /** The environment variable it may come from. */
  env?: string;
  /** The config-file key it may come from (one of CONFIG_FILE_KEYS). */
  file?: ConfigFileKey;
  /** How the environment variable's text becomes the value the schema checks (default: the text). */
  fromEnv?: (text: string) => unknown;
}

export type Settings = Record<string, Setting>;

/** The typed values of `S`. */
export type Resolved<S extends Settings> = { [K in keyof S]: z.output<S[K]['schema']> };

/** Declares a command's settings (the identity, for the types). */
export function defineSettings<S extends Settings>(settings: S): S {
  return settings;
}

export interface SettingSources {
  /** The flags as commander gives them (camelCase keys); undefined is "not given". */
  flags?: Record<string, unknown>;
  /** Default process.env. An empty variable is "not set". */
  env?: NodeJS.ProcessEnv;
  /** The config file's object, or what reads it (only called when a setting reads the file); default readConfigFile(). */
  file?: Record<string, unknown> | (() => Record<string, unknown>);
  /** Names for the messages, by setting key, instead of the flag (`input.users` for GraphQL). */
  names?: Record<string, string>;
}

type Source = 'flag' | 'env' | 'file' | 'default';

/**
 * The values of `settings`, each from the first of flag, environment, file and default that
 * gives one, validated by its schema. Every invalid value is reported at once, each named as
 * the user gave it (`--port`, `PORT`, `"port" in datadragon.config.json`).
 */
export function resolveSettings<S extends Settings>(settings: S, sources: SettingSources = {}): Resolved<S> {
  const flags = sources.flags ?? {};
  const env = sources.env ?? process.env;
  let file: Record<string, unknown> | undefined;
  const fileValues = (): Record<string, unknown> => (file ??= typeof sources.file === 'function' ? sources.file() : (sources.file ?? readConfigFile()));
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, setting] of Object.entries(settings)) {
    const [raw, source] = pick(key, setting, flags, env, fileValues);
    const result = setting.schema.safeParse(raw);
    if (result.success) values[key] = result.data;
    else {
      const label = labelOf(key, setting, source, sources.names);
      for (const issue of result.error.issues) problems.push(`${label}: ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new UserInputError(problems.join('\n'));
  return values as Resolved<S>;
}

function pick(key: string, setting: Setting, flags: Record<string, unknown>, env: NodeJS.ProcessEnv, file: () => Record<string, unknown>): [unknown, Source] {
  if (flags[key] !== undefined && flags[key] !== null) return [flags[key], 'flag'];
  const text = setting.env ? env[setting.env] : undefined;
  if (text !== undefined && text !== '') return [setting.fromEnv ? setting.fromEnv(text) : text, 'env'];
  if (setting.file) {
    const value = file()[setting.file];
    if (value !== undefined && value !== null) return [value, 'file'];
  }
  return [undefined, 'default'];
}

function labelOf(key: string, setting: Setting, source: Source, names: Record<string, string> = {}): string {
  if (source === 'env') return setting.env!;
  if (source === 'file') return `"${setting.file}" in ${CONFIG_FILE}`;
  return names[key] ?? setting.flag ?? setting.env ?? key;
}

/** DATADRAGON_MAX_ORDERS for maxOrders. */
export function envName(option: string): string {
  return 'DATADRAGON_' + option.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** --max-orders for maxOrders. */
export function flagName(option: string): string {
  return `--${option.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

/**
 * The config file's object: `DATADRAGON_CONFIG` (which must exist), else datadragon.config.json
 * in `cwd` (none is an empty object). Keys no command reads are refused, with the known ones.
 */
export function readConfigFile(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const file = env.DATADRAGON_CONFIG ? path.resolve(cwd, env.DATADRAGON_CONFIG) : path.join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !env.DATADRAGON_CONFIG) return {};
    throw new UserInputError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it must hold a JSON object');
  } catch (error) {
    throw new UserInputError(`the config file ${file} is not valid: ${(error as Error).message}`);
  }
  checkConfigKeys(parsed as Record<string, unknown>, file);
  return parsed as Record<string, unknown>;
}

/** Refuses the keys of `object` that are not CONFIG_FILE_KEYS, suggesting the nearest known one. */
export function checkConfigKeys(object: Record<string, unknown>, file: string = CONFIG_FILE): void {
  const known = Object.keys(CONFIG_FILE_KEYS);
  const unknown = Object.keys(object).filter((key) => !Object.hasOwn(CONFIG_FILE_KEYS, key));
  if (unknown.length === 0) return;
  const described = unknown.map((key) => {
    const near = nearest(key, known);
    return near ? `"${key}" (did you mean "${near}"?)` : `"${key}"`;
  });
  throw new UserInputError(
    `unknown key${unknown.length > 1 ? 's' : ''} in the config file ${file}: ${described.join(', ')}; the known keys are ${known.join(', ')}`,
  );
}

/** The known word closest to `word` (case aside, or at most two edits away), if any. */
function nearest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: [string, number] | undefined;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best[1])) best = [candidate, distance];
  }
  return best?.[0];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * A zod object of options, each read from its flag (`--max-orders`), its DATADRAGON_* variable
 * and the same key in the config file: the seed's options, whose schema the seeding module
 * owns and which the CLI and the GraphQL mutation share (jobs/kinds/seed.ts).
 */
export interface ResolveInput {
  flags: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  file?: Record<string, unknown>;
  /** The name of each option in messages, instead of its flag (maxOrders → input.maxOrders). */
  flagNames?: Record<string, string>;
}

/** The settings of a zod object whose every key is read from --<key>, DATADRAGON_<KEY> and <key> in the file. */
export function settingsOfObject<S extends z.ZodObject>(schema: S): { [K in keyof S['shape']]: Setting<S['shape'][K]> } {
  const settings: Record<string, Setting> = {};
  for (const [key, type] of Object.entries(schema.shape)) {
    settings[key] = {
      schema: type as z.ZodType,
      flag: flagName(key),
      env: envName(key),
      ...(Object.hasOwn(CONFIG_FILE_KEYS, key) ? { file: key as ConfigFileKey } : {}),
    };
  }
  return settings as { [K in keyof S['shape']]: Setting<S['shape'][K]> };
}

export function resolveOptions<S extends z.ZodObject>(schema: S, input: ResolveInput): z.infer<S> {
  if (input.file) checkConfigKeys(input.file);
  return resolveSettings(settingsOfObject(schema), {
    flags: input.flags,
    ...(input.env ? { env: input.env } : {}),
    file: input.file ?? {},
    ...(input.flagNames ? { names: input.flagNames } : {}),
  }) as z.infer<S>;
}

/** The data directory of the embedded engine: DATADRAGON_DATA_DIR, else ./.datadragon/data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env.DATADRAGON_DATA_DIR || DEFAULT_DATA_DIR);
}

export const DEFAULT_DATA_DIR = path.join('.datadragon', 'data');

/**
 * A whole number within bounds, from a number or a flag's, variable's or file's text. Text
 * must be decimal digits (with a sign): "1e3", "0x10" or "" are typos, not numbers.
 */
export function integer(label: string, min: number, max: number) {
  const whole = `${label} must be a whole number`;
  return z
    .union(
      [
        z.number({ error: whole }),
        z
          .string()
          .regex(/^\s*[+-]?\d+\s*$/, { message: whole })
          .transform(Number),
      ],
      { error: whole },
    )
    .refine((n) => Number.isInteger(n), { message: whole })
    .refine((n) => n >= min, { message: `${label} must be at least ${min}` })
    .refine((n) => n <= max, { message: `${label} must be at most ${max}` });
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** A switch: true or false, or from text (an environment variable) true/1/yes/on or false/0/no/off. */
export function boolean(label: string) {
  return z.union(
    [
      z.boolean(),
      z
        .string()
        .transform((text) => text.trim().toLowerCase())
        .refine((text) => TRUE.includes(text) || FALSE.includes(text), { message: `${label} is on or off: give true or false (or 1/0, yes/no)` })
        .transform((text) => TRUE.includes(text)),
    ],
    { error: `${label} is on or off: give true or false` },
  );
}
