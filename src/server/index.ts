/** The GraphQL server: start it, stop it; its auth rules and settings. Its error classes are the resolvers' (src/resolvers/index.ts). */
export { accessOf, authModeFor, isLoopback, type AuthMode } from './auth.js';
export { hostNameOf, isAllowedHostName, refusedHost } from './host-guard.js';
export { DASHBOARD_PATH } from './dashboard.js';
export { HEALTH_PATH } from './http-app.js';
export {
  apiLimitsOf,
  MIN_ADMIN_TOKEN_LENGTH,
  readServerConfig,
  SERVER_DEFAULTS,
  withDefaultLimits,
  type ApiLimits,
  type ServerConfig,
  type ServerConfigInput,
} from './config.js';
export { EXAMPLE_OPERATIONS, type ExampleOperation } from './examples.js';
export { buildAppSchema, printAppSchema } from './schema.js';
export { createApollo, type ApolloOptions } from './apollo.js';
export { createContext, GRAPHQL_PATH, PLAYGROUND_PATH, startServer, type AppServer, type ServerOptions, type ServerState } from './server.js';
