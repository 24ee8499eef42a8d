/** The one resolver of every command's settings (src/config.ts): precedence, types, env text, the config file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boolean, checkConfigKeys, CONFIG_FILE_KEYS, defineSettings, integer, readConfigFile, resolveOptions, resolveSettings } from '../../src/config.js';
import { SeedOptionsSchema } from '../../src/seeding/index.js';
import { DATABASE_SETTINGS } from '../../src/cli/settings/database.js';
import { DB_SETTINGS } from '../../src/cli/settings/db.js';
import { FIND_SETTINGS } from '../../src/cli/settings/find.js';
import { CRUNCH_SETTINGS } from '../../src/cli/settings/crunch.js';
import { SERVER_SETTINGS } from '../../src/server/config.js';

const SETTINGS = defineSettings({
  port: { schema: integer('the port', 0, 65535).default(4000), flag: '--port', env: 'TEST_PORT', file: 'port' },
  host: { schema: z.string().default('127.0.0.1'), flag: '--host', env: 'TEST_HOST', file: 'host' },
  verbose: { schema: boolean('--verbose').default(false), flag: '--verbose', env: 'TEST_VERBOSE' },
});

describe('precedence: flag > environment > config file > default', () => {
  const all = { flags: { port: '1' }, env: { TEST_PORT: '2' }, file: { port: 3 } };
  it('takes the flag first', () => expect(resolveSettings(SETTINGS, all).port).toBe(1));
  it('then the environment', () => expect(resolveSettings(SETTINGS, { ...all, flags: {} }).port).toBe(2));
  it('then the file', () => expect(resolveSettings(SETTINGS, { ...all, flags: {}, env: {} }).port).toBe(3));
  it('then the default', () => expect(resolveSettings(SETTINGS, { flags: {}, env: {}, file: {} })).toEqual({ port: 4000, host: '127.0.0.1', verbose: false }));
  it('treats an empty variable and a null value as not given', () => {
    expect(resolveSettings(SETTINGS, { flags: { port: null }, env: { TEST_PORT: '' }, file: { port: 3 } }).port).toBe(3);
  });
  it('reads the file only when a setting needs it', () => {
    let reads = 0;
    const file = (): Record<string, unknown> => (reads++, {});
    resolveSettings(SETTINGS, { flags: { port: '1', host: 'h' }, env: { TEST_VERBOSE: '1' }, file });
    expect(reads).toBe(0);
    resolveSettings(SETTINGS, { flags: {}, env: {}, file });
    expect(reads).toBe(1);
  });
});

describe('types and their messages, naming the value as the user gave it', () => {
  const refused = (sources: Parameters<typeof resolveSettings>[1]) => () => resolveSettings(SETTINGS, { env: {}, file: {}, ...sources });
  it('whole numbers: digits only, within bounds', () => {
    expect(resolveSettings(SETTINGS, { flags: { port: ' 8080 ' }, env: {}, file: {} }).port).toBe(8080);
    expect(refused({ flags: { port: 'eighty' } })).toThrow(/^--port: the port must be a whole number$/);
    expect(refused({ flags: { port: '1e3' } })).toThrow(/--port: the port must be a whole number/);
    expect(refused({ flags: { port: '0x10' } })).toThrow(/--port: the port must be a whole number/);
    expect(refused({ flags: { port: '1.5' } })).toThrow(/--port: the port must be a whole number/);
    expect(refused({ env: { TEST_PORT: '70000' } })).toThrow(/^TEST_PORT: the port must be at most 65535$/);
    expect(refused({ file: { port: -1 } })).toThrow(/^"port" in datadragon.config.json: the port must be at least 0$/);
    expect(refused({ file: { port: 'x' } })).toThrow(/"port" in datadragon.config.json: the port must be a whole number/);
  });
  it('switches from environment text', () => {
    for (const text of ['1', 'true', 'YES', 'on']) expect(resolveSettings(SETTINGS, { env: { TEST_VERBOSE: text }, file: {} }).verbose).toBe(true);
    for (const text of ['0', 'false', 'no', 'off']) expect(resolveSettings(SETTINGS, { env: { TEST_VERBOSE: text }, file: {} }).verbose).toBe(false);
    expect(refused({ env: { TEST_VERBOSE: 'maybe' } })).toThrow(/^TEST_VERBOSE: --verbose is on or off: give true or false/);
  });
  it('reports every bad value at once', () => {
    expect(refused({ flags: { port: 'x' }, env: { TEST_VERBOSE: 'maybe' } })).toThrow(/--port: .*\nTEST_VERBOSE: /);
  });
  it('converts the environment text where the setting says how', () => {
    const settings = defineSettings({
      development: { schema: z.boolean().default(false), env: 'NODE_ENV', fromEnv: (text: string) => text === 'development' },
    });
    expect(resolveSettings(settings, { env: { NODE_ENV: 'development' }, file: {} }).development).toBe(true);
    expect(resolveSettings(settings, { env: { NODE_ENV: 'production' }, file: {} }).development).toBe(false);
  });
  it('names a value as the caller asks (a GraphQL input field)', () => {
    expect(() => resolveSettings(SETTINGS, { flags: { port: 'x' }, env: {}, file: {}, names: { port: 'input.port' } })).toThrow(/^input.port: /);
  });
});

describe('the config file', () => {
  const made: string[] = [];
  const dir = (): string => {
    made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'dd-config-unit-')));
    return made.at(-1)!;
  };
  afterAll(() => {
    for (const at of made) fs.rmSync(at, { recursive: true, force: true });
  });

  it('is an empty object when there is none', () => expect(readConfigFile(dir(), {})).toEqual({}));
  it('is read from the current folder, or the file DATADRAGON_CONFIG names (which must exist)', () => {
    const at = dir();
    fs.writeFileSync(path.join(at, 'datadragon.config.json'), '{"users": 5}');
    fs.writeFileSync(path.join(at, 'other.json'), '{"users": 6}');
    expect(readConfigFile(at, {})).toEqual({ users: 5 });
    expect(readConfigFile(at, { DATADRAGON_CONFIG: 'other.json' })).toEqual({ users: 6 });
    expect(() => readConfigFile(at, { DATADRAGON_CONFIG: 'missing.json' })).toThrow(/cannot read the config file .*missing.json/);
  });
  it('must hold a JSON object', () => {
    const at = dir();
    fs.writeFileSync(path.join(at, 'datadragon.config.json'), '[1]');
    expect(() => readConfigFile(at, {})).toThrow(/is not valid: it must hold a JSON object/);
    fs.writeFileSync(path.join(at, 'datadragon.config.json'), '{"users": ');
    expect(() => readConfigFile(at, {})).toThrow(/is not valid/);
  });
  it('refuses unknown keys, with the known ones and the nearest', () => {
    const at = dir();
    fs.writeFileSync(path.join(at, 'datadragon.config.json'), '{"user": 5, "mongoUri": "mongodb://x", "zzz": 1}');
    const error = (() => {
      try {
        readConfigFile(at, {});
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(
      /unknown keys in the config file .*: "user" \(did you mean "users"\?\), "mongoUri" \(did you mean "mongodbUri"\?\), "zzz"; the known keys are users, maxOrders/,
    );
    expect(() => checkConfigKeys({ MaxOrders: 1 })).toThrow(/"MaxOrders" \(did you mean "maxOrders"\?\)/);
    expect(() => checkConfigKeys({ users: 1, mongodbUri: 'mongodb://x' })).not.toThrow();
  });
  it('the seed options refuse an unknown key given directly too', () => {
    expect(() => resolveOptions(SeedOptionsSchema, { flags: {}, env: {}, file: { userz: 5 } })).toThrow(/"userz" \(did you mean "users"\?\)/);
  });

  it('lists exactly the keys some command reads', () => {
    const read = new Set<string>(Object.keys(SeedOptionsSchema.shape));
    for (const settings of [DATABASE_SETTINGS, DB_SETTINGS, FIND_SETTINGS, CRUNCH_SETTINGS, SERVER_SETTINGS])
      for (const setting of Object.values(settings) as { file?: string }[]) if (setting.file) read.add(setting.file);
    expect([...read].sort()).toEqual(Object.keys(CONFIG_FILE_KEYS).sort());
  });
});
