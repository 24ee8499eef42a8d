/**
 * The public API bounds its own work: alias, root
 * field, repeat and fragment bombs refused before validation; a cost limit that holds at any
 * size; operation types the schema does not serve answered 400; the response size limit; the
 * time limit sent with every read and its error mapped; a busy or unreachable database
 * answered SERVICE_UNAVAILABLE with a retry hint; patient connections; a cheap health check.
 *
 * Through the real HTTP server on the shared test server, in databases of their own.
 */
import { MongoServerError, MongoServerSelectionError } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/connection.js';
import { startServer, type AppServer } from '../../../src/server/index.js';
import { toGraphQLError } from '../../../src/server/errors.js';
import { failedRead } from '../../../src/spending/queries.js';
import { freezableProxy, mongoUri, uniqueDbName } from '../../helpers/database.js';
import { openServiceDatabase } from '../../helpers/seeded.js';
import { rawRequest, startApiServer, type ApiServer } from '../../helpers/api-server.js';
import { codesOf, post } from '../../helpers/graphql.js';

let database: Database;
let server: AppServer;

beforeAll(async () => {
  database = await openServiceDatabase('gql_limits');
  server = await startServer({ database, port: 0, log: () => undefined });
});

afterAll(async () => {
  await server?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

const PAGE_FIELDS =
  'edges { cursor node { customerId email year monthlyAvgExpense details { firstName lastName } monthlySpenses { jan fev mar abr mai jun jul ago set out nov dez } } }';
const aliases = (n: number, first = 100): string =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: customerSpendings(first: ${first}) { ${PAGE_FIELDS} }`).join(' ')} }`;
const reasonOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] | undefined }): unknown => result.errors?.[0]?.extensions?.reason;

