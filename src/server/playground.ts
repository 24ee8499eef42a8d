/**
 * The browser pages, from the app's own files (nothing fetched from a CDN: they work
 * offline): the playground — GraphiQL, whose and React's prebuilt browser bundles come from
 * their npm packages (resolved at startup), mounted by `public/playground/playground.js`,
 * served at `/playground` and at `/graphql` for browsers (Apollo's landing page hook) — the
 * dashboard (dashboard.ts) at `/dashboard`, and the favicon.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { Router, type Request, type Response } from 'express';
import { packageRoot } from '../package.js';
import { DASHBOARD_CSP, DASHBOARD_NOT_BUILT, DASHBOARD_PATH, dashboardAssets, dashboardHtml } from './dashboard.js';
import { htmlPage, scriptJson } from './html.js';
import { EXAMPLE_OPERATIONS } from './examples.js';

const require = createRequire(import.meta.url);

const fromPackage = (pkg: string, file: string): string => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

interface Asset {
  file: string;
  type: string;
}

/** Every file the page loads, by the name it is served under. */
function assets(): Record<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  return {
    'react.production.min.js': { file: fromPackage('react', 'umd/react.production.min.js'), type: js },
    'react-dom.production.min.js': { file: fromPackage('react-dom', 'umd/react-dom.production.min.js'), type: js },
    'graphiql.min.js': { file: fromPackage('graphiql', 'graphiql.min.js'), type: js },
    'graphiql.min.css': { file: fromPackage('graphiql', 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
    'playground.js': { file: path.join(packageRoot(), 'public', 'playground', 'playground.js'), type: js },
  };
}

export interface PlaygroundOptions {
  /** The GraphQL endpoint's path, e.g. /graphql. */
  endpoint: string;
  /** Where the assets are served, e.g. /playground/assets. */
  assetsPath: string;
  /** Whether admin mutations need a token (then the admin tabs get an Authorization header to fill in). */
  tokenRequired: boolean;
}

export function playgroundHtml(options: PlaygroundOptions): string {
  const adminHeaders = options.tokenRequired ? JSON.stringify({ Authorization: 'Bearer <paste ADMIN_TOKEN here>' }, null, 2) : '{}';
  const tabs = EXAMPLE_OPERATIONS.map((op) => ({
    query: op.query,
    variables: op.variables ? JSON.stringify(op.variables, null, 2) : undefined,
    headers: op.admin ? adminHeaders : undefined,
  }));
  const config = { endpoint: options.endpoint, tabs };
  const a = options.assetsPath;
  return htmlPage({
    title: 'datadragon playground',
    head: `    <style>html, body { height: 100%; margin: 0; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="${a}/graphiql.min.css" />`,
    body: `    <div id="graphiql">Loading the playground…</div>
    <script id="playground-config" type="application/json">${scriptJson(config)}</script>
    <script src="${a}/react.production.min.js"></script>
    <script src="${a}/react-dom.production.min.js"></script>
    <script src="${a}/graphiql.min.js"></script>
    <script src="${a}/playground.js"></script>`,
  });
}

/** `GET /assets/<name>` for the files given (404 for any other name). */
function assetRoute(router: Router, files: Record<string, Asset>): void {
  router.get('/assets/:name', (req: Request, res: Response) => {
    const name = String(req.params.name);
    const asset = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!asset) {
      res.status(404).type('text').send('not found');
      return;
    }
    res.set('Content-Type', asset.type).set('Cache-Control', 'public, max-age=3600');
    res.sendFile(asset.file);
  });
}

/** `GET /` (the page) and `GET /assets/<file>` for the files above. */
export function playgroundRouter(options: PlaygroundOptions): Router {
  const files = assets();
  for (const [name, asset] of Object.entries(files)) {
    if (!fs.existsSync(asset.file)) throw new Error(`the playground asset ${name} is missing (${asset.file}): run npm install`);
  }
  const html = playgroundHtml(options);
  const router = Router();
  router.get('/', (_req: Request, res: Response) => {
    res.type('html').set('Cache-Control', 'no-cache').send(html);
  });
  assetRoute(router, files);
  return router;
}

/**
 * `GET /` (the dashboard) and its assets. A checkout where only tsc ran has no bundle: the page
 * then says how to build it (503) instead of failing the server's start.
 */
export function dashboardRouter(options: PlaygroundOptions, playgroundPath: string): Router {
  const files = dashboardAssets(packageRoot());
  const bundle = files['dashboard.js']!.file;
  const page = (): string => {
    const version = createHash('sha256').update(fs.readFileSync(bundle)).digest('hex').slice(0, 12);
    return dashboardHtml({ endpoint: options.endpoint, playgroundPath, assetsPath: `${DASHBOARD_PATH}/assets`, tokenRequired: options.tokenRequired, version });
  };
  let html = fs.existsSync(bundle) ? page() : undefined;
  const router = Router();
  router.get('/', (_req: Request, res: Response) => {
    res.type('html').set('Cache-Control', 'no-cache');
    html ??= fs.existsSync(bundle) ? page() : undefined;
    if (html === undefined) {
      res.status(503).send(DASHBOARD_NOT_BUILT);
      return;
    }
    res.set('Content-Security-Policy', DASHBOARD_CSP).send(html);
  });
  assetRoute(router, files);
  return router;
}

const FAVICONS: Record<string, Asset> = {
  '/favicon.ico': { file: path.join(packageRoot(), 'public', 'favicon.ico'), type: 'image/x-icon' },
  '/favicon.svg': { file: path.join(packageRoot(), 'public', 'favicon.svg'), type: 'image/svg+xml' },
};

/**
 * Every browser page of the app, mounted at the root: `/` redirects to the playground at
 * `playgroundPath`, the dashboard is at DASHBOARD_PATH, the favicon at /favicon.ico and /favicon.svg.
 */
export function uiRouter(playgroundPath: string, options: PlaygroundOptions): Router {
  const router = Router();
  router.get('/', (_req: Request, res: Response) => res.redirect(302, playgroundPath));
  for (const [url, icon] of Object.entries(FAVICONS)) {
    router.get(url, (_req: Request, res: Response) => {
      res.set('Content-Type', icon.type).set('Cache-Control', 'public, max-age=86400');
      res.sendFile(icon.file);
    });
  }
  router.use(playgroundPath, playgroundRouter(options));
  router.use(DASHBOARD_PATH, dashboardRouter(options, playgroundPath));
  return router;
}

/** Apollo's landing page hook: a browser GETting the endpoint (Accept: text/html) gets the playground. */
export function playgroundLandingPage(options: PlaygroundOptions): ApolloServerPlugin {
  const html = playgroundHtml(options);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
