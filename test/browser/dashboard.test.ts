/**
 * The dashboard as a person uses it, in headless Chromium: on a crunched dataset it draws its
 * charts, its tables hold the API's figures (per month, per category, the top customers),
 * the customer search finds a customer by email and by id; at 800 px wide nothing overflows;
 * an empty database shows what to do, and its "seed, then crunch" button gets there. No
 * request leaves the server, no console error. Screenshots go to test/browser/screenshots/
 * (dashboard.png is the README's).
 *
 * Needs Debian's chromium (see browser.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { startServer, type AppServer } from '../../src/server/index.js';
import { DASHBOARD_PATH } from '../../src/server/dashboard.js';
import { crunchSpending } from '../../src/jobs/index.js';
import { CUSTOMER_SPENDING_COLLECTION, type CustomerSpending, MONTH_KEYS } from '../../src/spending/index.js';
import { dataOf, post } from '../helpers/graphql.js';
import { openServiceDatabase, seed } from '../helpers/seeded.js';
import { launchChromium, openWatchedPage, type WatchedPage } from './browser.js';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** "R$ 1,234.56" → 1234.56 */
const amountOf = (text: string): number => Number(text.replace(/^R\$\s*/, '').replace(/,/g, ''));

/** The rows of a table: [header cell, other cells...] as text. */
async function tableRows(page: Page, selector: string): Promise<string[][]> {
  return page
    .locator(`${selector} tbody tr`)
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from((row as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells).map((cell) => (cell.textContent ?? '').trim()),
      ),
    );
}

/** Opens a chart's table (a disclosure) by keyboard, as a person without a mouse would. */
async function openTable(page: Page, section: string): Promise<void> {
  await page.locator(`#${section} details.as-table summary`).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator(`#${section} details.as-table`).evaluate((details) => (details as unknown as { open: boolean }).open)).toBe(true);
}

/** Whether a canvas has anything drawn on it. */
async function drawnPixels(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate((canvas) => {
    const c = canvas as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });
}

async function openDashboard(server: AppServer, options: { width?: number } = {}): Promise<WatchedPage> {
  const watched = await openWatchedPage(browser, new URL(server.url).origin, { ...options, reducedMotion: true });
  await watched.page.goto(new URL(DASHBOARD_PATH, server.url).href);
  await watched.page.locator('#status').waitFor({ state: 'hidden', timeout: 30_000 });
  return watched;
}