describe('bombs are refused before validation (400, nothing run)', () => {
  it.each([
    [400, 400, 'GRAPHQL_PARSE_FAILED', /Document contains more tha[nt] 5000 tokens/],
    [2_500, 413, 'BAD_REQUEST', /the request body is larger than 262144 bytes, the limit/],
  ])('%i aliases of customerSpendings(first: 100): %i, %s', async (n, status, code, message) => {
    const result = await post(server.url, aliases(n));
    expect([result.status, codesOf(result)]).toEqual([status, [code]]);
    expect(result.errors![0]!.message).toMatch(message);
    expect(result.data).toBeUndefined();
  });

  it('more aliases than the limit, in a document of few tokens', async () => {
    const result = await post(server.url, `{ seedJobs { ${Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ')} } }`);
    expect([result.status, codesOf(result), reasonOf(result)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED'], 'TOO_MANY_ALIASES']);
    expect(result.errors![0]!.message).toMatch(/more than 30 aliases \(fragments expanded\); the limit is 30/);
    expect(result.data).toBeUndefined();
  });

  it('more root fields than the limit, repeated fields, fragment bombs, too many tokens', async () => {
    const roots = await post(server.url, `{ ${Array.from({ length: 25 }, (_, i) => `j${i}: seedJobs { id }`).join(' ')} }`);
    expect([roots.status, reasonOf(roots)]).toEqual([400, 'TOO_MANY_ROOT_FIELDS']);
    const repeated = await post(server.url, `{ seedJobs { ${'id '.repeat(11)} } }`);
    expect([repeated.status, reasonOf(repeated)]).toEqual([400, 'REPEATED_FIELD']);
    // 2^20 copies of one field once expanded, in a 900-byte document
    const levels = 20;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const bomb = await post(server.url, `{ ...F0 } ${fragments} fragment F${levels} on Query { seedJobs { id } }`);
    expect([bomb.status, reasonOf(bomb)]).toEqual([400, 'REPEATED_FIELD']);
    // every repeat within its limit, 2,100 fields once expanded
    const within = `{ ${'seedJobs { ...J } '.repeat(10)} } fragment J on SeedJob { ${'progress { ...P } '.repeat(10)} } fragment P on PhaseProgress { ${'phase '.repeat(10)} ${'state '.repeat(10)} }`;
    const large = await post(server.url, within);
    expect([large.status, reasonOf(large)]).toEqual([400, 'QUERY_TOO_LARGE']);
    const tokens = await post(server.url, `{ seedJobs(${'a: 1 '.repeat(3_000)}) { id } }`);
    expect([tokens.status, codesOf(tokens)]).toEqual([400, ['GRAPHQL_PARSE_FAILED']]);
    expect(tokens.errors![0]!.message).toMatch(/more tha[nt] 5000 tokens/);
  });
});

describe('the cost limit holds for every query size', () => {
  it('a page size out of range is BAD_PAGINATION, and a negative one lowers no cost', async () => {
    const huge = await post(server.url, '{ customerSpendings(first: 1000000) { totalCount } }');
    expect([huge.status, codesOf(huge), reasonOf(huge)]).toEqual([400, ['BAD_USER_INPUT'], 'BAD_PAGINATION']);
    const offset = await post(server.url, `{ minus: customerSpendings(first: -1000000) { totalCount } ${aliases(10).slice(1, -1)} }`);
    expect([offset.status, reasonOf(offset)]).toEqual([400, 'QUERY_TOO_COSTLY']);
  });
});

describe('operation types the schema does not serve', () => {
  it('a subscription is 400 with a clear message, not an internal error', async () => {
    const result = await post(server.url, 'subscription { seedJobs { id } }');
    expect([result.status, codesOf(result), reasonOf(result)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED'], 'OPERATION_NOT_SERVED']);
    expect(result.errors![0]!.message).toBe('this server does not serve subscription operations: it serves query and mutation operations only');
  });
});

describe('the response size limit', () => {
  let small: ApiServer;
  beforeAll(async () => {
    small = await startApiServer(database, { limits: { maxResponseBytes: 4096 } });
  });
  afterAll(async () => small?.stop());

  it('a response over the limit is one error (400), one under it is answered', async () => {
    const big = await post(small.url, '{ __schema { types { name description fields { name description } } } }');
    expect([big.status, codesOf(big), reasonOf(big)]).toEqual([400, ['BAD_USER_INPUT'], 'RESPONSE_TOO_LARGE']);
    expect(big.errors![0]!.message).toMatch(/larger than 4096 bytes, the limit: ask for fewer rows/);
    expect(big.data).toBeUndefined();
    const fine = await post(small.url, '{ __type(name: "Month") { name } }');
    expect([fine.status, fine.data]).toEqual([200, { __type: { name: 'Month' } }]);
  });
});

describe('the time limit of the reads', () => {
  it('every read an API request makes carries maxTimeMS', async () => {
    const dbName = uniqueDbName('gql_maxtime');
    const connection = mongoose.createConnection(mongoUri(), { dbName, monitorCommands: true });
    await connection.asPromise();
    const watched: Database = { uri: mongoUri(), dbName, connection, db: connection.db as unknown as Database['db'], close: () => connection.close() };
    const commands: { name: string; maxTimeMS: unknown }[] = [];
    connection.getClient().on('commandStarted', (event) => {
      if (['find', 'aggregate', 'count'].includes(event.commandName))
        commands.push({ name: `${event.commandName} ${String(event.command[event.commandName])}`, maxTimeMS: event.command.maxTimeMS });
    });
    const api = await startApiServer(watched, { limits: { maxTimeMS: 1234 } });
    try {
      const queries = [
        '{ customerSpendings(first: 5, filter: { where: { year: 2025 } }) { totalCount edges { cursor } } }',
        '{ customerSpending(customerId: "65d9b8ed0100000000000003") { email } }',
        '{ users(first: 2) { totalCount } products(first: 2) { totalCount } orders(first: 2) { totalCount } }',
        '{ order(id: "65d9b8ed0100000000000003") { id } product(id: "65d9b8ed0100000000000003") { id } }',
      ];
      for (const query of queries) expect((await post(api.url, query)).errors, query).toBeUndefined();
      expect(commands.length).toBeGreaterThanOrEqual(9);
      expect(commands.filter((command) => command.maxTimeMS !== 1234)).toEqual([]);
    } finally {
      await api.stop();
      await connection.dropDatabase().catch(() => undefined);
      await watched.close();
    }
  });

  it('MaxTimeMSExpired (50) is a clear client error: BAD_USER_INPUT, TIME_LIMIT_EXCEEDED, 400', () => {
    const expired = new MongoServerError({ ok: 0, code: 50, codeName: 'MaxTimeMSExpired', errmsg: 'operation exceeded time limit' });
    let error: unknown;
    try {
      failedRead(expired, 5000);
    } catch (caught) {
      error = caught;
    }
    const graphQLError = toGraphQLError(error) as { message: string; extensions: Record<string, unknown> };
    expect(graphQLError.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TIME_LIMIT_EXCEEDED', maxTimeMS: 5000, http: { status: 400 } });
    expect(graphQLError.message).toMatch(/ran longer than its time limit of 5000 ms and was stopped: narrow the filter/);
  });
});

describe('a busy or unreachable database is SERVICE_UNAVAILABLE with a retry hint', () => {
  it('a server that does not answer: 503 and Retry-After after the time limit and its grace, then answers again', async () => {
    const proxy = await freezableProxy();
    const busy = await openDatabase(proxy.uri, { dbName: uniqueDbName('gql_busy') });
    const api = await startApiServer(busy, { limits: { maxTimeMS: 200 } });
    try {
      const query = '{ customerSpendings(first: 1) { edges { cursor } } }';
      expect((await post(api.url, query)).status).toBe(200);
      proxy.freeze(true);
      const response = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect([response.status, response.headers.get('retry-after'), body.errors[0]!.extensions]).toEqual([
        503,
        '5',
        { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
      ]);
      expect(body.errors[0]!.message).toMatch(/the database cannot serve this request now: it did not answer in time .*Retry in 5 seconds/);
      proxy.freeze(false);
      expect((await post(api.url, query)).status).toBe(200);
    } finally {
      proxy.freeze(false);
      await api.stop();
      await busy.close();
      await proxy.close();
    }
  });

  it('a closed connection: 503, never INTERNAL_SERVER_ERROR; the health check says so without a round trip', async () => {
    const gone = await openDatabase(mongoUri(), { dbName: uniqueDbName('gql_gone') });
    const api = await startApiServer(gone);
    try {
      await gone.close();
      const result = await post(api.url, '{ customerSpendings(first: 1) { totalCount } users(first: 1) { totalCount } }');
      expect(result.status).toBe(503);
      expect(new Set(codesOf(result))).toEqual(new Set(['SERVICE_UNAVAILABLE']));
      expect(result.headers.get('retry-after')).toBe('5');
      const health = await rawRequest(`${api.base}/health`);
      expect([health.status, JSON.parse(health.body)]).toEqual([
        200,
        { status: 'degraded', database: 'disconnected', uptimeSeconds: expect.any(Number), eventLoopDelayMaxMs: expect.any(Number) },
      ]);
    } finally {
      await api.stop();
    }
  });

  it('driver errors of an unreachable server map to 503', () => {
    const error = toGraphQLError(
      new MongoServerSelectionError('Server selection timed out after 8000 ms', { type: 'Unknown', servers: new Map() } as never),
    ) as { extensions: Record<string, unknown> };
    expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', http: { status: 503 } });
  });

  it('every connection the app opens is patient with a server that runs one long command at a time', async () => {
    const external = await openDatabase(`${mongoUri().replace(/\/?(\?.*)?$/, '/')}${uniqueDbName('gql_patient')}`);
    try {
      const options = external.connection.getClient().options;
      expect([options.connectTimeoutMS, options.socketTimeoutMS]).toEqual([30 * 60_000, 0]);
    } finally {
      await external.close();
    }
  });
});

describe('the health check', () => {
  it('GET /health answers from the process', async () => {
    const response = await rawRequest(server.url.replace('/graphql', '/health'));
    expect([response.status, response.headers['cache-control'], JSON.parse(response.body)]).toEqual([
      200,
      'no-store',
      { status: 'ok', database: 'connected', uptimeSeconds: expect.any(Number), eventLoopDelayMaxMs: expect.any(Number) },
    ]);
  });
});
