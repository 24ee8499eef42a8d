import type { Long } from 'bson';
import { toLong, cursorIdOf } from '../storage/cursors.js';
import { encodeCursorReply } from '../wire/cursor-reply.js';
import type { CommandDefinition } from './context.js';
import { collectionName, nonNegative } from './support.js';

export const getMoreCommand: CommandDefinition = {
  name: 'getMore',
  run(command, context) {
    const id = cursorIdOf(command.getMore);
    const ns = `${context.db}.${collectionName(command, 'collection')}`;
    const cursor = context.cursors.get(id, ns);
    const batch = cursor.nextBatch(nonNegative(command, 'batchSize') || undefined);
    if (batch.exhausted) context.cursors.close(id);
    return encodeCursorReply('nextBatch', batch.docs, toLong(batch.exhausted ? 0n : id), ns);
  },
};

export const killCursorsCommand: CommandDefinition = {
  name: 'killCursors',
  run(command, context) {
    const ids = Array.isArray(command.cursors) ? command.cursors.map(cursorIdOf) : [];
    const cursorsKilled: Long[] = [];
    const cursorsNotFound: Long[] = [];
    for (const id of ids) (context.cursors.close(id) ? cursorsKilled : cursorsNotFound).push(toLong(id));
    return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },
};
