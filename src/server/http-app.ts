/**
 * The Express application: the GraphQL endpoint first (it gets nearly every request), then the
 * browser pages (`ui`), then GraphQL-shaped JSON for unknown paths and body-parser errors.
 */
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { GraphQLContext } from '../resolvers/index.js';
import { GraphQLErrorCodes } from './errors.js';

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
}

export function buildHttpApp(options: HttpAppOptions): express.Express {
  const { apollo, graphqlPath, log } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    graphqlPath,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => options.context(req),
    }),
  );
  app.use(options.ui);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ errors: [{ message: `not found: the GraphQL endpoint is ${graphqlPath}, the playground ${options.uiPath}`, extensions: { code: GraphQLErrorCodes.NOT_FOUND } }] });
  });
  // Body parser errors (bad JSON, too large) as GraphQL-shaped JSON, never an HTML page.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message = status === 500 ? 'Internal server error' : error.type === 'entity.parse.failed' ? `the request body is not valid JSON: ${error.message}` : error.message;
    if (status === 500) log(`datadragon: HTTP error: ${error.stack ?? error.message}`);
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? GraphQLErrorCodes.INTERNAL_SERVER_ERROR : 'BAD_REQUEST' } }] });
  });
  return app;
}
