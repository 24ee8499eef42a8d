/**
 * The Apollo Server of the app, alone: schema, validation rules, limits and error formatting.
 * Resolver tests run it with `executeOperation`; `http-app.ts` mounts it on Express.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { ApiRootValue, GraphQLContext } from '../resolvers/index.js';
import { withDefaultLimits, type ApiLimits } from './config.js';
import { formatErrorWith } from './errors.js';
import { costLimitPlugin, depthLimitRule, servedOperationsRule } from './limits.js';
import { MAX_QUERY_TOKENS } from './operation-guard.js';
import { responseSizePlugin } from './response-size.js';

export interface ApolloOptions {
  schema: GraphQLSchema;
  development: boolean;
  maxDepth: number;
  maxCost: number;
  /** The other limits (time, response size...); defaults: SERVER_DEFAULTS. */
  limits?: Partial<ApiLimits>;
  log: (line: string) => void;
  plugins?: ApolloServer<GraphQLContext>['internals']['plugins'];
}

export function createApollo(options: ApolloOptions): ApolloServer<GraphQLContext> {
  const limits = withDefaultLimits({ maxDepth: options.maxDepth, maxCost: options.maxCost, ...options.limits });
  const rootValue: ApiRootValue = Object.freeze({ maxTimeMS: limits.maxTimeMS });
  return new ApolloServer<GraphQLContext>({
    schema: options.schema,
    csrfPrevention: true,
    // The owner (the serve command) handles SIGINT/SIGTERM and stops everything in order.
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: options.development,
    parseOptions: { maxTokens: MAX_QUERY_TOKENS },
    validationRules: [depthLimitRule(limits.maxDepth), servedOperationsRule],
    // What the resolvers hand down to their reads (timeLimitOf).
    rootValue: () => rootValue,
    formatError: formatErrorWith({ development: options.development, log: options.log }),
    plugins: [
      costLimitPlugin(limits.maxCost),
      responseSizePlugin(limits.maxResponseBytes),
      // No HTTP caching hints: without this plugin every field resolver is wrapped to compute them.
      ApolloServerPluginCacheControlDisabled(),
      // Nothing is ever sent to Apollo's cloud, even with APOLLO_KEY set.
      ApolloServerPluginUsageReportingDisabled(),
      ...(options.plugins ?? []),
    ],
    logger: quietLogger(options.log),
  });
}

/** Apollo's logger: warnings and errors to our log, the rest dropped. */
function quietLogger(log: (line: string) => void) {
  const noop = (): void => undefined;
  return {
    debug: noop,
    info: noop,
    warn: (...args: unknown[]) => log(`apollo: ${args.join(' ')}`),
    error: (...args: unknown[]) => log(`apollo: ${args.join(' ')}`),
  };
}
