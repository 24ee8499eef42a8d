/** `datadragon serve` (and `npm start`): the GraphQL server and its playground, until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { authModeFor, readServerConfig, startServer } from '../../server/index.js';
import { withDatabase } from '../database.js';
import { action, untilSignal } from '../run.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the GraphQL API (Apollo Server) and its playground')
    .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free port (default: $PORT or 4000)')
    .addHelpText(
      'after',
      `
Admin mutations (seedDatabase, cancelSeedJob, crunchSpending, resetDatabase) need
"Authorization: Bearer $ADMIN_TOKEN" when ADMIN_TOKEN is set. Without it the server runs
only on a loopback address (127.0.0.1, ::1, localhost), where anyone on this machine may
run them; it refuses to start on any other address.

Environment: HOST, PORT, ADMIN_TOKEN, NODE_ENV=development (error details in responses),
GRAPHQL_MAX_DEPTH (default 12), GRAPHQL_MAX_COST (default 20000); the database as for
every command (MONGODB_URI, else a local mongod, else the embedded engine).

Examples:
  npx datadragon serve
  PORT=8080 npx datadragon serve
  ADMIN_TOKEN=$(openssl rand -hex 24) npx datadragon serve --host 0.0.0.0`,
    )
    .action(
      action(async (flags: { host?: string; port?: string }) => {
        const config = readServerConfig({ host: flags.host, port: flags.port });
        authModeFor(config.host, config.adminToken); // refuse before any database starts
        const signal = untilSignal();
        await withDatabase(async (database, backend) => {
          const server = await startServer({
            database,
            host: config.host,
            port: config.port,
            adminToken: config.adminToken,
            development: config.development,
            maxDepth: config.maxDepth,
            maxCost: config.maxCost,
            backendHoldsData: backend.kind === 'embedded' || backend.kind === 'embedded-shared',
          });
          console.error(`datadragon: GraphQL API at ${server.url} (database ${database.dbName})`);
          console.error(`datadragon: playground at ${server.playgroundUrl}`);
          console.error(
            server.authMode.kind === 'token'
              ? 'datadragon: admin mutations need "Authorization: Bearer $ADMIN_TOKEN"'
              : `datadragon: admin mutations are open to anyone on this machine (loopback address ${config.host}, no ADMIN_TOKEN set)`,
          );
          const received = await signal;
          console.error(`datadragon: ${received}: stopping (draining requests, stopping jobs, flushing the database)...`);
          await server.stop();
        });
        console.error('datadragon: stopped.');
      }),
    );
}
