/** `datadragon db`: the embedded engine alone, in the foreground, for mongosh, Compass or any driver. */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultDataDir, integer, readConfigFile, resolveOptions } from '../../config.js';
import { startEngineThread } from '../../db/embedded/index.js';
import { UserInputError } from '../../errors.js';
import { action, untilSignal } from '../run.js';

const DbOptions = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: integer('the port', 0, 65535).default(27017),
  dataDir: z.string().min(1).optional(),
});

export function registerDbCommand(program: Command): void {
  program
    .command('db')
    .description('run the embedded MongoDB-compatible engine in the foreground (mongosh, Compass and any driver can connect)')
    .option('--host <host>', 'address to listen on (default: 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free port (default: 27017)')
    .option('--data-dir <dir>', 'keep data durably in this directory (default: $DATADRAGON_DATA_DIR or ./.datadragon/data)')
    .option('--in-memory', 'keep nothing: all data is gone when the engine stops')
    .addHelpText(
      'after',
      '\nExamples:\n  npx datadragon db --in-memory --port 27099\n  npx mongosh mongodb://127.0.0.1:27099/shop\n\nStop with Ctrl-C (SIGINT) or SIGTERM: data is flushed and the data directory unlocked.',
    )
    .action(
      action(async (flags: { host?: string; port?: string; dataDir?: string; inMemory?: boolean }) => {
        if (flags.inMemory && flags.dataDir) throw new UserInputError('--data-dir and --in-memory exclude each other: choose one');
        const options = resolveOptions(DbOptions, { flags: { host: flags.host, port: flags.port, dataDir: flags.dataDir }, file: readConfigFile() });
        const dataDir = flags.inMemory ? undefined : path.resolve(options.dataDir ?? defaultDataDir());
        const engine = await startEngineThread({ host: options.host, port: options.port, ...(dataDir ? { dataDir } : {}), log: (line) => console.error(line) });
        console.log(`datadragon engine listening on ${engine.uri}`);
        console.log(dataDir ? `data directory: ${dataDir} (durable)` : 'in memory: nothing is kept when it stops');
        console.log(`connect with: npx mongosh ${engine.uri}`);
        const signal = await untilSignal();
        console.log(`\n${signal}: stopping the engine...`);
        await engine.stop();
        console.log('stopped.');
      }),
    );
}
