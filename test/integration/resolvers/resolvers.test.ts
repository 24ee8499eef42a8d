/**
 * The resolvers through Apollo's `executeOperation` (no HTTP), on a small seeded and crunched
 * database of their own: results against the database, error codes and their HTTP status,
 * the auth checker, masking of internal errors, depth and cost limits.
 */
import type { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { crunchSpending, JobRegistry } from '../../../src/jobs/index.js';
import type { AdminAccess, GraphQLContext } from '../../../src/resolvers/index.js';
import { buildAppSchema, createApollo, createContext } from '../../../src/server/index.js';
import { type CustomerSpending, MONTH_KEYS } from '../../../src/spending/index.js';
import { openServiceDatabase, seed } from '../../helpers/seeded.js';
import {
  CancelJobDocument,
  CancelSeedJobDocument,
  CrunchJobDocument,
  CrunchSpendingDocument,
  CustomerSpendingDocument,
  CustomerSpendingIdsDocument,
  type CustomerSpendingIdsQuery,
  OrderDocument,
  OrdersDocument,
  ProductDocument,
  ProductsDocument,
  ResetDatabaseDocument,
  SeedDatabaseDocument,
  SeedJobDocument,
  SeedJobsDocument,
  SpendingStatusDocument,
  JobsDocument,
  TypenameDocument,
  UsersDocument,
  type UsersQuery,
} from '../../helpers/generated/graphql.js';
import { codesOf, dataOf, execute, until } from '../../helpers/graphql.js';

let database: Database;
let empty: Database;
let jobs: JobRegistry;
let emptyJobs: JobRegistry;
let apollo: ApolloServer<GraphQLContext>;
const logged: string[] = [];
/** A context as the server makes one: the database and the jobs that run on it. */
const ctx = (access: AdminAccess = 'open', db: Database = database): GraphQLContext => createContext(db, db === database ? jobs : emptyJobs, access);

beforeAll(async () => {
  database = await openServiceDatabase('gql_resolvers');
  empty = await openServiceDatabase('gql_resolvers_empty');
  await seed(database, { users: 300, seed: 5, workers: 2 });
  await crunchSpending(database, { year: 2025 });
  jobs = new JobRegistry(database, { holdsDataInMemory: false });
  emptyJobs = new JobRegistry(empty, { holdsDataInMemory: false });
  apollo = createApollo({ schema: await buildAppSchema(), development: false, maxDepth: 12, maxCost: 20_000, log: (line) => logged.push(line) });
  await apollo.start();
});

afterAll(async () => {
  await apollo?.stop();
  for (const db of [database, empty]) {
    await db?.db.dropDatabase().catch(() => undefined);
    await db?.close();
  }
});

describe('spending queries', () => {
  it('customerSpending returns the crunched document, maps as lists', async () => {
    const doc = (await database.db.collection<CustomerSpending>('customer_spending').findOne({ monthly_avg_expense: { $gt: 0 } }))!;
    const { customerSpending } = dataOf(await execute(apollo, ctx(), CustomerSpendingDocument, { customerId: doc._id.toUpperCase() }));
    expect(customerSpending).toMatchObject({ customerId: doc.customer_id, email: doc.email, year: 2025, monthlyAvgExpense: doc.monthly_avg_expense });
    expect(customerSpending!.details).toEqual({ firstName: doc.details.first_name, lastName: doc.details.last_name });
    expect(customerSpending!.monthlySpenses).toEqual(doc.monthly_spenses);
    for (const month of MONTH_KEYS) {
      const asMap = Object.fromEntries(customerSpending!.categorizedMonthlyExpenses[month].map((c) => [c.category, c.amount]));
      expect(asMap).toEqual(doc.categorized_monthly_expenses[month]);
    }
    const averages = customerSpending!.categorizedMonthlyAvgExpense;
    expect(Object.fromEntries(averages.map((c) => [c.category, c.amount]))).toEqual(doc.categorized_monthly_avg_expense);
    // largest first
    expect(averages.map((c) => c.amount)).toEqual([...averages.map((c) => c.amount)].sort((a, b) => b - a));
  });

  it('customerSpending is null for an unknown customer and BAD_USER_INPUT (400) for a bad id', async () => {
    expect(dataOf(await execute(apollo, ctx(), CustomerSpendingDocument, { customerId: 'f'.repeat(24) })).customerSpending).toBeNull();
    const bad = await execute(apollo, ctx(), CustomerSpendingDocument, { customerId: 'nope' });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.status).toBe(400);
    expect(bad.errors![0]!.extensions).toMatchObject({ reason: 'BAD_CUSTOMER_ID' });
    expect(bad.errors![0]!.extensions).not.toHaveProperty('http');
  });

  it('concurrent customerSpending requests (sharing queries) answer exactly what one request alone does', async () => {
    const docs = await database.db
      .collection<CustomerSpending>('customer_spending')
      .find({}, { projection: { _id: 1 } })
      .limit(40)
      .toArray();
    const ids = [...docs.map((d) => d._id), docs[0]!._id.toUpperCase(), docs[1]!._id, 'f'.repeat(24), 'nope'];
    const alone: unknown[] = [];
    for (const customerId of ids) alone.push(await execute(apollo, ctx(), CustomerSpendingDocument, { customerId }));
    const together = await Promise.all(ids.map((customerId) => execute(apollo, ctx(), CustomerSpendingDocument, { customerId })));
    expect(together).toEqual(alone);
    expect(alone.filter((r) => (r as { data?: { customerSpending?: unknown } }).data?.customerSpending)).toHaveLength(42);
  });

  it('customerSpendings pages through everyone, in order, without gaps', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: CustomerSpendingIdsQuery['customerSpendings'] = dataOf(
        await execute(apollo, ctx(), CustomerSpendingIdsDocument, { first: 64, after, sort: { field: 'MONTHLY_AVG_EXPENSE', direction: 'DESC' } }),
      ).customerSpendings;
      ids.push(...page.edges.map((e) => e.node.customerId));
      const averages = page.edges.map((e) => e.node.monthlyAvgExpense);
      expect(averages).toEqual([...averages].sort((a, b) => b - a));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
  });
});

