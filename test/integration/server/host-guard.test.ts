/**
 * The open loopback mode is safe from the browser: without a token, forged
 * `Host` and `Origin` headers (a page rebinding its domain to 127.0.0.1) are refused with 403
 * and nothing runs; loopback names, and the names the user allows, are answered; with a
 * token nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { hostNameOf, isAllowedHostName, refusedHost, startServer, type AppServer } from '../../../src/server/index.js';
import { openServiceDatabase } from '../../helpers/seeded.js';
import { rawRequest, startApiServer, type ApiServer } from '../../helpers/api-server.js';

const TOKEN = 'test-admin-token-0123456789abcdef';
let database: Database;
let open: AppServer;
let secured: AppServer;
let allowing: ApiServer;

beforeAll(async () => {
  database = await openServiceDatabase('gql_hosts');
  open = await startServer({ database, port: 0, log: () => undefined });
  secured = await startServer({ database, port: 0, adminToken: TOKEN, log: () => undefined });
  allowing = await startApiServer(database, { allowedHosts: ['devbox.local', '.example.test'] });
});

afterAll(async () => {
  await open?.stop();
  await secured?.stop();
  await allowing?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

const port = (url: string): string => new URL(url).port;
const graphql = (url: string, headers: Record<string, string>, query: string) =>
  rawRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

describe('host names', () => {
  it('are read from Host values and matched against loopback and the allowed names', () => {
    expect(
      ['localhost:4000', '127.0.0.1:4000', '[::1]:4000', 'LOCALHOST', 'app.localhost:1', '127.1.2.3']
        .map(hostNameOf)
        .every((name) => isAllowedHostName(name, [])),
    ).toBe(true);
    expect(
      ['rebind.attacker.example:4000', 'localhost.attacker.example', '127.0.0.1.nip.io', '0.0.0.0:4000', '[::]:4000', '2130706433']
        .map(hostNameOf)
        .some((name) => isAllowedHostName(name, [])),
    ).toBe(false);
    expect(isAllowedHostName('devbox.local', ['devbox.local'])).toBe(true);
    expect(isAllowedHostName('a.example.test', ['.example.test'])).toBe(true);
    expect(isAllowedHostName('example.test', ['.example.test'])).toBe(true);
    expect(isAllowedHostName('badexample.test', ['.example.test'])).toBe(false);
    expect(refusedHost({ host: 'localhost:1', origin: 'null' }, [])).toBe("the Origin 'null'");
    expect(refusedHost({ host: 'localhost:1', origin: 'http://127.0.0.1:5173' }, [])).toBeUndefined();
  });
});

describe('the open mode (no ADMIN_TOKEN)', () => {
  it('refuses a rebound Host with 403 and a way out; the admin mutation does not run', async () => {
    await database.db.collection('users').insertOne({ email: 'kept@example.com' });
    const response = await graphql(open.url, { host: `rebind.attacker.example:${port(open.url)}` }, 'mutation { resetDatabase(confirm: true) { total } }');
    expect(response.status).toBe(403);
    const body = JSON.parse(response.body) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'HOST_NOT_ALLOWED' });
    expect(body.errors[0]!.message).toMatch(
      /the Host 'rebind\.attacker\.example:\d+' is not this machine's.*ALLOWED_HOSTS=rebind\.attacker\.example .*or set ADMIN_TOKEN/,
    );
    expect(await database.db.collection('users').countDocuments()).toBe(1);
  });

  it('refuses a foreign Origin, and refuses every path (playground, health)', async () => {
    const local = { host: `127.0.0.1:${port(open.url)}` };
    for (const origin of ['http://rebind.attacker.example', 'null', 'https://localhost.attacker.example:443']) {
      const response = await graphql(open.url, { ...local, origin }, '{ __typename }');
      expect(response.status, origin).toBe(403);
      expect(response.body).toContain(`the Origin '${origin}'`);
    }
    for (const path of ['/playground', '/health']) {
      const response = await rawRequest(open.url.replace('/graphql', path), { headers: { host: 'rebind.attacker.example' } });
      expect(response.status, path).toBe(403);
    }
  });

  it('answers loopback names and origins', async () => {
    for (const host of [`localhost:${port(open.url)}`, `127.0.0.1:${port(open.url)}`, `[::1]:${port(open.url)}`, 'app.localhost']) {
      const response = await graphql(open.url, { host, origin: `http://${host}` }, '{ __typename }');
      expect([response.status, response.body], host).toEqual([200, '{"data":{"__typename":"Query"}}\n']);
    }
  });

  it('answers the names the user allows', async () => {
    for (const host of ['devbox.local:4000', 'api.example.test']) expect((await graphql(allowing.url, { host }, '{ __typename }')).status, host).toBe(200);
    expect((await graphql(allowing.url, { host: 'other.local' }, '{ __typename }')).status).toBe(403);
  });
});

describe('with a token', () => {
  it('names are not checked: the token decides', async () => {
    const query = await graphql(secured.url, { host: 'api.company.example', origin: 'https://dashboard.company.example' }, '{ __typename }');
    expect(query.status).toBe(200);
    const mutation = await graphql(secured.url, { host: 'api.company.example' }, 'mutation { resetDatabase(confirm: true) { total } }');
    expect([mutation.status, JSON.parse(mutation.body).errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
