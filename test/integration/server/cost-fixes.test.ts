/**
 * The cost limit cannot be talked down: directives that drop fields with a boolean variable,
 * page sizes out of range in every list, and the summary reads (counted like the other reads).
 * Through the real HTTP server on the shared test server, in a database of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { CUSTOMER_SPENDING_COLLECTION, MONTH_KEYS } from '../../../src/spending/months.js';
import { openServiceDatabase } from '../../helpers/seeded.js';
import { startApiServer, type ApiServer } from '../../helpers/api-server.js';
import { post } from '../../helpers/graphql.js';

let database: Database;
let api: ApiServer;

beforeAll(async () => {
  database = await openServiceDatabase('gql_cost_fixes');
  // One crunched customer, so that spendingSummary has a year and its fields resolve.
  const months = Object.fromEntries(MONTH_KEYS.map((key) => [key, 1]));
  await database.db.collection(CUSTOMER_SPENDING_COLLECTION).insertOne({
    _id: '65d9b8ed0100000000000003' as never,
    email: 'ana@example.test',
    year: 2025,
    monthly_spenses: months,
    monthly_avg_expense: 1,
    categorized_monthly_expenses: {},
  });
  api = await startApiServer(database, { limits: { maxCost: 2_500 } });
});

afterAll(async () => {
  await api?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

const reasonOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] | undefined }): unknown => result.errors?.[0]?.extensions?.reason;
const ROW = 'customerId email year monthlyAvgExpense monthlySpenses { jan fev mar abr mai jun jul ago set out nov dez }';

describe('directives with variables', () => {
  it.each([
    ['@include(if: $v)', false, true],
    ['@skip(if: $v)', true, false],
  ])('%s: the same text costs what the variables make it cost, every time', async (directive, cheap, costly) => {
    const query = `query Big($v: Boolean!) { a: customerSpendings(first: 100) ${directive} { edges { node { ${ROW} } } } b: customerSpendings(first: 100) ${directive} { edges { node { ${ROW} } } } }`;
    const first = await post(api.url, query, { v: cheap });
    expect([first.status, first.errors]).toEqual([200, undefined]);
    const second = await post(api.url, query, { v: costly });
    expect([second.status, reasonOf(second)]).toEqual([400, 'QUERY_TOO_COSTLY']);
    const again = await post(api.url, query, { v: cheap });
    expect([again.status, again.errors]).toEqual([200, undefined]);
  });
});

describe('page sizes out of range', () => {
  const costly = `a: customerSpendings(first: 100) { edges { node { ${ROW} } } } b: customerSpendings(first: 100) { edges { node { ${ROW} } } }`;

  it.each([
    ['customerSearch', (first: number) => `customerSearch(term: "a", first: ${first}) { email }`],
    ['topCustomers', (first: number) => `spendingSummary { topCustomers(first: ${first}) { email } }`],
    ['customerSpendings', (first: number) => `customerSpendings(first: ${first}) { edges { cursor } }`],
  ])('%s: a negative first lowers no cost, and alone it is BAD_PAGINATION', async (_name, field) => {
    const lowered = await post(api.url, `{ minus: ${field(-1_000_000)} ${costly} }`);
    expect([lowered.status, reasonOf(lowered)]).toEqual([400, 'QUERY_TOO_COSTLY']);
    for (const first of [-1, 0, 101, 1_000_000]) {
      const alone = await post(api.url, `{ ${field(first)} }`);
      expect(
        alone.errors?.map((error) => [error.extensions?.code, error.extensions?.reason]),
        `first: ${first}`,
      ).toEqual([['BAD_USER_INPUT', 'BAD_PAGINATION']]);
      expect(alone.errors![0]!.message).toMatch(/^first must be a whole number from 1 to 100, got /);
    }
  });
});