describe('admin mutations and jobs', () => {
  it('need admin access: UNAUTHENTICATED (401) without credentials, FORBIDDEN (403) with the wrong token', async () => {
    for (const [access, code, status] of [
      ['missing', 'UNAUTHENTICATED', 401],
      ['malformed', 'UNAUTHENTICATED', 401],
      ['wrong', 'FORBIDDEN', 403],
    ] as const) {
      const crunch = await execute(apollo, ctx(access), CrunchSpendingDocument, { year: 2025 });
      expect(codesOf(crunch), access).toEqual([code]);
      expect(crunch.status).toBe(status);
      expect(codesOf(await execute(apollo, ctx(access), SeedDatabaseDocument, { input: { users: 10 } }))).toEqual([code]);
      expect(codesOf(await execute(apollo, ctx(access), ResetDatabaseDocument, { confirm: true }))).toEqual([code]);
      expect(codesOf(await execute(apollo, ctx(access), CancelSeedJobDocument, { id: 'x' }))).toEqual([code]);
      expect(codesOf(await execute(apollo, ctx(access), CancelJobDocument, { id: 'x' }))).toEqual([code]);
    }
    expect(await database.db.collection('users').countDocuments()).toBe(300);
  });

  it('crunchSpending answers at once with a RUNNING crunch job; crunchJob and job report it until SUCCEEDED with what it wrote', async () => {
    const { crunchSpending: started } = dataOf(await execute(apollo, ctx('admin'), CrunchSpendingDocument, { year: 2025 }));
    expect(started).toMatchObject({ kind: 'CRUNCH', status: 'RUNNING', request: { year: 2025, since: null }, result: null, error: null, cancellable: true });
    expect(started.progress.map((p) => [p.phase, p.unit])).toEqual([
      ['AGGREGATE', 'customers'],
      ['INDEXES', 'indexes'],
    ]);
    const polls = await until(
      'the crunch',
      async () => dataOf(await execute(apollo, ctx(), CrunchJobDocument, { id: started.id })).crunchJob!,
      (job) => job.status !== 'RUNNING',
    );
    const done = polls.at(-1)!;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.result).toMatchObject({ year: 2025, mode: 'FULL', since: null, customers: 300, recomputed: 300 });
    expect(done.result!.orders).toBe(
      await database.db.collection('orders').countDocuments({ created_at: { $gte: new Date('2025-01-01T00:00:00Z'), $lt: new Date('2026-01-01T00:00:00Z') } }),
    );
    expect(done.result!.customersWithOrders).toBeLessThanOrEqual(300);
    // seconds to the millisecond
    for (const seconds of [done.seconds, done.result!.seconds, ...done.progress.map((p) => p.seconds)]) expect(Math.round(seconds * 1000) / 1000).toBe(seconds);
    expect(done.progress.map((p) => [p.state, p.done, p.total, p.fraction])).toEqual([
      ['DONE', 300, 300, 1],
      ['DONE', 3, 3, 1],
    ]);
    const { jobs: listed } = dataOf(await execute(apollo, ctx(), JobsDocument, {}));
    expect(listed[0]).toEqual({ id: started.id, kind: 'CRUNCH', status: 'SUCCEEDED' });
    expect(dataOf(await execute(apollo, ctx(), JobsDocument, { kind: 'SEED' })).jobs).toEqual([]);
    // not a seed job
    expect(dataOf(await execute(apollo, ctx(), SeedJobDocument, { id: started.id })).seedJob).toBeNull();
    const status = dataOf(await execute(apollo, ctx(), SpendingStatusDocument)).spendingStatus;
    expect(status).toMatchObject({ year: 2025, stale: false, reason: null, customers: 300, mode: 'FULL' });
    expect(status.source).toEqual(status.dataset);
    expect(status.dataset).toMatchObject({ origin: 'SEED', seed: 5 });
  });

  it('cancelJob stops a crunch; the job settles CANCELLED and customer_spending stays as it was', async () => {
    const before = await database.db.collection('customer_spending').find().sort({ _id: 1 }).toArray();
    const { crunchSpending: started } = dataOf(await execute(apollo, ctx('admin'), CrunchSpendingDocument, { year: 2025 }));
    const { cancelJob: cancelled } = dataOf(await execute(apollo, ctx('admin'), CancelJobDocument, { id: started.id }));
    expect(cancelled.id).toBe(started.id);
    const done = (
      await until(
        'the cancel',
        async () => dataOf(await execute(apollo, ctx(), CrunchJobDocument, { id: started.id })).crunchJob!,
        (job) => job.status !== 'RUNNING',
      )
    ).at(-1)!;
    expect(done.status).toBe('CANCELLED');
    expect(done.error).toEqual({
      code: 'CANCELLED',
      message: expect.stringMatching(/^the crunch was cancelled during aggregate; customer_spending is untouched: 2025, 300 customers/),
    });
    expect(done.result).toBeNull();
    expect(await database.db.collection('customer_spending').find().sort({ _id: 1 }).toArray()).toEqual(before);
    const names = (await database.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((name) => name.startsWith('datadragon_staging_'))).toEqual([]);
  });

  it('crunchSpending on an empty database is NOT_FOUND (404); a bad year is BAD_USER_INPUT', async () => {
    const notFound = await execute(apollo, ctx('open', empty), CrunchSpendingDocument, {});
    expect(codesOf(notFound)).toEqual(['NOT_FOUND']);
    expect(notFound.status).toBe(404);
    expect(notFound.errors![0]!.message).toMatch(/no users/);
    expect(codesOf(await execute(apollo, ctx(), CrunchSpendingDocument, { year: 0 }))).toEqual(['BAD_USER_INPUT']);
    const noOrders = await execute(apollo, ctx(), CrunchSpendingDocument, { year: 1999 });
    expect(codesOf(noOrders)).toEqual(['BAD_USER_INPUT']);
    expect(noOrders.errors![0]!.extensions).toMatchObject({ reason: 'NO_ORDERS_IN_YEAR' });
    expect(noOrders.errors![0]!.message).toMatch(/no orders in 1999.*the orders are from 2025 \([\d,]+ orders\)/);
  });

  it('resetDatabase needs confirm: true; unknown jobs are null or NOT_FOUND', async () => {
    const refused = await execute(apollo, ctx(), ResetDatabaseDocument, { confirm: false });
    expect(codesOf(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).toMatch(/confirm: true/);
    expect(dataOf(await execute(apollo, ctx(), SeedJobDocument, { id: 'nope' })).seedJob).toBeNull();
    for (const cancel of [
      await execute(apollo, ctx(), CancelSeedJobDocument, { id: 'nope' }),
      await execute(apollo, ctx(), CancelJobDocument, { id: 'nope' }),
    ]) {
      expect(codesOf(cancel)).toEqual(['NOT_FOUND']);
      expect(cancel.status).toBe(404);
    }
    expect(dataOf(await execute(apollo, ctx(), SeedJobsDocument)).seedJobs).toEqual([]);
  });

  it('seedDatabase refuses bad options with every problem named after the input field', async () => {
    const bad = await execute(apollo, ctx(), SeedDatabaseDocument, { input: { users: 0, maxOrders: -1, locale: 'xx_XX' } });
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.message).toMatch(/input\.users: the number of users must be at least 1/);
    expect(bad.errors![0]!.message).toMatch(/input\.maxOrders/);
    expect(bad.errors![0]!.message).toMatch(/input\.locale: unknown locale/);
    expect(jobs.list('seed')).toEqual([]);
  });
});

