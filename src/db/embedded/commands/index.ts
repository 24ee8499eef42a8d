/** Every command the engine serves, by name. Anything else answers CommandNotFound (59). */
import { aggregateCommand } from './aggregate.js';
import { createCommand, dropCommand, dropDatabaseCommand, listCollectionsCommand, listDatabasesCommand, renameCollectionCommand } from './collections.js';
import type { CommandDefinition } from './context.js';
import { countCommand, distinctCommand } from './count.js';
import { deleteCommand } from './delete.js';
import { findAndModifyCommand } from './find-and-modify.js';
import { findCommand } from './find.js';
import { getMoreCommand, killCursorsCommand } from './get-more.js';
import { handshakeCommands } from './handshake.js';
import { createIndexesCommand, dropIndexesCommand, listIndexesCommand } from './indexes.js';
import { insertCommand } from './insert.js';
import { collStatsCommand, dbStatsCommand } from './stats.js';
import { explainCommand } from './explain.js';
import { currentOpCommand, killOpCommand, validateCommand } from './operations.js';
import { updateCommand } from './update.js';
import { maxTimeOf, withTimeLimit } from '../query/time-limit.js';

const definitions: CommandDefinition[] = [
  ...handshakeCommands,
  insertCommand,
  updateCommand,
  deleteCommand,
  findCommand,
  getMoreCommand,
  killCursorsCommand,
  aggregateCommand,
  countCommand,
  distinctCommand,
  findAndModifyCommand,
  createCommand,
  dropCommand,
  dropDatabaseCommand,
  renameCollectionCommand,
  listCollectionsCommand,
  listDatabasesCommand,
  createIndexesCommand,
  listIndexesCommand,
  dropIndexesCommand,
  collStatsCommand,
  dbStatsCommand,
  explainCommand,
  currentOpCommand,
  killOpCommand,
  validateCommand,
];

/** The commands that honour `maxTimeMS` (query/time-limit.ts), as mongod's do. */
const TIME_LIMITED = new Set(['find', 'aggregate', 'count', 'distinct', 'update', 'delete', 'findAndModify']);

function timeLimited(definition: CommandDefinition): CommandDefinition {
  if (!TIME_LIMITED.has(definition.name)) return definition;
  return { ...definition, run: (command, context) => withTimeLimit(maxTimeOf(command.maxTimeMS), () => definition.run(command, context)) };
}

const byName = new Map<string, CommandDefinition>();
for (const raw of definitions) {
  const definition = timeLimited(raw);
  byName.set(definition.name, definition);
  for (const alias of definition.aliases ?? []) byName.set(alias, definition);
}

export function findCommandDefinition(name: string): CommandDefinition | undefined {
  return byName.get(name) ?? (name.toLowerCase() === 'ismaster' || name.toLowerCase() === 'hello' ? byName.get('hello') : undefined);
}

export type { CommandContext, CommandDefinition, CommandReply, EngineInfo } from './context.js';
