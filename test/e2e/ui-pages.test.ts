/**
 * The browser pages over HTTP (no browser: test/browser/ has those): /dashboard and its
 * bundle, served from the app's own files with a policy that lets the page reach this server
 * only; the favicon; unknown assets.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { DASHBOARD_PATH } from '../../src/server/dashboard.js';
import { startServer, type AppServer } from '../../src/server/index.js';
import { openServiceDatabase } from '../helpers/seeded.js';

let database: Database;
let server: AppServer;
let base: string;

beforeAll(async () => {
  database = await openServiceDatabase('ui_pages');
  server = await startServer({ database, port: 0, log: () => undefined });
  base = new URL(server.url).origin;
});

afterAll(async () => {
  await server?.stop();
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
});

describe('/dashboard', () => {
  it('is an HTML page that loads only this server, with its configuration', async () => {
    const response = await fetch(`${base}${DASHBOARD_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const html = await response.text();
    const config = JSON.parse(/<script id="dashboard-config" type="application\/json">(.*?)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
    expect(config).toEqual({ endpoint: '/graphql', playground: '/playground', tokenRequired: false });
    // Every URL the page names is on this server; the bundle's name its build (no stale cached copy).
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).toMatch(/^\/|^#/);
    const bundle = new Uint8Array(await (await fetch(`${base}${DASHBOARD_PATH}/assets/dashboard.js`)).arrayBuffer());
    const version = createHash('sha256').update(bundle).digest('hex').slice(0, 12);
    expect(html).toContain(`src="${DASHBOARD_PATH}/assets/dashboard.js?v=${version}"`);
    expect(html).toContain(`href="${DASHBOARD_PATH}/assets/dashboard-style.css?v=${version}"`);
  });

  it('serves its bundle (npm run build made it) and nothing else under assets', async () => {
    const js = await fetch(`${base}${DASHBOARD_PATH}/assets/dashboard.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await js.text();
    expect(code.length).toBeGreaterThan(50_000); // Chart.js is in it
    expect(code).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^"'\s]*\.(js|css)\b/i); // no script or style fetched from elsewhere
    const css = await fetch(`${base}${DASHBOARD_PATH}/assets/dashboard-style.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    // What the bundles point to (their licences' file, their source maps) is served too.
    for (const [text, pointer] of [
      [code, /For license information please see (\S+) \*\//g],
      [code, /sourceMappingURL=(\S+)/g],
      [await css.text(), /sourceMappingURL=(\S+) \*\//g],
    ] as const) {
      const named = [...text.matchAll(pointer)].map((match) => match[1]!);
      expect(named.length, String(pointer)).toBeGreaterThan(0);
      for (const name of named) {
        const referenced = await fetch(`${base}${DASHBOARD_PATH}/assets/${name}`);
        expect([name, referenced.status]).toEqual([name, 200]);
        if (name.endsWith('.txt')) expect(await referenced.text()).toMatch(/Chart\.js v[\d.]+[\s\S]*MIT License/);
      }
    }
    expect((await fetch(`${base}${DASHBOARD_PATH}/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}${DASHBOARD_PATH}/assets/other.js`)).status).toBe(404);
  });

  it('knows whether admin mutations need a token', async () => {
    const secured = await startServer({ database, port: 0, adminToken: 'a-token-of-sixteen-chars-or-more', log: () => undefined });
    try {
      const html = await (await fetch(`${new URL(secured.url).origin}${DASHBOARD_PATH}`)).text();
      expect(html).toContain('"tokenRequired":true');
    } finally {
      await secured.stop();
    }
  });
});

describe('the favicon', () => {
  it('is an icon at /favicon.ico and an SVG at /favicon.svg', async () => {
    const ico = await fetch(`${base}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toBe('image/x-icon');
    const bytes = new Uint8Array(await ico.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]); // ICO header: reserved 0, type 1 (icon)
    const svg = await fetch(`${base}/favicon.svg`);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg /);
  });
});
