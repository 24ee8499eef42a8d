/** Runs one command: finds its handler, wraps writes in a store transaction, shapes errors. */
import type { Document } from 'bson';
import { findCommandDefinition, type CommandContext, type CommandReply } from './commands/index.js';
import { CommandError, toCommandError } from './errors.js';
import type { Store } from './persistence/store.js';

export function dispatchCommand(command: Document, context: CommandContext, store: Store): CommandReply {
  const name = Object.keys(command)[0];
  if (name === undefined) return new CommandError('FailedToParse', 'empty command document').toReply();
  const definition = findCommandDefinition(name);
  if (!definition) return new CommandError('CommandNotFound', `no such command: '${name}'`).toReply();
  try {
    return definition.writes ? store.transaction(() => definition.run(command, context)) : definition.run(command, context);
  } catch (error) {
    const commandError = toCommandError(error);
    if (commandError.code === 1) console.error(`[engine] ${name} failed:`, error);
    return commandError.toReply();
  }
}
