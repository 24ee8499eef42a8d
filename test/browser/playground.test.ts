/**
 * The playground as a person uses it, in headless Chromium: the page loads from the app's
 * own files with no request leaving this machine, the schema docs are there, and a
 * customerSpendings query typed into the editor and run shows its result; the tabs come in
 * the order of the work, the OneCustomer tab holds a crunched customer's id, and after the
 * Seed tab runs, the SeedJob tab holds the new job's id.
 *
 * Needs Debian's chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { startServer, type AppServer } from '../../src/server/index.js';
import { crunchSpending } from '../../src/jobs/index.js';
import type { CustomerSpending } from '../../src/spending/index.js';
import { openServiceDatabase, seed } from '../helpers/seeded.js';
import { launchChromium, openWatchedPage } from './browser.js';
const SCREENSHOTS = process.env.PLAYGROUND_SCREENSHOTS; // a folder, to look at the page

let database: Database;
let server: AppServer;
let browser: Browser;
let top: CustomerSpending;

beforeAll(async () => {
  database = await openServiceDatabase('browser_playground');
  await seed(database, { users: 200, seed: 21, workers: 2 });
  await crunchSpending(database, { year: 2025 });
  top = (await database.db.collection<CustomerSpending>('customer_spending').find().sort({ monthly_avg_expense: -1, _id: 1 }).limit(1).next())!;
  server = await startServer({ database, port: 0, log: () => undefined });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

/** A page that may talk to this server only: anything else is recorded and aborted. */
async function openPage(url: string): Promise<{ page: Page; outside: string[]; errors: string[] }> {
  const { page, outside, errors } = await openWatchedPage(browser, new URL(server.url).origin);
  await page.goto(url);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
  return { page, outside, errors };
}

/** The text of one of GraphiQL's CodeMirror editors. */
async function editorText(page: Page, selector: string): Promise<string> {
  // Runs in the page (the tsconfig has no DOM types: the page's globals are typed by hand).
  return page.evaluate((css) => {
    const { document } = globalThis as unknown as { document: { querySelector(selector: string): { CodeMirror?: { getValue(): string } } | null } };
    return document.querySelector(css)?.CodeMirror?.getValue() ?? '';
  }, selector);
}

const responseText = (page: Page): Promise<string> => editorText(page, '.graphiql-response .CodeMirror');
const variablesText = (page: Page): Promise<string> => editorText(page, '.graphiql-editor-tool .CodeMirror');

const activeTab = (page: Page): Promise<string> => page.locator('.graphiql-tab-active .graphiql-tab-button').innerText();

/** The name of the operation GraphiQL would run: it parses the query editor a moment after each change. */
function parsedOperation(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as { document: { querySelector(selector: string): { CodeMirror?: { operationName?: string | null } } | null } };
    return document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror?.operationName ?? null;
  });
}

async function openTab(page: Page, title: string): Promise<void> {
  await page.locator(`button.graphiql-tab-button[title="${title}"]`).click();
  await expect.poll(() => activeTab(page)).toBe(title);
  // Run only once GraphiQL has parsed the tab's operation: before that, it would run the
  // previous tab's (under load, that moment can be long).
  await expect.poll(() => parsedOperation(page), { timeout: 30_000 }).toBe(title);
}

describe('the playground', () => {
  it('runs a customerSpendings query typed into the editor, offline', async () => {
    const { page, outside, errors } = await openPage(server.playgroundUrl);
    try {
      // The example operations are there as tabs.
      await expect.poll(() => page.locator('.graphiql-tab').count()).toBeGreaterThanOrEqual(6);
      const query = `query Top {
  customerSpendings(first: 3, sort: { field: MONTHLY_AVG_EXPENSE, direction: DESC }, filter: { minMonthlyAvg: 0 }) {
    totalCount
    edges { node { customerId email monthlyAvgExpense monthlySpenses { dez } } }
  }
}`;
      await page.click('.graphiql-query-editor .CodeMirror');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(query);
      // The editor has parsed it once the tab is named after the operation (as a person would see).
      await expect.poll(() => page.locator('.graphiql-tab-active').innerText()).toContain('Top');
      await page.click('.graphiql-execute-button');
      await expect.poll(() => responseText(page), { timeout: 30_000 }).toContain('"totalCount": 200');
      const result = JSON.parse(await responseText(page)) as { data: { customerSpendings: { edges: { node: { customerId: string; email: string } }[] } } };
      expect(result.data.customerSpendings.edges[0]!.node).toMatchObject({ customerId: top._id, email: top.email });
      if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/playground-result.png` });
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('has the tabs in the order of the work, and a crunched customer in the OneCustomer tab', async () => {
    const { page, outside, errors } = await openPage(server.playgroundUrl);
    try {
      // GraphiQL names each tab once it has parsed its operation: wait for the names.
      await expect
        .poll(async () => (await page.locator('.graphiql-tab .graphiql-tab-button').allInnerTexts()).slice(0, 3), { timeout: 30_000 })
        .toEqual(['Seed', 'SeedJob', 'Crunch']);
      await expect.poll(() => activeTab(page)).toBe('Seed');
      await openTab(page, 'OneCustomer');
      await expect.poll(() => variablesText(page)).toContain(top._id);
      await page.click('.graphiql-execute-button');
      await expect.poll(() => responseText(page), { timeout: 30_000 }).toContain(`"customerId": "${top._id}"`);
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the schema docs, and opens from GET /graphql too', async () => {
    const { page, outside } = await openPage(server.url);
    try {
      await page.click('[aria-label="Show Documentation Explorer"]');
      await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText(), { timeout: 30_000 }).toMatch(/Query/);
      await page.locator('.graphiql-doc-explorer a', { hasText: 'Query' }).first().click();
      await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText()).toMatch(/customerSpendings/);
      if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/playground-docs.png` });
      expect(outside).toEqual([]);
    } finally {
      await page.close();
    }
  });

  // Last: it seeds the database again.
  it('puts the job id of a seed run from the Seed tab into the SeedJob tab', async () => {
    const { page, outside, errors } = await openPage(server.playgroundUrl);
    try {
      await expect.poll(() => activeTab(page)).toBe('Seed');
      await expect.poll(() => parsedOperation(page), { timeout: 30_000 }).toBe('Seed');
      await page.click('.graphiql-execute-button');
      await expect.poll(() => responseText(page), { timeout: 30_000 }).toMatch(/"status": "RUNNING"/);
      const id = (JSON.parse(await responseText(page)) as { data: { seedDatabase: { id: string } } }).data.seedDatabase.id;
      await expect.poll(() => page.locator('.datadragon-note').innerText()).toContain(id);
      await openTab(page, 'SeedJob');
      await expect.poll(() => variablesText(page)).toContain(`"id": "${id}"`);
      await page.click('.graphiql-execute-button');
      await expect.poll(() => responseText(page), { timeout: 30_000 }).toContain(`"id": "${id}"`);
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
