import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { findDocuments } from '../query/find.js';
import { Query } from '../query/mingo-context.js';
import { applyUpdate, upsertDocument } from '../query/update.js';
import { checkValidation, enforceCap, refuseView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { checkHint, collectionName, optionalDocument, refuseTransactions } from './support.js';

function project(doc: Document | null, fields: Document | undefined): Document | null {
  if (!doc || !fields || Object.keys(fields).length === 0) return doc;
  return new Query({}).find<Document>([doc], fields).all()[0] ?? null;
}

/** findAndModify: errors are top-level (ok: 0), unlike the write commands' writeErrors. */
export const findAndModifyCommand: CommandDefinition = {
  name: 'findAndModify',
  aliases: ['findandmodify'],
  writes: true,
  run(command, context) {
    refuseTransactions(command);
    const name = collectionName(command, Object.keys(command)[0]!);
    const query = optionalDocument(command, 'query') ?? {};
    const sort = optionalDocument(command, 'sort');
    const fields = optionalDocument(command, 'fields');
    const remove = command.remove === true;
    const update = command.update as Document | Document[] | undefined;
    if (remove && update !== undefined) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (!remove && (update === undefined || update === null || typeof update !== 'object'))
      throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
    const arrayFilters = command.arrayFilters as Document[] | undefined;
    const collection = remove ? context.catalog.get(context.db, name) : context.catalog.getOrCreate(context.db, name);
    refuseView(collection);
    checkHint(collection, command.hint);
    const found = findDocuments(collection, { filter: query, sort, limit: 1, collation: optionalDocument(command, 'collation') }).next();
    const doc = found.done ? null : found.value;
    if (remove) {
      if (doc && collection) collection.delete(doc);
      return { lastErrorObject: { n: doc ? 1 : 0 }, value: project(doc, fields), ok: 1 };
    }
    if (doc) {
      const next = applyUpdate(doc, update!, { arrayFilters, query });
      if (next) {
        checkValidation(collection!, next, doc);
        collection!.replace(doc, next);
      }
      return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(command.new ? (next ?? doc) : doc, fields), ok: 1 };
    }
    if (command.upsert === true) {
      const upsert = upsertDocument(query, update!, { arrayFilters, query });
      checkValidation(collection!, upsert);
      const inserted = collection!.insert(upsert);
      enforceCap(collection!);
      return { lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id }, value: project(command.new ? inserted : null, fields), ok: 1 };
    }
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  },
};
