/** Auth rules, settings and query limits: pure functions, no database. */
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { accessOf, authModeFor, isLoopback, readServerConfig } from '../../src/server/index.js';
import { depthLimitRule } from '../../src/server/limits.js';

const TOKEN = 'x'.repeat(32);

describe('auth', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopback(host), host).toBe(false);
  });

  it('runs open on loopback only; a token allows any address', () => {
    expect(authModeFor('127.0.0.1', undefined)).toEqual({ kind: 'open-loopback' });
    expect(authModeFor('0.0.0.0', TOKEN)).toEqual({ kind: 'token' });
    expect(() => authModeFor('0.0.0.0', undefined)).toThrow(/refusing to listen on 0\.0\.0\.0 without an admin token/);
  });

  it('decides the caller’s access from the Authorization header', () => {
    expect(accessOf(undefined, undefined)).toBe('open');
    expect(accessOf('Bearer whatever', undefined)).toBe('open');
    expect(accessOf(undefined, TOKEN)).toBe('missing');
    expect(accessOf('', TOKEN)).toBe('missing');
    expect(accessOf(`Basic ${TOKEN}`, TOKEN)).toBe('malformed');
    expect(accessOf('Bearer', TOKEN)).toBe('malformed');
    expect(accessOf(`Bearer ${TOKEN}x`, TOKEN)).toBe('wrong');
    expect(accessOf(`Bearer ${TOKEN}`, TOKEN)).toBe('admin');
    expect(accessOf(`bearer  ${TOKEN} `, TOKEN)).toBe('admin');
  });
});

describe('server settings', () => {
  it('come from flags, then the environment, then defaults', () => {
    expect(readServerConfig({}, {})).toMatchObject({ host: '127.0.0.1', port: 4000, development: false, maxDepth: 12, maxCost: 20_000 });
    expect(readServerConfig({}, { HOST: '::1', PORT: '8080', ADMIN_TOKEN: TOKEN, NODE_ENV: 'development' })).toMatchObject({ host: '::1', port: 8080, adminToken: TOKEN, development: true });
    expect(readServerConfig({ port: '9000' }, { PORT: '8080' }).port).toBe(9000);
  });

  it('refuse bad values, naming where they came from', () => {
    expect(() => readServerConfig({}, { PORT: 'eighty' })).toThrow(/PORT: the port must be a whole number/);
    expect(() => readServerConfig({ port: '70000' }, {})).toThrow(/--port: the port must be at most 65535/);
    expect(() => readServerConfig({}, { ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN: the admin token must be at least 16 characters/);
  });
});

describe('the depth limit', () => {
  const schema = buildSchema('type Query { a: A } type A { b: A, n: Int }');
  const check = (query: string, max: number) => validate(schema, parse(query), [...specifiedRules, depthLimitRule(max)]).map((e) => e.message);

  it('counts fields through fragments and inline fragments, not introspection', () => {
    expect(check('{ a { b { n } } }', 3)).toEqual([]);
    expect(check('{ a { b { b { n } } } }', 3)).toEqual(['the operation is 4 levels deep; the limit is 3']);
    expect(check('query Q { a { ...F } } fragment F on A { b { ... on A { b { n } } } }', 3)).toEqual(['the operation Q is 4 levels deep; the limit is 3']);
    expect(check('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }', 2)).toEqual([]);
  });

  it('survives fragment cycles (reported by the standard rules)', () => {
    expect(check('{ a { ...F } } fragment F on A { b { ...F } }', 5).some((m) => /Cannot spread fragment "F" within itself/.test(m))).toBe(true);
  });
});
