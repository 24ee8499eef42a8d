/**
 * The Express application: the host check of the open mode (host-guard.ts), a cheap health
 * check, the GraphQL endpoint (it gets nearly every request) behind the operation guard, then
 * the browser pages (`ui`), then GraphQL-shaped JSON for unknown paths and body-parser errors.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { GraphQLContext } from '../resolvers/index.js';
import { withDefaultLimits, type ApiLimits } from './config.js';
import { GraphQLErrorCodes } from './errors.js';
import { refusedHost, refusedHostMessage } from './host-guard.js';
import { operationGuard } from './operation-guard.js';

export const HEALTH_PATH = '/health';

/**
 * Request bodies up to this size: a document may hold 5,000 tokens (operation-guard.ts), a few
 * tens of kilobytes; the rest is for variables (a `where` filter with a long `$in`). Larger
 * bodies are refused (413) from their Content-Length, and their connection closed unread.
 */
export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpAppOptions {
  apollo: ApolloServer<GraphQLContext>;
  graphqlPath: string;
  /** The context of one GraphQL request. */
  context: (req: Request) => GraphQLContext;
  /** The browser pages (playground, assets), mounted at the root. */
  ui: Router;
  /** Named in the 404 message, e.g. /playground. */
  uiPath: string;
  log: (line: string) => void;
  /** The request limits (defaults: SERVER_DEFAULTS). */
  limits?: Partial<ApiLimits>;
  /** Names besides the loopback ones that the open mode answers (ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
}

const contextOf = (res: Response): GraphQLContext => res.locals.context as GraphQLContext;

const MONGOOSE_STATES = ['disconnected', 'connected', 'connecting', 'disconnecting'] as const;

export function buildHttpApp(options: HttpAppOptions): express.Express {
  const { apollo, graphqlPath, log } = options;
  const limits = withDefaultLimits(options.limits);
  const allowedHosts = options.allowedHosts ?? [];
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // One context per request, made first: its admin access says whether the open mode's host check applies.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const context = options.context(req);
    res.locals.context = context;
    if (context.access === 'open') {
      const refused = refusedHost({ host: req.headers.host, origin: req.headers.origin }, allowedHosts);
      if (refused) {
        res
          .status(403)
          .json({ errors: [{ message: refusedHostMessage(refused), extensions: { code: GraphQLErrorCodes.FORBIDDEN, reason: 'HOST_NOT_ALLOWED' } }] });
        return;
      }
    }
    next();
  });

  // Answered from this process alone: no database round trip, no GraphQL. The longest the
  // event loop was held since the previous health check says whether anything stalls it.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.get(HEALTH_PATH, (_req: Request, res: Response) => {
    const state = MONGOOSE_STATES[contextOf(res).database.connection.readyState as 0 | 1 | 2 | 3] ?? 'unknown';
    const eventLoopDelayMaxMs = Math.round(loopDelay.max / 1e5) / 10;
    loopDelay.reset();
    res
      .set('cache-control', 'no-store')
      .json({ status: state === 'connected' ? 'ok' : 'degraded', database: state, uptimeSeconds: Math.round(process.uptime()), eventLoopDelayMaxMs });
  });

  app.use(
    graphqlPath,
    express.json({ limit: MAX_BODY_BYTES }),
    operationGuard(limits),
    expressMiddleware(apollo, {
      context: async ({ res }) => contextOf(res),
    }),
  );
  app.use(options.ui);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({
      errors: [
        { message: `not found: the GraphQL endpoint is ${graphqlPath}, the playground ${options.uiPath}`, extensions: { code: GraphQLErrorCodes.NOT_FOUND } },
      ],
    });
  });
  // Body parser errors (bad JSON, too large) as GraphQL-shaped JSON, never an HTML page.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message =
      status === 500
        ? 'Internal server error'
        : error.type === 'entity.parse.failed'
          ? `the request body is not valid JSON: ${error.message}`
          : error.type === 'entity.too.large'
            ? `the request body is larger than ${MAX_BODY_BYTES} bytes, the limit`
            : error.message;
    if (status === 500) log(`datadragon: HTTP error: ${error.stack ?? error.message}`);
    // The rest of a body too large is not worth reading: close the connection instead.
    if (error.type === 'entity.too.large') res.set('connection', 'close');
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? GraphQLErrorCodes.INTERNAL_SERVER_ERROR : 'BAD_REQUEST' } }] });
  });
  return app;
}
