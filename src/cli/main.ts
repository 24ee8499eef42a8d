#!/usr/bin/env node
/**
 * The `datadragon` command line: each command is a thin layer over the services in src/.
 *
 * Only the command asked for is loaded (`datadragon find ...` loads find.ts alone), and each
 * command file loads its heavy modules inside its action, so `--help` and `--version` answer
 * at once. The top-level help lists every command, so it loads them all.
 */
import { Command, CommanderError } from 'commander';
import { ERROR_PREFIX, packageVersion, quietWhenOutputCloses, reportError } from './run.js';

type Register = (program: Command) => void;

/** Every command, in the order `--help` lists them, and where its definition is. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  seed: async () => (await import('./commands/seed.js')).registerSeedCommand,
  reset: async () => (await import('./commands/reset.js')).registerResetCommand,
  crunch: async () => (await import('./commands/crunch.js')).registerCrunchCommand,
  find: async () => (await import('./commands/find.js')).registerFindCommand,
  db: async () => (await import('./commands/db.js')).registerDbCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
};

/**
 * The commands a command line needs: the one it names, none for --version, all otherwise
 * (the top-level help lists them; a typo gets commander's suggestion).
 */
function commandsFor(args: readonly string[]): string[] {
  const at = args.findIndex((arg) => !arg.startsWith('-'));
  const before = at < 0 ? args : args.slice(0, at);
  if (before.some((arg) => arg === '-h' || arg === '--help')) return Object.keys(COMMANDS);
  if (at < 0) return before.some((arg) => arg === '-V' || arg === '--version') ? [] : Object.keys(COMMANDS);
  const named = args[at] === 'help' ? args[at + 1] : args[at];
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
}

quietWhenOutputCloses();

const program = new Command('datadragon')
  .description('Realistic, referentially consistent e-commerce data for MongoDB: seed it, crunch it, serve it over GraphQL.')
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .helpOption('-h, --help', 'print this help and exit')
  .showHelpAfterError('(run with --help for usage)')
  // Commander's own messages ("unknown option ...") get the prefix of every other error.
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, ERROR_PREFIX)) })
  .exitOverride();

try {
  for (const name of commandsFor(process.argv.slice(2))) (await COMMANDS[name]!())(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    reportError(error);
    process.exitCode = 1;
  }
}
