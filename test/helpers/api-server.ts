/**
 * The app's HTTP server assembled as `startServer` assembles it (schema, Apollo, the Express
 * app, one context per request), with limits and allowed host names of the test's choosing:
 * the settings `startServer` takes as defaults.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../src/db/connection.js';
import { JobRegistry } from '../../src/jobs/index.js';
import { accessOf } from '../../src/server/auth.js';
import { createApollo, createContext, buildAppSchema, GRAPHQL_PATH, type ApiLimits } from '../../src/server/index.js';
import { buildHttpApp } from '../../src/server/http-app.js';
import { Router } from 'express';

export interface ApiServer {
  url: string;
  base: string;
  stop(): Promise<void>;
}

export async function startApiServer(
  database: Database,
  options: { limits?: Partial<ApiLimits>; allowedHosts?: string[]; adminToken?: string } = {},
): Promise<ApiServer> {
  const apollo = createApollo({
    schema: await buildAppSchema(),
    development: false,
    maxDepth: 12,
    maxCost: 20_000,
    ...(options.limits ? { limits: options.limits } : {}),
    log: () => undefined,
  });
  await apollo.start();
  const jobs = new JobRegistry(database, { holdsDataInMemory: false });
  const app = buildHttpApp({
    apollo,
    graphqlPath: GRAPHQL_PATH,
    context: (req) => createContext(database, jobs, accessOf(req.headers.authorization, options.adminToken)),
    ui: Router(),
    uiPath: '/playground',
    log: () => undefined,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}${GRAPHQL_PATH}`,
    base,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
    },
  };
}

/** A raw HTTP request (fetch cannot forge `Host`). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
