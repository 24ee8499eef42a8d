/**
 * The server over HTTP, as clients use it: GraphQL over HTTP (GET, POST, content types,
 * status codes, CSRF prevention), the playground, the auth rules, every error code, the seed
 * job lifecycle (start → progress → done, counts equal to the database), cancel and
 * shutdown, every spending filter (hostile `where` included) and cursor pagination.
 *
 * Runs on the shared test server in a database of its own, so it passes against a real
 * MongoDB (MONGODB_URI) too. The tests of a describe block run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { startServer, type AppServer } from '../../../src/server/index.js';
import type { CustomerSpending } from '../../../src/spending/index.js';
import { openServiceDatabase } from '../../helpers/seeded.js';
import {
  CancelSeedJobDocument,
  CrunchJobDocument,
  CrunchSpendingDocument,
  CustomerSpendingDocument,
  CustomerSpendingIdsDocument,
  CustomerSpendingsDocument,
  OrdersDocument,
  ProductsDocument,
  ResetDatabaseDocument,
  SeedDatabaseDocument,
  SeedJobDocument,
  SeedJobsDocument,
  UsersDocument,
  type CustomerSpendingIdsQuery,
  type SeedJobFieldsFragment,
  type SpendingFilter,
  type SpendingSort,
} from '../../helpers/generated/graphql.js';
import { codesOf, dataOf, post, until } from '../../helpers/graphql.js';

const TOKEN = 'test-admin-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PHASES = ['PRODUCTS', 'ACTIVITY', 'SPLIT', 'INDEXES'];

let database: Database;
let open: AppServer;
let secured: AppServer;
const logged: string[] = [];

beforeAll(async () => {
  database = await openServiceDatabase('gql_http');
  const log = (line: string): void => void logged.push(line);
  open = await startServer({ database, port: 0, log });
  secured = await startServer({ database, port: 0, adminToken: TOKEN, log });
});

afterAll(async () => {
  await open?.stop();
  await secured?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

const raw = (url: string, init: RequestInit = {}): Promise<Response> => fetch(url, init);
const jsonOf = async (response: Response): Promise<{ data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }> =>
  (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

describe('GraphQL over HTTP', () => {
  it('POST application/json: 200, JSON', async () => {
    const response = await raw(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers application/graphql-response+json when asked for it', async () => {
    const response = await raw(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  it('GET runs queries, with a CSRF-preflight header', async () => {
    const url = `${open.url}?query=${encodeURIComponent('query Q($n: Int) { customerSpendings(first: $n) { edges { cursor } } }')}&variables=${encodeURIComponent('{"n": 1}')}`;
    const response = await raw(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ data: { customerSpendings: { edges: [] } } });
  });

  it('CSRF prevention: a GET or a simple POST without a preflight header is refused (400)', async () => {
    const get = await raw(`${open.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery|CSRF/);
    const form = await raw(open.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(form.status).toBe(400);
  });

  it('GET cannot run mutations (405)', async () => {
    const response = await raw(`${open.url}?query=${encodeURIComponent('mutation { resetDatabase(confirm: true) { total } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('malformed requests are 400 with a JSON body', async () => {
    const badJson = await raw(open.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(badJson.status).toBe(400);
    expect((await jsonOf(badJson)).errors![0]!.message).toMatch(/not valid JSON/);
    const noQuery = await raw(open.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noQuery.status).toBe(400);
    const batch = await raw(open.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }]) });
    expect(batch.status).toBe(400);
    const huge = await raw(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(huge.status).toBe(413);
  });

  it('parse, validation and variable errors: 400 with their codes', async () => {
    const parse = await post(open.url, '{ customerSpendings(');
    expect([parse.status, codesOf(parse)]).toEqual([400, ['GRAPHQL_PARSE_FAILED']]);
    const validation = await post(open.url, '{ nope }');
    expect([validation.status, codesOf(validation)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
    const variables = await post(open.url, 'query Q($n: Int) { customerSpendings(first: $n) { totalCount } }', { n: 'ten' });
    expect([variables.status, codesOf(variables)]).toEqual([400, ['BAD_USER_INPUT']]);
  });

  it('serves the playground from its own files: GET /graphql from a browser, /playground, the assets', async () => {
    for (const url of [open.url, open.playgroundUrl]) {
      const page = await raw(url, { headers: { accept: 'text/html' } });
      expect(page.status, url).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<div id="graphiql">');
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing from a CDN
      for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        const asset = await raw(new URL(src!, url).href);
        expect(asset.status, src).toBe(200);
        expect(asset.headers.get('content-type')).toMatch(/javascript|css/);
        await asset.arrayBuffer();
      }
    }
    expect((await raw(`${open.playgroundUrl}/assets/../../package.json`)).status).toBe(404);
    expect((await raw(`${open.playgroundUrl}/assets/secrets.js`)).status).toBe(404);
    const root = await raw(open.url.replace('/graphql', '/'), { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/playground']);
    const missing = await raw(open.url.replace('/graphql', '/nope'));
    expect(missing.status).toBe(404);
    expect((await jsonOf(missing)).errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('the secured playground pre-fills an Authorization header for the admin examples', async () => {
    const html = await (await raw(secured.playgroundUrl)).text();
    expect(html).toContain('Bearer \\u003cpaste ADMIN_TOKEN here\\u003e');
    expect(await (await raw(open.playgroundUrl)).text()).not.toContain('ADMIN_TOKEN');
  });
});

describe('auth rules', () => {
  it('admin mutations need the bearer token: 401 without, 403 with another', async () => {
    const none = await post(secured.url, CrunchSpendingDocument, {});
    expect([none.status, codesOf(none)]).toEqual([401, ['UNAUTHENTICATED']]);
    const basic = await post(secured.url, CrunchSpendingDocument, {}, { authorization: `Basic ${TOKEN}` });
    expect([basic.status, codesOf(basic)]).toEqual([401, ['UNAUTHENTICATED']]);
    const wrong = await post(secured.url, ResetDatabaseDocument, { confirm: true }, { authorization: 'Bearer not-the-token-at-all-0000' });
    expect([wrong.status, codesOf(wrong)]).toEqual([403, ['FORBIDDEN']]);
    const seedAttempt = await post(secured.url, SeedDatabaseDocument, { input: { users: 10 } });
    expect(codesOf(seedAttempt)).toEqual(['UNAUTHENTICATED']);
    expect(secured.jobs.list()).toEqual([]);
  });

  it('with the token they run (here: NOT_FOUND, 404, on the still empty database)', async () => {
    const crunch = await post(secured.url, CrunchSpendingDocument, {}, AUTH);
    expect([crunch.status, codesOf(crunch)]).toEqual([404, ['NOT_FOUND']]);
  });

  it('queries need no token', async () => {
    expect(dataOf(await post(secured.url, SeedJobsDocument)).seedJobs).toEqual([]);
  });

  it('without a token the server runs on loopback only, and says so', async () => {
    expect(open.authMode).toEqual({ kind: 'open-loopback' });
    expect(secured.authMode).toEqual({ kind: 'token' });
    await expect(startServer({ database, host: '0.0.0.0', port: 0 })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without an admin token/);
  });
});

describe('the seed job lifecycle', () => {
  let job: SeedJobFieldsFragment;

  it('seedDatabase returns a RUNNING job at once; a second seed, a reset, a crunch are CONFLICT (409)', async () => {
    const started = Date.now();
    job = dataOf(await post(secured.url, SeedDatabaseDocument, { input: { users: 400, seed: 99, year: 2025, workers: 2 } }, AUTH)).seedDatabase;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(job.status).toBe('RUNNING');
    expect(job.options).toMatchObject({ users: 400, seed: 99, year: 2025, workers: 2, maxOrders: 6, locale: 'pt_BR' });
    expect(job.counts).toBeNull();
    for (const attempt of [
      post(secured.url, SeedDatabaseDocument, { input: { users: 10 } }, AUTH),
      post(secured.url, ResetDatabaseDocument, { confirm: true }, AUTH),
      post(secured.url, CrunchSpendingDocument, {}, AUTH),
    ]) {
      const result = await attempt;
      expect([result.status, codesOf(result)]).toEqual([409, ['CONFLICT']]);
      expect(result.errors![0]!.message).toMatch(/a seed is running/);
    }
  });

  it('another server on the same database sees the job lock (CONFLICT)', async () => {
    // The open server does not know the job (jobs are per server), but the database's job lock says a seed runs.
    expect(dataOf(await post(open.url, SeedJobDocument, { id: job.id })).seedJob).toBeNull();
    await until(
      'the lock',
      () => database.db.collection('datadragon_jobs').countDocuments(),
      (n) => n === 1,
      20_000,
      10,
    );
    const reset = await post(open.url, ResetDatabaseDocument, { confirm: true });
    expect([reset.status, codesOf(reset)]).toEqual([409, ['CONFLICT']]);
  });

  it('seedJob reports phase and progress until SUCCEEDED; the counts are what is in the database', async () => {
    const polls = await until(
      'the seed job',
      async () => dataOf(await post(secured.url, SeedJobDocument, { id: job.id })).seedJob!,
      (j) => j.status !== 'RUNNING',
      120_000,
      25,
    );
    const last = polls.at(-1)!;
    expect(last.error).toBeNull();
    expect(last.status).toBe('SUCCEEDED');
    // progress: phases in order, never backwards, done ≤ total
    let phaseIndex = -1;
    for (const poll of polls.filter((p) => p.status === 'RUNNING' && p.phase)) {
      const index = PHASES.indexOf(poll.phase!);
      expect(index).toBeGreaterThanOrEqual(phaseIndex);
      phaseIndex = index;
      for (const p of poll.progress) {
        expect(p.done).toBeLessThanOrEqual(p.total);
        expect(p.fraction).toBeGreaterThanOrEqual(0);
        expect(p.fraction).toBeLessThanOrEqual(1);
      }
    }
    expect(polls.some((p) => p.status === 'RUNNING')).toBe(true);
    expect(last.phase).toBeNull();
    expect(last.progress.map((p) => [p.phase, p.state, p.fraction])).toEqual(PHASES.map((phase) => [phase, 'DONE', 1]));
    const db = database.db;
    expect(last.counts).toEqual({
      users: await db.collection('users').countDocuments(),
      products: await db.collection('products').countDocuments(),
      carts: await db.collection('carts').countDocuments(),
      orders: await db.collection('orders').countDocuments(),
    });
    expect(last.counts!.users).toBe(400);
    expect(last.written).toEqual({ users: 400, carts: last.counts!.carts, orders: last.counts!.orders });
    expect(last.timings.total).toBeGreaterThan(0);
    expect(last.timings.total).toBeGreaterThanOrEqual(last.timings.activity);
    expect(last.ordersPerSecond).toBeGreaterThan(0);
    expect(new Date(last.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(last.startedAt).getTime());
    expect(dataOf(await post(secured.url, SeedJobsDocument)).seedJobs).toEqual([{ id: job.id, status: 'SUCCEEDED', phase: null }]);
    expect(await db.collection('datadragon_jobs').countDocuments()).toBe(0);
  });

  it('crunchSpending (open server, no token needed on loopback) crunches what was seeded', async () => {
    const started = dataOf(await post(open.url, CrunchSpendingDocument, { year: 2025 })).crunchSpending;
    expect(started.status).toBe('RUNNING');
    const polls = await until(
      'the crunch',
      async () => dataOf(await post(open.url, CrunchJobDocument, { id: started.id })).crunchJob!,
      (j) => j.status !== 'RUNNING',
    );
    const result = polls.at(-1)!.result!;
    expect(result.customers).toBe(400);
    expect(result.orders).toBe(
      await database.db.collection('orders').countDocuments({ created_at: { $gte: new Date('2025-01-01T00:00:00Z'), $lt: new Date('2026-01-01T00:00:00Z') } }),
    );
    expect(await database.db.collection('customer_spending').countDocuments()).toBe(400);
  });
});

describe('spending queries', () => {
  let docs: CustomerSpending[];
  beforeAll(async () => {
    docs = await database.db.collection<CustomerSpending>('customer_spending').find().toArray();
  });

  async function allIds(filter: SpendingFilter | null, sort: SpendingSort | null = null, first = 100): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page: CustomerSpendingIdsQuery['customerSpendings'] = dataOf(
        await post(open.url, CustomerSpendingIdsDocument, { filter, sort, first, after }),
      ).customerSpendings;
      ids.push(...page.edges.map((e) => e.node.customerId));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  }

  const sorted = (ids: string[]): string[] => [...ids].sort();
  const idsWhere = (keep: (doc: CustomerSpending) => boolean): string[] => sorted(docs.filter(keep).map((d) => d._id));

  it('customerSpending by id', async () => {
    const doc = docs.find((d) => d.monthly_avg_expense > 0)!;
    const { customerSpending } = dataOf(await post(open.url, CustomerSpendingDocument, { customerId: doc._id }));
    expect(customerSpending).toMatchObject({
      customerId: doc._id,
      email: doc.email,
      monthlyAvgExpense: doc.monthly_avg_expense,
      monthlySpenses: doc.monthly_spenses,
    });
  });

  it('pages are complete and in order for every sort, with totalCount', async () => {
    const orders: [SpendingSort | null, (a: CustomerSpending, b: CustomerSpending) => number][] = [
      [null, () => 0],
      [{ field: 'EMAIL', direction: 'DESC' }, (a, b) => (a.email < b.email ? 1 : a.email > b.email ? -1 : 0)],
      [{ field: 'MONTHLY_AVG_EXPENSE', direction: 'DESC' }, (a, b) => b.monthly_avg_expense - a.monthly_avg_expense],
      [{ field: 'DEZ', direction: 'ASC' }, (a, b) => a.monthly_spenses.dez - b.monthly_spenses.dez],
    ];
    for (const [sort, compare] of orders) {
      const byId = (a: CustomerSpending, b: CustomerSpending): number => (a._id < b._id ? -1 : 1) * (sort?.direction === 'DESC' ? -1 : 1);
      const expected = [...docs].sort((a, b) => compare(a, b) || byId(a, b)).map((d) => d._id);
      expect(await allIds(null, sort, 37), JSON.stringify(sort)).toEqual(expected);
    }
    const first = dataOf(await post(open.url, CustomerSpendingsDocument, { first: 3 })).customerSpendings;
    expect(first.totalCount).toBe(400);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0]!.cursor, endCursor: first.edges[2]!.cursor });
    const second = dataOf(await post(open.url, CustomerSpendingsDocument, { first: 3, after: first.pageInfo.endCursor })).customerSpendings;
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    expect(second.edges[0]!.node.customerId > first.edges[2]!.node.customerId).toBe(true);
  });

  it('every filter returns exactly the matching customers', async () => {
    const someone = docs.find((d) => d.monthly_spenses.dez > 0)!;
    const category = Object.keys(someone.categorized_monthly_avg_expense)[0]!;
    const minAvg = someone.categorized_monthly_avg_expense[category]!;
    const mid = [...docs].sort((a, b) => a.monthly_avg_expense - b.monthly_avg_expense)[200]!.monthly_avg_expense;
    const fragment = someone.email.slice(2, 7).toUpperCase();
    const cases: [string, SpendingFilter, (d: CustomerSpending) => boolean][] = [
      ['customerId', { customerId: someone._id.toUpperCase() }, (d) => d._id === someone._id],
      ['email', { email: someone.email }, (d) => d.email === someone.email],
      ['emailContains, ignoring case', { emailContains: fragment }, (d) => d.email.toLowerCase().includes(fragment.toLowerCase())],
      ['emailContains, literally', { emailContains: '.*' }, (d) => d.email.includes('.*')],
      ['minMonthlyAvg', { minMonthlyAvg: mid }, (d) => d.monthly_avg_expense >= mid],
      ['maxMonthlyAvg', { maxMonthlyAvg: mid }, (d) => d.monthly_avg_expense <= mid],
      ['min and max', { minMonthlyAvg: 1, maxMonthlyAvg: mid }, (d) => d.monthly_avg_expense >= 1 && d.monthly_avg_expense <= mid],
      ['month', { month: { month: 'DEZ', min: someone.monthly_spenses.dez } }, (d) => d.monthly_spenses.dez >= someone.monthly_spenses.dez],
      ['category', { category: { category, minAvg } }, (d) => (d.categorized_monthly_avg_expense[category] ?? -1) >= minAvg],
      ['where (object)', { where: { 'monthly_spenses.nov': { $gt: 0 } } }, (d) => d.monthly_spenses.nov > 0],
      [
        'where (Extended JSON text)',
        { where: '{"$or": [{"monthly_spenses.jan": {"$gt": 0}}, {"monthly_spenses.fev": {"$gt": 0}}]}' },
        (d) => d.monthly_spenses.jan > 0 || d.monthly_spenses.fev > 0,
      ],
      ['where with a regex', { where: { email: { $regex: '^a', $options: 'i' } } }, (d) => /^a/i.test(d.email)],
      [
        'everything at once',
        { minMonthlyAvg: 1, month: { month: 'DEZ', min: 1 }, where: { year: 2025 } },
        (d) => d.monthly_avg_expense >= 1 && d.monthly_spenses.dez >= 1,
      ],
    ];
    for (const [name, filter, keep] of cases) {
      const expected = idsWhere(keep);
      expect(sorted(await allIds(filter)), name).toEqual(expected);
      const { customerSpendings } = dataOf(await post(open.url, CustomerSpendingsDocument, { filter, first: 1 }));
      expect(customerSpendings.totalCount, name).toBe(expected.length);
    }
  });

  it('hostile or broken where filters are BAD_USER_INPUT (400), and run nothing', async () => {
    const hostile: [unknown, string][] = [
      [{ $where: 'sleep(10000) || true' }, 'FORBIDDEN_OPERATOR'],
      ['{"$where": "this.email.length > 0"}', 'FORBIDDEN_OPERATOR'],
      [{ $expr: { $function: { body: 'function() { return true }', args: [], lang: 'js' } } }, 'FORBIDDEN_OPERATOR'],
      [{ $or: [{ year: 2025 }, { $where: 'true' }] }, 'FORBIDDEN_OPERATOR'],
      [{ $and: [{ email: { $elemMatch: { $where: 'true' } } }] }, 'FORBIDDEN_OPERATOR'],
      [{ $expr: { $accumulator: { init: 'function() {}' } } }, 'FORBIDDEN_OPERATOR'],
      [{ email: { $code: 'function() {}' } }, 'FORBIDDEN_OPERATOR'],
      [{ year: { $foo: 1 } }, 'BAD_FILTER'],
      ['{"year": 2025,}', 'BAD_JSON'],
      [[{ year: 2025 }], 'BAD_FILTER'],
      [{ email: { $regex: '(' } }, 'BAD_QUERY'],
      [{ email: { $regex: '(?P<name>a)' } }, 'BAD_FILTER'],
      [{ email: { $regex: '^(a+)+$' } }, 'UNSAFE_REGEX'],
      [{ $expr: { $gt: [{ $size: { $range: [0, 300000] } }, 0] } }, 'FORBIDDEN_OPERATOR'],
    ];
    for (const [where, reason] of hostile) {
      const result = await post(open.url, CustomerSpendingsDocument, { filter: { where } });
      expect([result.status, codesOf(result)], JSON.stringify(where)).toEqual([400, ['BAD_USER_INPUT']]);
      expect(result.errors![0]!.extensions, JSON.stringify(where)).toMatchObject({ reason });
      expect(result.data).toBeNull();
    }
    const path = await post(open.url, CustomerSpendingsDocument, { filter: { where: { $or: [{ year: 2025 }, { $where: 'true' }] } } });
    expect(path.errors![0]!.message).toMatch(/filter\.where: .*\$or\[1\]/);
  });

  it('bad pages are BAD_USER_INPUT (400)', async () => {
    const page = dataOf(await post(open.url, CustomerSpendingsDocument, { first: 2 })).customerSpendings;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ first: 0 }, /first must be a whole number from 1 to 100/],
      [{ first: 101 }, /from 1 to 100/],
      [{ after: 'garbage!' }, /invalid cursor/],
      [{ after: page.pageInfo.endCursor, sort: { field: 'EMAIL', direction: 'ASC' } }, /sorted by _id ascending, not by email ascending/],
      [{ filter: { customerId: 'xyz' } }, /24 hexadecimal digits/],
      [{ filter: { category: { category: 'a.b', minAvg: 1 } } }, /not a category name/],
    ];
    for (const [variables, message] of cases) {
      const result = await post(open.url, CustomerSpendingsDocument, variables);
      expect([result.status, codesOf(result)], JSON.stringify(variables)).toEqual([400, ['BAD_USER_INPUT']]);
      expect(result.errors![0]!.message).toMatch(message);
    }
  });

  it('users, products, orders page through the seeded data', async () => {
    const users = dataOf(await post(open.url, UsersDocument, { first: 100 })).users;
    expect(users.totalCount).toBe(400);
    const next = dataOf(await post(open.url, UsersDocument, { first: 100, after: users.pageInfo.endCursor })).users;
    expect(next.edges[0]!.node.id > users.edges.at(-1)!.node.id).toBe(true);
    const products = dataOf(await post(open.url, ProductsDocument, { first: 5 })).products;
    expect(products.totalCount).toBe(await database.db.collection('products').countDocuments());
    const orders = dataOf(await post(open.url, OrdersDocument, { first: 20 })).orders;
    expect(orders.totalCount).toBe(await database.db.collection('orders').countDocuments());
    for (const { node } of orders.edges) expect(node.cart!.lines.length).toBeGreaterThan(0);
  });
});

describe('cancel and shutdown', () => {
  const bigSeed = { users: 100_000, seed: 1, year: 2025, workers: 2 };
  const inActivity = (j: SeedJobFieldsFragment | null | undefined): boolean => j?.status !== 'RUNNING' || (j.phase === 'ACTIVITY' && j.written.users > 0);

  it('cancelSeedJob stops a running seed; the previous data stays; the lock is released', async () => {
    const job = dataOf(await post(open.url, SeedDatabaseDocument, { input: bigSeed })).seedDatabase;
    await until('the activity phase', async () => dataOf(await post(open.url, SeedJobDocument, { id: job.id })).seedJob, inActivity, 60_000, 20);
    const cancelled = dataOf(await post(open.url, CancelSeedJobDocument, { id: job.id })).cancelSeedJob;
    expect(cancelled.id).toBe(job.id);
    const polls = await until(
      'the cancel',
      async () => dataOf(await post(open.url, SeedJobDocument, { id: job.id })).seedJob!,
      (j) => j.status !== 'RUNNING',
    );
    const last = polls.at(-1)!;
    expect(last.status).toBe('CANCELLED');
    expect(last.error).toMatchObject({
      code: 'CANCELLED',
      message: expect.stringMatching(/^the seed was cancelled during activity; the previous data is untouched: 400 users/),
    });
    expect(last.counts).toBeNull();
    expect(last.finishedAt).not.toBeNull();
    // nothing half-written: the earlier dataset is intact, the staging collections are gone
    expect(await database.db.collection('users').countDocuments()).toBe(400);
    const names = (await database.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('activity');
    expect(await database.db.collection('datadragon_jobs').countDocuments()).toBe(0);
    // a finished job cancelled again is returned as it is
    expect(dataOf(await post(open.url, CancelSeedJobDocument, { id: job.id })).cancelSeedJob.status).toBe('CANCELLED');
  });

  it('resetDatabase empties the collections (counts per collection), keeping indexes', async () => {
    const indexesBefore = (await database.db.collection('users').indexes()).length;
    const result = dataOf(await post(secured.url, ResetDatabaseDocument, { confirm: true }, AUTH)).resetDatabase;
    expect(result.dropped).toBe(false);
    const deleted = Object.fromEntries(result.deleted.map((d) => [d.collection, d.count]));
    expect(deleted).toMatchObject({ users: 400, customer_spending: 400 });
    expect(result.total).toBe(result.deleted.reduce((sum, d) => sum + d.count, 0));
    expect(await database.db.collection('users').countDocuments()).toBe(0);
    expect((await database.db.collection('users').indexes()).length).toBe(indexesBefore);
    const spendings = dataOf(await post(open.url, CustomerSpendingsDocument, {})).customerSpendings;
    expect([spendings.totalCount, spendings.edges]).toEqual([0, []]);
  });

  it('stop() drains HTTP and stops running jobs before it resolves', async () => {
    const server = await startServer({ database, port: 0, log: () => undefined });
    const job = dataOf(await post(server.url, SeedDatabaseDocument, { input: bigSeed })).seedDatabase;
    await until('the activity phase', async () => dataOf(await post(server.url, SeedJobDocument, { id: job.id })).seedJob, inActivity, 60_000, 20);
    expect(server.state.phase).toBe('listening');
    await server.stop();
    expect(server.state).toEqual({ phase: 'stopped' });
    expect(server.jobs.get(job.id)!.status).toBe('cancelled');
    expect(await database.db.collection('datadragon_jobs').countDocuments()).toBe(0);
    await expect(fetch(server.url, { method: 'POST' })).rejects.toThrow();
    await expect(server.jobs.start('seed', { users: 10 })).rejects.toThrow(/shutting down/);
  });
});
