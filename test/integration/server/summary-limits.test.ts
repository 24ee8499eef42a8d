/**
 * The dashboard's summary reads (spendingSummary and its fields, customerSearch) are bounded
 * as the other API reads are: each carries the API's maxTimeMS, a database that does not
 * answer is SERVICE_UNAVAILABLE with a retry hint, and each whole-year aggregation counts in
 * the cost limit. Through the real HTTP server on the shared test server.
 */
import 'reflect-metadata';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/connection.js';
import { SUMMARY_READ_COST } from '../../../src/resolvers/summary.resolver.js';
import { CUSTOMER_SPENDING_COLLECTION, MONTH_KEYS } from '../../../src/spending/months.js';
import { freezableProxy, mongoUri, uniqueDbName } from '../../helpers/database.js';
import { startApiServer } from '../../helpers/api-server.js';
import { codesOf, post } from '../../helpers/graphql.js';

const SUMMARY = '{ spendingSummary { year customers categories { category amount } averageDistribution { min customers } topCustomers(first: 3) { email } } }';
const SEARCH = '{ customerSearch(term: "ana", first: 5) { email } }';

const dbName = uniqueDbName('gql_summary_limits');
const connection = mongoose.createConnection(mongoUri(), { dbName, monitorCommands: true });
let watched: Database;
const commands: { name: string; maxTimeMS: unknown }[] = [];

beforeAll(async () => {
  await connection.asPromise();
  watched = { uri: mongoUri(), dbName, connection, db: connection.db as unknown as Database['db'], close: () => connection.close() };
  const months = Object.fromEntries(MONTH_KEYS.map((key) => [key, 2]));
  await watched.db.collection(CUSTOMER_SPENDING_COLLECTION).insertOne({
    _id: '65d9b8ed0100000000000003' as never,
    email: 'ana@example.test',
    year: 2025,
    monthly_spenses: months,
    monthly_avg_expense: 2,
    categorized_monthly_expenses: { jan: { books: 2 } },
  });
  connection.getClient().on('commandStarted', (event) => {
    if (['find', 'aggregate', 'count'].includes(event.commandName))
      commands.push({ name: `${event.commandName} ${String(event.command[event.commandName])}`, maxTimeMS: event.command.maxTimeMS });
  });
});

afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
});

describe('the summary reads are bounded like the other reads', () => {
  it('every read of spendingSummary, its fields and customerSearch carries maxTimeMS', async () => {
    const api = await startApiServer(watched, { limits: { maxTimeMS: 1234 } });
    try {
      commands.length = 0;
      const summary = await post(api.url, SUMMARY);
      expect(summary.errors).toBeUndefined();
      expect(summary.data).toMatchObject({ spendingSummary: { year: 2025, customers: 1, topCustomers: [{ email: 'ana@example.test' }] } });
      const search = await post(api.url, SEARCH);
      expect([search.errors, search.data]).toEqual([undefined, { customerSearch: [{ email: 'ana@example.test' }] }]);
      expect(commands.length).toBeGreaterThanOrEqual(5); // overview, categories, distribution, top customers, search
      expect(commands.filter((command) => command.maxTimeMS !== 1234)).toEqual([]);
    } finally {
      await api.stop();
    }
  });

  it('a database that does not answer: 503 with Retry-After, not a hung request nor an internal error', async () => {
    const proxy = await freezableProxy();
    const busy = await openDatabase(proxy.uri, { dbName });
    const api = await startApiServer(busy, { limits: { maxTimeMS: 200 } });
    try {
      expect((await post(api.url, SEARCH)).errors).toBeUndefined();
      proxy.freeze(true);
      for (const query of [SUMMARY, SEARCH]) {
        const result = await post(api.url, query);
        expect([result.status, result.headers.get('retry-after'), [...new Set(codesOf(result))]], query).toEqual([503, '5', ['SERVICE_UNAVAILABLE']]);
        expect(result.errors![0]!.message).toMatch(/the database cannot serve this request now: it did not answer in time/);
      }
    } finally {
      proxy.freeze(false);
      await api.stop();
      await busy.close();
      await proxy.close();
    }
  });

  it('each whole-year aggregation counts in the cost limit', async () => {
    const api = await startApiServer(watched, { limits: { maxCost: 4 * SUMMARY_READ_COST } });
    try {
      const one = await post(api.url, '{ spendingSummary { total categories { amount } averageDistribution { customers } } }');
      expect([one.status, one.errors]).toEqual([200, undefined]);
      const aliased = await post(api.url, '{ a: spendingSummary { total categories { amount } } b: spendingSummary { total categories { amount } } }');
      expect([aliased.status, aliased.errors?.[0]?.extensions?.reason]).toEqual([400, 'QUERY_TOO_COSTLY']);
      expect(aliased.errors![0]!.message).toMatch(/^the operation costs \d+; the limit is 2000/);
    } finally {
      await api.stop();
    }
  });
});
