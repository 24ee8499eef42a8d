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
    if (!definition.writes) return definition.run(command, context);
    const reply = store.transaction(() => definition.run(command, context));
    // `j: true` (or the legacy `fsync: true`) asks for the write to be on disk before the reply.
    const concern = command.writeConcern as Document | undefined;
    if (concern?.j === true || concern?.fsync === true) store.flush();
    return reply;
  } catch (error) {
    const commandError = toCommandError(error);
    if (commandError.code === 1) console.error(`[engine] ${name} failed:`, error);
    return commandError.toReply();
  }
}
