/** `datadragon db`: the embedded engine alone, in the foreground, for mongosh, Compass or any driver. */
import type { Command } from 'commander';
import { UserInputError } from '../../errors.js';
import { action, untilSignal } from '../run.js';

interface DbFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  inMemory?: boolean;
  auth?: boolean;
  user?: string;
  password?: string;
  maxConnections?: string;
  cacheSize?: string;
}

/** The URI with the credentials in it, for the user to copy (`password` already URI-encoded, or a placeholder). */
function uriWithCredentials(uri: string, user: string, password: string): string {
  return uri.replace('mongodb://', `mongodb://${encodeURIComponent(user)}:${password}@`) + '?authSource=admin';
}

export function registerDbCommand(program: Command): void {
  program
    .command('db')
    .description('run the embedded MongoDB-compatible engine in the foreground (mongosh, Compass and any driver can connect)')
    .option(
      '--host <host>',
      'address to listen on (default: $DATADRAGON_HOST, host in the config file, or 127.0.0.1); any other than loopback requires authentication',
    )
    .option('--port <port>', 'port to listen on, 0 for any free port (default: $DATADRAGON_PORT, port in the config file, or 27017)')
    .option('--data-dir <dir>', 'keep data durably in this directory (default: $DATADRAGON_DATA_DIR, dataDir in the config file, or ./.datadragon/data)')
    .option('--in-memory', 'keep nothing: all data is gone when the engine stops')
    .option(
      '--cache-size <size>',
      'bytes of decoded documents kept in memory, e.g. 512MB or 2GiB (default: $DATADRAGON_CACHE_SIZE, cacheSize in the config file, or half of the memory less 1 GiB); the data itself stays on disk',
    )
    .option('--auth', 'require authentication (SCRAM-SHA-256) on loopback too; always on for other addresses')
    .option('--no-auth', 'no authentication even off loopback: anyone who reaches the port gets every database (warns)')
    .option('--user <name>', 'the user clients authenticate as (default: $DATADRAGON_DB_USER or datadragon); turns authentication on')
    .option('--password <password>', 'its password (default: $DATADRAGON_DB_PASSWORD, else one is generated and printed once); turns authentication on')
    .option(
      '--max-connections <n>',
      'open connections at most; more are refused with an error (default: $DATADRAGON_MAX_CONNECTIONS, maxConnections in the config file, or 1000)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  npx datadragon db --in-memory --port 27099',
        '  npx mongosh mongodb://127.0.0.1:27099/shop',
        '  DATADRAGON_DB_PASSWORD=... npx datadragon db --host 0.0.0.0',
        '  npx mongosh "mongodb://datadragon:...@server:27017/shop?authSource=admin"',
        '',
        'On 127.0.0.1 (the default) the engine has no authentication, as mongod by default: every local',
        'user and process can reach it. Prefer the environment for the password: flags show in `ps`.',
        'Stop with Ctrl-C (SIGINT) or SIGTERM: data is flushed and the data directory unlocked.',
      ].join('\n'),
    )
    .action(
      action(async (flags: DbFlags) => {
        // Loaded here, not at the top: `db --help` must not load the engine.
        const [{ resolveDbConfig }, { createDataDir }, { formatBytes, resolveEngineAuth, startEngineThread }] = await Promise.all([
          import('../settings/db.js'),
          import('../../db/index.js'),
          import('../../db/embedded/index.js'),
        ]);
        const options = resolveDbConfig({ flags: { ...flags } }); // every setting refused before the engine starts
        const { dataDir, cacheSize } = options;
        if (dataDir) createDataDir(dataDir); // a clear error for a path that cannot be a folder (see createDataDir)
        let auth;
        try {
          auth = resolveEngineAuth(options);
        } catch (error) {
          throw new UserInputError((error as Error).message);
        }
        if (auth.kind === 'off' && auth.warning) console.error(auth.warning);
        const engine = await startEngineThread({
          host: options.host,
          port: options.port,
          maxConnections: options.maxConnections,
          ...(dataDir ? { dataDir, ...(cacheSize !== undefined ? { cacheSize } : {}) } : {}),
          ...(auth.kind === 'on' ? { auth: { user: auth.user, password: auth.password } } : {}),
          log: (line) => console.error(line),
        });
        console.log(`datadragon engine listening on ${engine.uri}`);
        console.log(
          dataDir ? `data directory: ${dataDir} (durable; document cache ${formatBytes(engine.cacheSize)})` : 'in memory: nothing is kept when it stops',
        );
        if (auth.kind === 'on') {
          console.log(`authentication: on (SCRAM-SHA-256), user ${auth.user}`);
          if (auth.generated) {
            console.log(`generated password (printed this once; set DATADRAGON_DB_PASSWORD to choose your own): ${auth.password}`);
            console.log(`connect with: npx mongosh "${uriWithCredentials(engine.uri, auth.user, encodeURIComponent(auth.password))}"`);
          } else {
            console.log(`connect with: npx mongosh "${uriWithCredentials(engine.uri, auth.user, '<password>')}"`);
          }
        } else {
          console.log(`connect with: npx mongosh ${engine.uri}`);
        }
        const ended = await Promise.race([untilSignal(), engine.failed]);
        if (ended instanceof Error) {
          console.error(`datadragon db: the engine stopped: ${ended.message}`);
          process.exitCode = 1;
          // What it committed is on disk. A thread whose heap ran out may never end, and would
          // keep this process (and process.exit) waiting for it: then it is killed.
          setTimeout(() => process.kill(process.pid, 'SIGKILL'), 2000).unref();
          return;
        }
        console.log(`\n${ended}: stopping the engine...`);
        await engine.stop();
        console.log('stopped.');
      }),
    );
}
