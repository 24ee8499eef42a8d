/**
 * The spending dashboard's page: a small HTML shell, and the bundle that `npm run build`
 * makes from web/dashboard/ (Chart.js included) into dist/web/dashboard/. Everything it loads
 * comes from this server; its figures come from the GraphQL endpoint. Served at /dashboard
 * by `uiRouter` (playground.ts), in the document both pages share (html.ts).
 */
import path from 'node:path';
import { htmlPage, scriptJson } from './html.js';

/** Where the dashboard is served (the `serve` command prints it next to the playground's). */
export const DASHBOARD_PATH = '/dashboard';

export interface DashboardOptions {
  /** The GraphQL endpoint's path, e.g. /graphql. */
  endpoint: string;
  /** The playground's path, linked from the page. */
  playgroundPath: string;
  /** Where the assets are served, e.g. /dashboard/assets. */
  assetsPath: string;
  /** Whether admin mutations need a token (then the page offers the commands, not the buttons). */
  tokenRequired: boolean;
  /** Names this build of the bundle in its URLs, so that a browser never runs a cached older one. */
  version: string;
}

/** The bundle's files, by the name they are served under (built into dist/web/dashboard/). */
export function dashboardAssets(packageRoot: string): Record<string, { file: string; type: string }> {
  const dir = path.join(packageRoot, 'dist', 'web', 'dashboard');
  return {
    'dashboard.js': { file: path.join(dir, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
    'dashboard.js.map': { file: path.join(dir, 'dashboard.js.map'), type: 'application/json; charset=utf-8' },
    'dashboard-style.css': { file: path.join(dir, 'dashboard-style.css'), type: 'text/css; charset=utf-8' },
    'dashboard-style.css.map': { file: path.join(dir, 'dashboard-style.css.map'), type: 'application/json; charset=utf-8' },
    // The licences of what is bundled (Chart.js...), which the bundle's last comment points to.
    'dashboard.js.LEGAL.txt': { file: path.join(dir, 'dashboard.js.LEGAL.txt'), type: 'text/plain; charset=utf-8' },
  };
}

/** The page may load and call this server only. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function dashboardHtml(options: DashboardOptions): string {
  const config = { endpoint: options.endpoint, playground: options.playgroundPath, tokenRequired: options.tokenRequired };
  const a = options.assetsPath;
  return htmlPage({
    title: 'datadragon dashboard',
    head: `    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="${a}/dashboard-style.css?v=${options.version}" />`,
    body: `    <a class="skip" href="#dashboard">Skip to the figures</a>
    <header class="bar">
      <span class="brand">datadragon</span>
      <nav aria-label="Pages">
        <a href="${DASHBOARD_PATH}" aria-current="page">Dashboard</a>
        <a href="${options.playgroundPath}">Playground</a>
      </nav>
    </header>
    <main id="dashboard" tabindex="-1">
      <div id="status" class="status" role="status" aria-live="polite">Loading the dashboard…</div>
      <div id="content"></div>
      <noscript><p class="status error">The dashboard draws its charts with JavaScript: turn it on for this page, or read the same figures in the playground (${options.playgroundPath}).</p></noscript>
    </main>
    <script id="dashboard-config" type="application/json">${scriptJson(config)}</script>
    <script type="module" src="${a}/dashboard.js?v=${options.version}"></script>`,
  });
}

/** What /dashboard answers when the bundle is missing (a checkout where only tsc ran). */
export const DASHBOARD_NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>datadragon dashboard</title></head>
<body><main><h1>The dashboard is not built</h1><p>Run <code>npm run build</code> (or <code>npm install</code>) in the project folder, then reload this page.</p></main></body></html>
`;
