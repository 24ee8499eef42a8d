/**
 * Runs one command: finds its handler, checks who may run it and mongod's limits, wraps writes
 * in a store transaction, shapes errors.
 */
import type { Document } from 'bson';
import type { CommandSession } from './auth/session.js';
import { findCommandDefinition, type CommandContext, type CommandReply } from './commands/index.js';
import { CommandError, toCommandError } from './errors.js';
import { checkCommandLimits } from './limits/check.js';
import type { Store } from './storage/store.js';

/**
 * `session` is the connection's authentication state; without one (commands the engine runs
 * for itself, `runCommand`) nothing is checked against authentication.
 */
export function dispatchCommand(command: Document, context: CommandContext, store: Store, session?: CommandSession): CommandReply {
  const name = Object.keys(command)[0];
  if (name === undefined) return new CommandError('FailedToParse', 'empty command document').toReply();
  try {
    const own = session?.handle(name, command);
    if (own) return own;
    const definition = findCommandDefinition(name);
    if (!definition) return new CommandError('CommandNotFound', `no such command: '${name}'`).toReply();
    session?.checkAllowed(definition.name, name);
    checkCommandLimits(name, command, context.db);
    const writes = typeof definition.writes === 'function' ? definition.writes(command) : definition.writes;
    if (!writes) {
      const reply = definition.run(command, context);
      return definition.name === 'hello' && session && !(reply instanceof Uint8Array) ? session.decorateHello(command, reply) : reply;
    }
    const reply = writes === 'in-steps' ? definition.run(command, context) : store.transaction(() => definition.run(command, context));
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
