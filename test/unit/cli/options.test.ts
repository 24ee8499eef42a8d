/**
 * How each command's flags, environment and config file become its options (src/cli/settings/,
 * the server's and the seed's settings), without a database.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crunchJob, seedJob } from '../../../src/jobs/index.js';
import { readServerConfig } from '../../../src/server/index.js';
import { backendEnv, resolveDatabaseConfig } from '../../../src/cli/settings/database.js';
import { resolveDbConfig } from '../../../src/cli/settings/db.js';
import { resolveFindConfig } from '../../../src/cli/settings/find.js';
import { resolveCrunchInput } from '../../../src/cli/settings/crunch.js';

const TOKEN = 'a-token-of-24-characters';

describe('every command that opens the database', () => {
  it('defaults to the embedded engine on ./.datadragon/data', () => {
    expect(resolveDatabaseConfig({ env: {}, file: {} })).toEqual({ mongodbUri: undefined, dataDir: path.resolve('.datadragon/data'), cacheSize: undefined });
  });
  it('honours mongodbUri in the config file, with MONGODB_URI first', () => {
    const file = { mongodbUri: 'mongodb://file:27017/shop' };
    expect(resolveDatabaseConfig({ env: {}, file }).mongodbUri).toBe('mongodb://file:27017/shop');
    expect(resolveDatabaseConfig({ env: { MONGODB_URI: 'mongodb://env/shop' }, file }).mongodbUri).toBe('mongodb://env/shop');
    expect(() => resolveDatabaseConfig({ env: {}, file: { mongodbUri: 'localhost:27017' } })).toThrow(
      /^"mongodbUri" in datadragon.config.json: expected a connection string such as mongodb:\/\/localhost:27017\/shop/,
    );
  });
  it('hands the resolved server to the backend selection as MONGODB_URI', () => {
    const config = resolveDatabaseConfig({ env: {}, file: { mongodbUri: 'mongodb://file/shop' } });
    expect(backendEnv(config, { PATH: '/bin' })).toEqual({ PATH: '/bin', MONGODB_URI: 'mongodb://file/shop' });
    expect(backendEnv(resolveDatabaseConfig({ env: {}, file: {} }), { PATH: '/bin', MONGODB_URI: '' })).toEqual({ PATH: '/bin' });
  });
  it('takes the data directory and the cache size from flag, environment or file', () => {
    expect(resolveDatabaseConfig({ env: { DATADRAGON_DATA_DIR: 'env-dir' }, file: { dataDir: 'file-dir' } }).dataDir).toBe(path.resolve('env-dir'));
    expect(resolveDatabaseConfig({ env: {}, file: { dataDir: 'file-dir' } }).dataDir).toBe(path.resolve('file-dir'));
    expect(resolveDatabaseConfig({ flags: { cacheSize: '2GiB' }, env: { DATADRAGON_CACHE_SIZE: '1GiB' }, file: {} }).cacheSize).toBe(2 * 1024 ** 3);
    expect(resolveDatabaseConfig({ env: { DATADRAGON_CACHE_SIZE: '512MB' }, file: { cacheSize: 1 } }).cacheSize).toBe(512 * 1024 ** 2);
    expect(resolveDatabaseConfig({ env: {}, file: { cacheSize: 1 << 20 } }).cacheSize).toBe(1 << 20);
    expect(() => resolveDatabaseConfig({ env: { DATADRAGON_CACHE_SIZE: 'lots' }, file: {} })).toThrow(/^DATADRAGON_CACHE_SIZE: /);
  });
});

describe('serve', () => {
  it('defaults, then the environment, then the flags', () => {
    expect(readServerConfig({}, {})).toMatchObject({ host: '127.0.0.1', port: 4000, allowedHosts: [], development: false, adminToken: undefined });
    const env = { HOST: '::1', PORT: '8080', ADMIN_TOKEN: TOKEN, NODE_ENV: 'development', ALLOWED_HOSTS: 'a.test', GRAPHQL_MAX_COST: '99' };
    expect(readServerConfig({}, env)).toMatchObject({ host: '::1', port: 8080, adminToken: TOKEN, development: true, allowedHosts: ['a.test'], maxCost: 99 });
    expect(readServerConfig({ host: 'localhost', port: '9000', allowedHosts: 'B.test' }, env)).toMatchObject({
      host: 'localhost',
      port: 9000,
      allowedHosts: ['b.test'],
    });
  });
  it('names the flag or the variable a bad value came from', () => {
    expect(() => readServerConfig({ port: 'x' }, {})).toThrow(/^--port: the port must be a whole number$/);
    expect(() => readServerConfig({}, { GRAPHQL_MAX_DEPTH: '1' })).toThrow(/^GRAPHQL_MAX_DEPTH: the maximum query depth must be at least 2$/);
    expect(() => readServerConfig({}, { ADMIN_TOKEN: 'has a space in it, sadly' })).toThrow(/^ADMIN_TOKEN: the admin token must be printable ASCII/);
  });
});

describe('db', () => {
  it('defaults: loopback, 27017, durable in ./.datadragon/data', () => {
    expect(resolveDbConfig({ env: {}, file: {} })).toMatchObject({
      host: '127.0.0.1',
      port: 27017,
      maxConnections: 1000,
      dataDir: path.resolve('.datadragon/data'),
    });
  });
  it('takes host, port and maxConnections from flag, DATADRAGON_* or file', () => {
    const file = { host: '0.0.0.0', port: 27100, maxConnections: 5 };
    expect(resolveDbConfig({ env: {}, file })).toMatchObject(file);
    expect(resolveDbConfig({ env: { DATADRAGON_PORT: '27200' }, file }).port).toBe(27200);
    expect(resolveDbConfig({ flags: { port: '0' }, env: { DATADRAGON_PORT: '27200' }, file }).port).toBe(0);
    expect(() => resolveDbConfig({ flags: { maxConnections: '0' }, env: {}, file: {} })).toThrow(
      /^--max-connections: the maximum number of connections must be at least 1$/,
    );
  });
  it('in memory: no data directory, and --data-dir with it is refused', () => {
    expect(resolveDbConfig({ flags: { inMemory: true }, env: { DATADRAGON_DATA_DIR: 'x' }, file: {} }).dataDir).toBeUndefined();
    expect(() => resolveDbConfig({ flags: { inMemory: true, dataDir: 'x' }, env: {}, file: {} })).toThrow(/--data-dir and --in-memory exclude each other/);
  });
  it('keeps the credentials of the flags apart from those of the environment (only the flags turn authentication on)', () => {
    const env = { DATADRAGON_DB_USER: 'env-user', DATADRAGON_DB_PASSWORD: 'env-pass' };
    expect(resolveDbConfig({ flags: { user: 'flag-user', auth: false }, env, file: {} })).toMatchObject({
      user: 'flag-user',
      password: undefined,
      envUser: 'env-user',
      envPassword: 'env-pass',
      auth: false,
    });
  });
});

describe('seed', () => {
  it('flags over DATADRAGON_* over the file over the defaults', () => {
    const plan = seedJob.parse(
      { users: '30', seed: '1' },
      { env: { DATADRAGON_USERS: '20', DATADRAGON_PRODUCTS: '25', DATADRAGON_KEEP_ACTIVITY: 'yes' }, file: { users: 10, products: 40, maxOrders: 2 } },
    );
    expect(plan).toMatchObject({ users: 30, products: 25, maxOrders: 2, batchSize: 1000, keepActivity: true, seed: 1 });
  });
  it('names a bad value as it was given', () => {
    expect(() => seedJob.parse({ users: '0' }, { env: {}, file: {} })).toThrow(/^--users: the number of users must be at least 1$/);
    expect(() => seedJob.parse({}, { env: { DATADRAGON_MAX_ORDERS: 'six' }, file: {} })).toThrow(/^DATADRAGON_MAX_ORDERS: /);
    expect(() => seedJob.parse({}, { env: {}, file: { batchSize: 0 } })).toThrow(/^"batchSize" in datadragon.config.json: /);
  });
});

describe('crunch', () => {
  it('hands the flags to the crunch job, which checks them', () => {
    expect(resolveCrunchInput({})).toEqual({ year: null, since: null });
    expect(crunchJob.parse(resolveCrunchInput({ year: '2024', since: '2024-06-01' }))).toMatchObject({ year: 2024, since: new Date('2024-06-01T00:00:00Z') });
    expect(() => crunchJob.parse(resolveCrunchInput({ since: 'last week' }))).toThrow(/--since: 'last week' is not a date/);
  });
});

describe('find', () => {
  it('a table on a terminal (20 documents), JSON otherwise (all)', () => {
    expect(resolveFindConfig({}, true)).toEqual({ format: 'table', limit: 20, skip: 0, sort: '', fields: undefined });
    expect(resolveFindConfig({}, false)).toEqual({ format: 'json', limit: 0, skip: 0, sort: '', fields: undefined });
    expect(resolveFindConfig({ format: ' CSV ', limit: '5', skip: '10', sort: '-email', fields: 'email' }, true)).toEqual({
      format: 'csv',
      limit: 5,
      skip: 10,
      sort: '-email',
      fields: 'email',
    });
  });
  it('refuses what is not a format or a count', () => {
    expect(() => resolveFindConfig({ format: 'xml' }, true)).toThrow(/^--format: expected one of table, json, ndjson, csv, got 'xml'$/);
    expect(() => resolveFindConfig({ limit: '-1' }, true)).toThrow(/^--limit: expected a whole number \(0 or more\), got '-1'$/);
    expect(() => resolveFindConfig({ skip: 'ten' }, true)).toThrow(/^--skip: expected a whole number \(0 or more\), got 'ten'$/);
  });
});
