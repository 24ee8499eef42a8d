import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { matchingDocuments } from '../query/find.js';
import { refuseView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { checkHint, collectionName, existing, refuseTransactions, requireArray } from './support.js';
import { writeError, type WriteError } from './write-errors.js';

export const deleteCommand: CommandDefinition = {
  name: 'delete',
  writes: true,
  run(command, context) {
    refuseTransactions(command);
    const name = collectionName(command, 'delete');
    const statements = requireArray(command, 'deletes');
    const ordered = command.ordered !== false;
    const collection = existing(context, name);
    refuseView(collection);
    let n = 0;
    const writeErrors: WriteError[] = [];
    for (let i = 0; i < statements.length; i++) {
      try {
        const s = statements[i] as { q?: Document; limit?: number; collation?: Document; hint?: unknown };
        if (!s || typeof s.q !== 'object' || s.q === null) throw new CommandError('FailedToParse', `deletes[${i}] needs an object 'q'`);
        if (!collection) continue;
        checkHint(collection, s.hint);
        const limit = Number(s.limit ?? 0);
        if (limit === 0 && Object.keys(s.q).length === 0 && !s.collation) {
          n += collection.size;
          collection.clear();
          continue;
        }
        for (const doc of matchingDocuments(collection, s.q, s.collation)) {
          collection.delete(doc);
          n++;
          if (limit === 1) break;
        }
      } catch (error) {
        writeErrors.push(writeError(i, error));
        if (ordered) break;
      }
    }
    return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  },
};
