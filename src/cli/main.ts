#!/usr/bin/env node
/** The `datadragon` command line: each command is a thin layer over the services in src/. */
import { Command, CommanderError } from 'commander';
import { registerCrunchCommand } from './commands/crunch.js';
import { registerDbCommand } from './commands/db.js';
import { registerFindCommand } from './commands/find.js';
import { registerResetCommand } from './commands/reset.js';
import { registerSeedCommand } from './commands/seed.js';
import { registerServeCommand } from './commands/serve.js';
import { reportError } from './run.js';

const program = new Command('datadragon')
  .description('Realistic, referentially consistent e-commerce data for MongoDB: seed it, crunch it, serve it over GraphQL.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerSeedCommand(program);
registerResetCommand(program);
registerCrunchCommand(program);
registerFindCommand(program);
registerDbCommand(program);
registerServeCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    reportError(error);
    process.exitCode = 1;
  }
}
