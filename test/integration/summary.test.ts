/**
 * The dashboard's figures (src/spending/summary.ts) against the documents they summarise: a
 * seeded, crunched dataset, every figure recomputed here from the documents read back; the
 * customer search; the empty collection; and the same figures through GraphQL over HTTP.
 * Runs on the shared test server (the engine, or a real MongoDB with MONGODB_URI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { startServer, type AppServer } from '../../src/server/index.js';
import { crunchSpending } from '../../src/jobs/index.js';
import { CUSTOMER_SPENDING_COLLECTION, type CustomerSpending, MONTH_KEYS } from '../../src/spending/index.js';
import {
  AVERAGE_BUCKET_EDGES,
  averageDistribution,
  categoryTotals,
  searchCustomers,
  toCents,
  topSpenders,
  yearOverview,
  yearOverviews,
} from '../../src/spending/summary.js';
import { codesOf, dataOf, post } from '../helpers/graphql.js';
import { allDocs, openServiceDatabase, seed } from '../helpers/seeded.js';

const YEAR = 2025;
let database: Database;
let docs: CustomerSpending[];

beforeAll(async () => {
  database = await openServiceDatabase('summary');
  await seed(database, { users: 300, seed: 14, workers: 2 });
  await crunchSpending(database, { year: YEAR });
  docs = await allDocs<CustomerSpending>(database.db, CUSTOMER_SPENDING_COLLECTION);
});

afterAll(async () => {
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

const sum = (values: number[]): number => toCents(values.reduce((a, b) => a + b, 0));

describe('the year overview', () => {
  it('sums every month over the customers, counts them and those who spent', async () => {
    const overview = (await yearOverview(database))!;
    expect(overview.year).toBe(YEAR);
    expect(overview.customers).toBe(300);
    expect(overview.customersWithSpending).toBe(docs.filter((doc) => MONTH_KEYS.some((key) => doc.monthly_spenses[key] > 0)).length);
    expect(overview.customersWithSpending).toBeGreaterThan(0);
    expect(overview.customersWithSpending).toBeLessThan(300); // the seed leaves some customers without orders
    for (const key of MONTH_KEYS) expect(overview.months[key], key).toBe(sum(docs.map((doc) => doc.monthly_spenses[key])));
    expect(overview.total).toBe(sum(docs.flatMap((doc) => MONTH_KEYS.map((key) => doc.monthly_spenses[key]))));
  });

  it('answers for the year asked, and null for a year with no documents', async () => {
    expect((await yearOverview(database, YEAR))?.year).toBe(YEAR);
    expect(await yearOverview(database, YEAR - 1)).toBeNull();
  });
});

describe('the figures of a year', () => {
  it('totals every category over the months and the customers', async () => {
    const want = new Map<string, number[]>();
    for (const doc of docs)
      for (const key of MONTH_KEYS)
        for (const [category, amount] of Object.entries(doc.categorized_monthly_expenses[key])) want.set(category, [...(want.get(category) ?? []), amount]);
    const totals = await categoryTotals(database, YEAR);
    expect(Object.keys(totals).sort()).toEqual([...want.keys()].sort());
    for (const [category, amounts] of want) expect(totals[category], category).toBe(sum(amounts));
    expect(await categoryTotals(database, YEAR - 1)).toEqual({});
  });

  it('spreads the monthly averages over the buckets, every customer in exactly one', async () => {
    const buckets = await averageDistribution(database, YEAR);
    expect(buckets[0]).toEqual({ min: 0, max: 0.01, customers: docs.filter((doc) => doc.monthly_avg_expense === 0).length });
    for (const bucket of buckets) {
      const inside = docs.filter((doc) => doc.monthly_avg_expense >= bucket.min && (bucket.max === null || doc.monthly_avg_expense < bucket.max));
      expect(bucket.customers, `${bucket.min}–${bucket.max}`).toBe(inside.length);
    }
    expect(buckets.reduce((n, bucket) => n + bucket.customers, 0)).toBe(300);
    // Contiguous edges from the list, ending at the last non-empty bucket.
    expect(buckets.map((bucket) => bucket.min)).toEqual(AVERAGE_BUCKET_EDGES.slice(0, buckets.length));
    expect(buckets.at(-1)!.customers).toBeGreaterThan(0);
  });

  it('lists the top spenders, highest average first, with the fields asked for', async () => {
    const want = [...docs].sort((a, b) => b.monthly_avg_expense - a.monthly_avg_expense || (a._id < b._id ? -1 : 1)).slice(0, 7);
    const top = await topSpenders(database, YEAR, 7, { email: 1, monthly_avg_expense: 1 });
    expect(top).toEqual(want.map((doc) => ({ _id: doc._id, email: doc.email, monthly_avg_expense: doc.monthly_avg_expense })));
    expect(await topSpenders(database, YEAR - 1, 7)).toEqual([]);
  });
});

describe('the customer search', () => {
  it('finds a customer by id, in any case', async () => {
    const one = docs[42]!;
    expect((await searchCustomers(database, one._id.toUpperCase(), 5)).map((doc) => doc._id)).toEqual([one._id]);
  });

  it('finds customers by the start of their email, in email order', async () => {
    const one = docs[7]!;
    const prefix = one.email.slice(0, 3);
    const want = docs
      .filter((doc) => doc.email.startsWith(prefix))
      .map((doc) => doc.email)
      .sort()
      .slice(0, 10);
    const found = await searchCustomers(database, ` ${prefix.toUpperCase()} `, 10, { email: 1 });
    expect(found.map((doc) => doc.email)).toEqual(want);
    expect(found.map((doc) => doc.email)).toContain(one.email);
  });

  it('takes the term literally: regular expression characters match only themselves', async () => {
    const one = docs[3]!;
    const [local, domain] = one.email.split('@') as [string, string];
    expect((await searchCustomers(database, `${local}@${domain}`, 5)).map((doc) => doc.email)).toEqual([one.email]);
    expect(await searchCustomers(database, `${local}@${domain.replace('.', '?')}`, 5)).toEqual([]);
    expect(await searchCustomers(database, '.*', 5)).toEqual([]);
    expect(await searchCustomers(database, '   ', 5)).toEqual([]);
  });
});

describe('an empty customer_spending', () => {
  it('has no overview and no figures', async () => {
    const empty = await openServiceDatabase('summary_empty');
    try {
      expect(await yearOverviews(empty)).toEqual([]);
      expect(await yearOverview(empty)).toBeNull();
      expect(await averageDistribution(empty, YEAR)).toEqual([{ min: 0, max: 0.01, customers: 0 }]);
    } finally {
      await empty.db.dropDatabase().catch(() => undefined);
      await empty.close();
    }
  });
});

describe('through GraphQL', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startServer({ database, port: 0, log: () => undefined });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const SUMMARY = `query Summary($year: Int) {
    spendingSummary(year: $year) {
      year customers customersWithSpending total
      months { jan fev mar abr mai jun jul ago set out nov dez }
      categories { category amount }
      averageDistribution { min max customers }
      topCustomers(first: 3) { customerId email monthlyAvgExpense }
    }
  }`;

  interface SummaryData {
    spendingSummary: {
      year: number;
      total: number;
      months: Record<string, number>;
      categories: { category: string; amount: number }[];
      averageDistribution: { min: number; max: number | null; customers: number }[];
      topCustomers: { customerId: string; email: string; monthlyAvgExpense: number }[];
    } | null;
  }

  it('serves the service figures as they are', async () => {
    const { spendingSummary: summary } = dataOf(await post<SummaryData, { year?: number }>(server.url, SUMMARY));
    const overview = (await yearOverview(database))!;
    expect(summary).toMatchObject({ year: YEAR, total: overview.total, months: overview.months });
    const totals = await categoryTotals(database, YEAR);
    expect(summary!.categories).toHaveLength(Object.keys(totals).length);
    expect(Object.fromEntries(summary!.categories.map((c) => [c.category, c.amount]))).toEqual(totals);
    expect(summary!.categories.map((c) => c.amount)).toEqual([...summary!.categories.map((c) => c.amount)].sort((a, b) => b - a));
    expect(summary!.averageDistribution).toEqual(await averageDistribution(database, YEAR));
    const top = await topSpenders(database, YEAR, 3);
    expect(summary!.topCustomers).toEqual(top.map((doc) => ({ customerId: doc.customer_id, email: doc.email, monthlyAvgExpense: doc.monthly_avg_expense })));
  });

  it('answers null for a year that was not crunched', async () => {
    expect(dataOf(await post<SummaryData, { year: number }>(server.url, SUMMARY, { year: 1999 })).spendingSummary).toBeNull();
  });

  it('searches customers, and refuses a list size out of range', async () => {
    const one = docs[11]!;
    const found = dataOf(
      await post<{ customerSearch: { customerId: string }[] }, unknown>(server.url, `{ customerSearch(term: "${one.email}") { customerId } }`),
    );
    expect(found.customerSearch).toEqual([{ customerId: one._id }]);
    expect(codesOf(await post(server.url, `{ customerSearch(term: "a", first: 0) { customerId } }`))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await post(server.url, `{ spendingSummary { topCustomers(first: 101) { email } } }`))).toEqual(['BAD_USER_INPUT']);
  });
});
