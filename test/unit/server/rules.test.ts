/** Auth rules, settings and query limits: pure functions and in-process servers, no database. */
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { accessOf, authModeFor, isLoopback, readServerConfig } from '../../../src/server/index.js';
import { ApolloServer } from '@apollo/server';
import { pageCost } from '../../../src/schema/page.args.js';
import { costLimitPlugin, depthLimitRule } from '../../../src/server/limits.js';
import { MAX_QUERY_TOKENS, MAX_REPEATED_FIELD, operationShapeError } from '../../../src/server/operation-guard.js';
import { jsonSizeWithin } from '../../../src/server/response-size.js';

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
    expect(readServerConfig({}, { HOST: '::1', PORT: '8080', ADMIN_TOKEN: TOKEN, NODE_ENV: 'development' })).toMatchObject({
      host: '::1',
      port: 8080,
      adminToken: TOKEN,
      development: true,
    });
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

describe('the cost limit plugin', () => {
  const schema = buildSchema(
    'type Query { page(first: Int): Page } type Page { rows: [Row] } type Row { a: Int b: Int c: Int d: Int e: Int f: Int g: Int h: Int i: Int j: Int k: Int l: Int m: Int n: Int o: Int p: Int q: Int r: Int s: Int t: Int u: Int v: Int w: Int x: Int y: Int }',
  );
  const FIELDS = 'rows { a b c d e f g h i j k l m n o p q r s t u v w x y }';

  it.each([400, 2_500])('refuses %i aliases (past the 10,000 nodes the library can measure), never running them', async (n) => {
    let resolved = 0;
    const apollo = new ApolloServer({ schema, plugins: [costLimitPlugin(20_000)], rootValue: { page: () => (resolved++, { rows: [] }) } });
    const query = `{ ${Array.from({ length: n }, (_, i) => `p${i}: page(first: 100) { ${FIELDS} }`).join(' ')} }`;
    const response = await apollo.executeOperation({ query });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect([response.http.status, result?.errors?.[0]?.extensions?.reason, result?.data, resolved]).toEqual([400, 'QUERY_TOO_COSTLY', undefined, 0]);
    expect(result?.errors?.[0]?.message).toMatch(
      /^the cost of the operation cannot be measured \(Query exceeds the maximum allowed number of nodes\.\): it is refused/,
    );
    await apollo.stop();
  });

  it('leaves bad variables to execution (BAD_USER_INPUT), and measures the rest', async () => {
    const apollo = new ApolloServer({ schema, plugins: [costLimitPlugin(10)], rootValue: { page: () => ({ rows: [] }) } });
    const bad = await apollo.executeOperation({ query: 'query Q($n: Int) { page(first: $n) { rows { a } } }', variables: { n: 'many' } });
    expect(bad.body.kind === 'single' && bad.body.singleResult.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const costly = await apollo.executeOperation({ query: '{ a: page { rows { a b c d e f g h i j k } } }' });
    expect(costly.body.kind === 'single' && costly.body.singleResult.errors?.[0]?.message).toBe(
      'the operation costs 13; the limit is 10: ask for fewer rows (first) or fewer fields',
    );
    await apollo.stop();
  });
});

describe('the operation guard', () => {
  const limits = { maxAliases: 3, maxRootFields: 2 };
  const reason = (query: string): unknown => operationShapeError(query, limits)?.extensions.reason;

  it('counts aliases and root fields through fragments', () => {
    expect(reason('{ a: x b: x c: x }')).toBe('TOO_MANY_ROOT_FIELDS');
    expect(reason('{ x { a: y b: y c: y d: y } }')).toBe('TOO_MANY_ALIASES');
    expect(reason('{ x { ...F ...F } } fragment F on X { a: y b: y }')).toBe('TOO_MANY_ALIASES');
    expect(reason('{ x y { z } }')).toBeUndefined();
    expect(reason('{ x x x }')).toBeUndefined(); // one root field, asked for three times
  });

  it('bounds repeats and the expanded size; leaves parse errors to Apollo', () => {
    expect(reason(`{ x { ${'y '.repeat(MAX_REPEATED_FIELD + 1)} } }`)).toBe('REPEATED_FIELD');
    expect(reason('{ x { ...A } } fragment A on X { ...B ...B } fragment B on X { ...A }')).toBeUndefined(); // cyclic: validation reports it
    expect(reason('{ x(')).toBeUndefined();
    expect(reason(`{ x(${'a: 1 '.repeat(MAX_QUERY_TOKENS)}) }`)).toBeUndefined();
  });
});

describe('the response size', () => {
  it('is the length of the JSON, and its measure stops at the limit', () => {
    for (const value of [{ a: [1, 'é', null, true, { b: 2.5 }], c: 'x"y' }, [], {}, [undefined, 1], { skipped: undefined, kept: 0 }]) {
      expect(jsonSizeWithin(value, 1_000)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(value)) - 2);
      expect(jsonSizeWithin(value, 1_000)).toBeLessThanOrEqual(Buffer.byteLength(JSON.stringify(value)));
    }
    expect(jsonSizeWithin({ rows: Array.from({ length: 100_000 }, () => 'a row') }, 1_000)).toBe(Infinity);
  });
});

describe('page costs', () => {
  it('clamp first to 1–100 (the resolver refuses the rest without reading)', () => {
    expect(pageCost({ args: { first: 10 }, childComplexity: 5 })).toBe(51);
    expect(pageCost({ args: { first: 1_000_000 }, childComplexity: 5 })).toBe(501);
    expect(pageCost({ args: { first: -1_000_000 }, childComplexity: 5 })).toBe(6);
    expect(pageCost({ args: {}, childComplexity: 5 })).toBe(101);
  });
});

describe('the new settings', () => {
  it('come from flags and the environment, validated and named by their source', () => {
    expect(readServerConfig({}, {})).toMatchObject({
      allowedHosts: [],
      maxTimeMS: 5_000,
      maxAliases: 30,
      maxRootFields: 20,
      maxResponseBytes: 10 * 1024 * 1024,
    });
    expect(readServerConfig({ allowedHosts: 'DevBox.local, .example.test' }, { GRAPHQL_MAX_TIME_MS: '250' })).toMatchObject({
      allowedHosts: ['devbox.local', '.example.test'],
      maxTimeMS: 250,
    });
    expect(() => readServerConfig({ allowedHosts: 'http://x:80' }, {})).toThrow(/--allowed-hosts: expected host names separated by commas/);
    expect(() => readServerConfig({}, { ALLOWED_HOSTS: '*' })).toThrow(/ALLOWED_HOSTS: expected host names/);
    expect(() => readServerConfig({}, { GRAPHQL_MAX_TIME_MS: '0' })).toThrow(/GRAPHQL_MAX_TIME_MS: the time limit \(ms\) must be at least 1/);
  });
});