describe('the dashboard on a crunched year', () => {
  let database: Database;
  let server: AppServer;
  let docs: CustomerSpending[];

  beforeAll(async () => {
    database = await openServiceDatabase('browser_dashboard');
    await seed(database, { users: 200, seed: 21, workers: 2 });
    await crunchSpending(database, { year: 2025 });
    docs = await database.db.collection<CustomerSpending>(CUSTOMER_SPENDING_COLLECTION).find().toArray();
    server = await startServer({ database, port: 0, log: () => undefined });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.db.dropDatabase().catch(() => undefined);
    await database?.close();
  });

  interface Summary {
    spendingSummary: {
      year: number;
      total: number;
      months: Record<string, number>;
      categories: { category: string; amount: number }[];
      topCustomers: { customerId: string; email: string; monthlyAvgExpense: number }[];
    };
  }
  const apiSummary = async (): Promise<Summary['spendingSummary']> =>
    dataOf(
      await post<Summary, unknown>(
        server.url,
        `{ spendingSummary { year total months { ${MONTH_KEYS.join(' ')} } categories { category amount } topCustomers(first: 10) { customerId email monthlyAvgExpense } } }`,
      ),
    ).spendingSummary;

  it('draws the year and shows the API figures per month, per category and for the top customers', async () => {
    const { page, outside, errors } = await openDashboard(server, { width: 1280 });
    try {
      const api = await apiSummary();
      await expect(page.locator('h1').innerText()).resolves.toBe('Spending in 2025');
      for (const chart of ['#months-chart', '#categories-chart', '#distribution-chart']) {
        await expect.poll(() => drawnPixels(page, chart), { message: chart }).toBeGreaterThan(1000);
        // The canvas is an image with a text alternative.
        expect(await page.locator(chart).getAttribute('role')).toBe('img');
        expect(await page.locator(chart).getAttribute('aria-label')).toMatch(/^.{40,}$/);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

      await openTable(page, 'months');
      const months = await tableRows(page, '#months');
      expect(months.map((row) => row[0])).toEqual(MONTH_NAMES);
      expect(months.map((row) => amountOf(row[1]!))).toEqual(MONTH_KEYS.map((key) => api.months[key]));
      // And the API's figures are the documents' (not only self-consistent).
      expect(api.months.dez).toBeCloseTo(
        docs.reduce((sum, doc) => sum + doc.monthly_spenses.dez, 0),
        2,
      );

      await openTable(page, 'categories');
      const categories = await tableRows(page, '#categories');
      expect(categories.map((row) => ({ category: row[0], amount: amountOf(row[1]!) }))).toEqual(api.categories);
      expect(categories.length).toBeGreaterThan(3);

      await openTable(page, 'distribution');
      const buckets = await tableRows(page, '#distribution');
      expect(buckets.reduce((n, row) => n + Number(row[1]!.replace(/,/g, '')), 0)).toBe(200);

      const top = await tableRows(page, '#top');
      expect(top.map((row) => ({ email: row[1], monthlyAvgExpense: amountOf(row[2]!) }))).toEqual(
        api.topCustomers.map(({ email, monthlyAvgExpense }) => ({ email, monthlyAvgExpense })),
      );
      expect(amountOf((await page.locator('#overview dd').first().innerText()).trim())).toBe(api.total);

      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('finds a customer by the start of the email and by id, and shows their year', async () => {
    const { page, outside, errors } = await openDashboard(server, { width: 1280 });
    try {
      const one = [...docs].sort((a, b) => b.monthly_avg_expense - a.monthly_avg_expense)[3]!;
      const unique = docs.filter((doc) => doc.email.startsWith(one.email.slice(0, 12)));
      expect(unique.map((doc) => doc._id)).toEqual([one._id]); // a prefix that names one customer
      await page.getByLabel('Email or customer id').fill(one.email.slice(0, 12).toUpperCase());
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#customer-name').innerText()).toBe(`${one.details.first_name} ${one.details.last_name}`);
      await expect.poll(() => drawnPixels(page, '#customer-months-chart')).toBeGreaterThan(500);
      await openTable(page, 'customer-months');
      const months = await tableRows(page, '#customer-months');
      expect(months.map((row) => amountOf(row[1]!))).toEqual(MONTH_KEYS.map((key) => one.monthly_spenses[key]));
      await openTable(page, 'customer-categories');
      const categories = await tableRows(page, '#customer-categories');
      const yearly = new Map<string, number>();
      for (const key of MONTH_KEYS)
        for (const [category, amount] of Object.entries(one.categorized_monthly_expenses[key])) yearly.set(category, (yearly.get(category) ?? 0) + amount);
      expect(Object.fromEntries(categories.map((row) => [row[0], amountOf(row[1]!)]))).toEqual(
        Object.fromEntries([...yearly].map(([category, amount]) => [category, Math.round(amount * 100) / 100])),
      );
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-customer.png'), fullPage: true });

      // By id; then a name in the top table opens that customer.
      const other = docs.find((doc) => doc._id !== one._id && doc.monthly_avg_expense > 0)!;
      await page.getByLabel('Email or customer id').fill(other._id);
      await page.getByRole('button', { name: 'Search' }).click();
      await expect.poll(() => page.locator('#customer-name').innerText()).toBe(`${other.details.first_name} ${other.details.last_name}`);
      await page.locator('#top button.link').first().click();
      const best = [...docs].sort((a, b) => b.monthly_avg_expense - a.monthly_avg_expense || (a._id < b._id ? -1 : 1))[0]!;
      await expect.poll(() => page.locator('#customer-name').innerText()).toBe(`${best.details.first_name} ${best.details.last_name}`);

      await page.getByLabel('Email or customer id').fill('no-such-customer@');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#customer-results').innerText()).toMatch(/No customer's email starts with/);
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('fits 800 px: one column, nothing wider than the window', async () => {
    const { page, outside, errors } = await openDashboard(server, { width: 800 });
    try {
      await expect.poll(() => drawnPixels(page, '#categories-chart')).toBeGreaterThan(1000);
      const widths = await page.evaluate(() => {
        const { document } = globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
        return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth };
      });
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const [months, categories] = await Promise.all(['#months', '#categories'].map((id) => page.locator(id).boundingBox()));
      expect(categories!.y).toBeGreaterThan(months!.y + months!.height - 1); // stacked, not side by side
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-800.png'), fullPage: true });
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the dashboard on an empty database', () => {
  let database: Database;
  let server: AppServer;

  beforeAll(async () => {
    database = await openServiceDatabase('browser_dashboard_empty');
    server = await startServer({ database, port: 0, log: () => undefined });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.db.dropDatabase().catch(() => undefined);
    await database?.close();
  });

  it('says what to do instead of drawing empty charts, and its button seeds and crunches', async () => {
    const { page, outside, errors } = await openDashboard(server, { width: 1000 });
    try {
      await expect(page.locator('h1').innerText()).resolves.toBe('No spending to show yet');
      expect(await page.locator('canvas').count()).toBe(0);
      const steps = await page.locator('#empty ol').innerText();
      expect(steps).toContain('npx datadragon seed');
      expect(steps).toContain('npx datadragon crunch');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-empty.png'), fullPage: true });

      await page.getByRole('button', { name: /Seed .* customers, then crunch/ }).click();
      await expect.poll(() => page.locator('h1').innerText(), { timeout: 90_000, interval: 250 }).toMatch(/^Spending in \d{4}$/);
      await expect.poll(() => drawnPixels(page, '#months-chart')).toBeGreaterThan(1000);
      expect(await database.db.collection(CUSTOMER_SPENDING_COLLECTION).countDocuments()).toBe(800);
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
