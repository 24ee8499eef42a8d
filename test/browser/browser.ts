/**
 * Debian's headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium) driven by
 * playwright-core, and pages that may talk to one origin only: any other request is recorded
 * and aborted, console errors and page errors are recorded.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export interface WatchedPage {
  page: Page;
  /** Requests to anywhere but `origin` (aborted). */
  outside: string[];
  /** Uncaught exceptions and console.error messages. */
  errors: string[];
}

export async function openWatchedPage(
  browser: Browser,
  origin: string,
  options: { width?: number; height?: number; reducedMotion?: boolean } = {},
): Promise<WatchedPage> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    reducedMotion: options.reducedMotion ? 'reduce' : 'no-preference',
  });
  const outside: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', async (route) => {
    const requested = route.request().url();
    if (requested.startsWith(origin) || requested.startsWith('data:')) await route.continue();
    else {
      outside.push(requested);
      await route.abort();
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, outside, errors };
}
