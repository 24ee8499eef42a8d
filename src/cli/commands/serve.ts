/** `datadragon serve` (and `npm start`): the GraphQL server and its playground, until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import type { ApiLimits, ServerOptions } from '../../server/index.js';
import { action, untilSignal } from '../run.js';

/** What `startServer` takes besides `ServerOptions`: the API's limits and the names the open mode answers. */
type ServeOptions = ServerOptions & { limits: ApiLimits; allowedHosts: readonly string[] };

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the GraphQL API (Apollo Server) and its playground')
    .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free port (default: $PORT or 4000)')
    .option(
      '--allowed-hosts <names>',
      'without ADMIN_TOKEN, host names besides localhost that requests may be addressed to, comma-separated (default: $ALLOWED_HOSTS)',
    )
    .option(
      '--cache-size <size>',
      "the embedded engine's document cache, e.g. 512MB or 2GiB (default: $DATADRAGON_CACHE_SIZE, cacheSize in the config file, or half of the memory less 1 GiB)",
    )
    .addHelpText(
      'after',
      `
Admin mutations (seedDatabase, crunchSpending, resetDatabase, cancelJob) need
"Authorization: Bearer $ADMIN_TOKEN" when ADMIN_TOKEN is set. Without it the server runs
only on a loopback address (127.0.0.1, ::1, localhost), where anyone on this machine may
run them; it refuses to start on any other address, and it refuses (403) requests whose Host
or Origin is not localhost, 127.0.0.1, [::1] or a name of --allowed-hosts (a web page must
not reach it by rebinding its own domain to 127.0.0.1).

Limits of every request: GRAPHQL_MAX_DEPTH (default 12), GRAPHQL_MAX_COST (20000),
GRAPHQL_MAX_ALIASES (30), GRAPHQL_MAX_ROOT_FIELDS (20), GRAPHQL_MAX_TIME_MS (5000: the time
limit of each database read), GRAPHQL_MAX_RESPONSE_BYTES (10485760).

Environment: HOST, PORT, ADMIN_TOKEN, ALLOWED_HOSTS, NODE_ENV=development (error details in
responses); the database as for every command (MONGODB_URI or mongodbUri in
datadragon.config.json, else a local mongod, else the embedded engine).

Examples:
  npx datadragon serve
  PORT=8080 npx datadragon serve --allowed-hosts devbox.local
  ADMIN_TOKEN=$(openssl rand -hex 24) npx datadragon serve --host 0.0.0.0`,
    )
    .action(
      action(async (flags: { host?: string; port?: string; allowedHosts?: string; cacheSize?: string }) => {
        // Loaded here, not at the top: `serve --help` must not load Apollo Server and the database.
        const [{ apiLimitsOf, authModeFor, DASHBOARD_PATH, readServerConfig, startServer }, { withDatabase }, { resolveDatabaseConfig }] = await Promise.all([
          import('../../server/index.js'),
          import('../database.js'),
          import('../settings/database.js'),
        ]);
        // Every setting is checked before the database starts.
        const config = readServerConfig({ host: flags.host, port: flags.port, allowedHosts: flags.allowedHosts });
        const databaseConfig = resolveDatabaseConfig({ flags: { cacheSize: flags.cacheSize } });
        authModeFor(config.host, config.adminToken); // refuse before any database starts
        const signal = untilSignal();
        const { backendHoldsData } = await import('../../seeding/index.js');
        await withDatabase(async (database, backend) => {
          const options: ServeOptions = {
            database,
            host: config.host,
            port: config.port,
            adminToken: config.adminToken,
            development: config.development,
            maxDepth: config.maxDepth,
            maxCost: config.maxCost,
            limits: apiLimitsOf(config),
            allowedHosts: config.allowedHosts,
            backendHoldsData: backendHoldsData(backend),
          };
          const server = await startServer(options);
          console.error(`datadragon: GraphQL API at ${server.url} (database ${database.dbName})`);
          console.error(`datadragon: playground at ${server.playgroundUrl}`);
          console.error(`datadragon: dashboard at ${new URL(server.url).origin}${DASHBOARD_PATH}`);
          console.error(
            server.authMode.kind === 'token'
              ? 'datadragon: admin mutations need "Authorization: Bearer $ADMIN_TOKEN"'
              : `datadragon: admin mutations are open to anyone on this machine (loopback address ${config.host}, no ADMIN_TOKEN set); requests must be addressed to localhost, 127.0.0.1 or [::1]${config.allowedHosts.length ? ` or ${config.allowedHosts.join(', ')}` : ''}`,
          );
          const received = await signal;
          console.error(`datadragon: ${received}: stopping (draining requests, stopping jobs, flushing the database; Ctrl-C again to stop at once)...`);
          await server.stop();
        }, databaseConfig);
        console.error('datadragon: stopped.');
      }),
    );
}