describe('exploring the seeded data', () => {
  it('users page through every user', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total: number;
    for (;;) {
      const { users }: UsersQuery = dataOf(await execute(apollo, ctx(), UsersDocument, { first: 100, after }));
      total = users.totalCount;
      for (const edge of users.edges) seen.add(edge.node.id);
      if (!users.pageInfo.hasNextPage) break;
      after = users.pageInfo.endCursor;
    }
    expect(total).toBe(300);
    expect(seen.size).toBe(300);
    const someone = (await database.db.collection('users').findOne({}))!;
    const found = dataOf(await execute(apollo, ctx(), UsersDocument, { emailContains: (someone.email as string).toUpperCase() })).users;
    expect(found.edges.map((e) => e.node.customerId)).toContain(someone.customer_id);
    expect(found.edges[0]!.node.details.fullName).toBeNull();
  });

  it('products filter by category', async () => {
    const product = (await database.db.collection('products').findOne({}))!;
    const category = (product.categories as string[])[0]!;
    const { products } = dataOf(await execute(apollo, ctx(), ProductsDocument, { category, first: 100 }));
    expect(products.totalCount).toBe(await database.db.collection('products').countDocuments({ categories: category }));
    for (const edge of products.edges) expect(edge.node.categories).toContain(category);
    const one = dataOf(await execute(apollo, ctx(), ProductDocument, { id: product._id.toHexString() })).product;
    expect(one).toMatchObject({ id: product._id.toHexString(), title: product.title, price: product.price });
  });

  it('orders come with their cart, lines, products and customer, in one query per kind', async () => {
    const order = (await database.db.collection('orders').findOne({}))!;
    const { orders } = dataOf(await execute(apollo, ctx(), OrdersDocument, { customerId: order.customer_id as string, first: 100 }));
    expect(orders.totalCount).toBe(await database.db.collection('orders').countDocuments({ customer_id: order.customer_id }));
    for (const { node } of orders.edges) {
      expect(node.customerId).toBe(order.customer_id);
      expect(node.customer!.customerId).toBe(order.customer_id);
      expect(node.cart!.id).toBe(node.cartId);
      expect(node.cart!.customerId).toBe(node.customerId);
      const cents = node.cart!.lines.reduce((sum, line) => sum + Math.round(line.amount * 100), 0);
      expect(cents).toBe(Math.round(node.cart!.amount * 100));
      for (const line of node.cart!.lines) {
        expect(line.product!.id).toBe(line.productId);
        expect(line.amount).toBeCloseTo(line.price * line.quantity, 2);
      }
    }
    expect(dataOf(await execute(apollo, ctx(), OrderDocument, { id: order._id.toHexString() })).order).toMatchObject({ cartId: order.cart_id });
    const badId = await execute(apollo, ctx(), OrderDocument, { id: 'zz' });
    expect(codesOf(badId)).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await execute(apollo, ctx(), OrdersDocument, { customerId: 'zz' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('errors and limits', () => {
  it('masks internal errors outside development (logged with the stack)', async () => {
    const broken = {
      ...database,
      db: {
        collection: () => {
          throw new Error('secret connection detail');
        },
      },
    } as unknown as Database;
    const result = await execute(apollo, ctx('open', broken), CustomerSpendingDocument, { customerId: 'a'.repeat(24) });
    expect(codesOf(result)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(result.errors![0]!.message).toBe('Internal server error');
    expect(JSON.stringify(result.errors)).not.toMatch(/secret|stacktrace/);
    expect(logged.some((line) => line.includes('secret connection detail'))).toBe(true);
  });

  it('shows them in development', async () => {
    const dev = createApollo({ schema: await buildAppSchema(), development: true, maxDepth: 12, maxCost: 20_000, log: () => undefined });
    await dev.start();
    try {
      const broken = {
        ...database,
        db: {
          collection: () => {
            throw new Error('secret connection detail');
          },
        },
      } as unknown as Database;
      const result = await execute(dev, ctx('open', broken), CustomerSpendingDocument, { customerId: 'a'.repeat(24) });
      expect(result.errors![0]!.message).toMatch(/secret connection detail/);
      expect(result.errors![0]!.extensions).toHaveProperty('stacktrace');
    } finally {
      await dev.stop();
    }
  });

  it('refuses queries that are too deep or too costly (400)', async () => {
    const deep = await apollo.executeOperation(
      { query: '{ orders { edges { node { cart { lines { product { id } } } } } } a: orders { edges { node { customer { details { firstName } } } } } }' },
      { contextValue: ctx() },
    );
    expect(deep.body.kind === 'single' && deep.body.singleResult.errors).toBeFalsy();
    const tooDeep = createApollo({ schema: await buildAppSchema(), development: false, maxDepth: 5, maxCost: 20_000, log: () => undefined });
    const tooDeepResult = await execute(tooDeep, ctx(), OrdersDocument, { first: 1 });
    expect(codesOf(tooDeepResult)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(tooDeepResult.errors![0]!.message).toMatch(/levels deep; the limit is 5/);
    expect(tooDeepResult.status).toBe(400);

    const aliases = Array.from(
      { length: 10 },
      (_, i) =>
        `p${i}: customerSpendings(first: 100) { edges { node { customerId categorizedMonthlyExpenses { jan { category amount } } monthlySpenses { jan fev mar } } } }`,
    ).join('\n');
    const costly = await apollo.executeOperation({ query: `{ ${aliases} }` }, { contextValue: ctx() });
    if (costly.body.kind !== 'single') throw new Error('single');
    expect(costly.body.singleResult.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'QUERY_TOO_COSTLY' });
    expect(costly.body.singleResult.errors?.[0]?.message).toMatch(/costs \d+; the limit is 20000/);
    expect(costly.http.status).toBe(400);
    expect(dataOf(await execute(apollo, ctx(), TypenameDocument))).toEqual({ __typename: 'Query' });
  });
});
