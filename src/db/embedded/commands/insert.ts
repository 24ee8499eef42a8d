import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { checkValidation, enforceCap, refuseView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { collectionName, refuseTransactions, requireArray } from './support.js';
import { writeError, type WriteError } from './write-errors.js';

/** insert: ordered stops at the first failure; unordered inserts every document it can. */
export const insertCommand: CommandDefinition = {
  name: 'insert',
  writes: true,
  run(command, context) {
    refuseTransactions(command);
    const name = collectionName(command, 'insert');
    const documents = requireArray(command, 'documents') as Document[];
    const raws = context.rawSequences.get('documents');
    const ordered = command.ordered !== false;
    const collection = context.catalog.getOrCreate(context.db, name);
    refuseView(collection);
    const writeErrors: WriteError[] = [];
    let n = 0;
    for (let i = 0; i < documents.length; i++) {
      const doc = documents[i];
      try {
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new CommandError('TypeMismatch', `documents[${i}] is not an object`);
        checkValidation(collection, doc);
        collection.insert(doc, raws?.[i]);
        n++;
      } catch (error) {
        writeErrors.push(writeError(i, error));
        if (ordered) break;
      }
    }
    enforceCap(collection);
    return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  },
};
