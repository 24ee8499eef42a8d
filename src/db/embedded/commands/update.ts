import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { matchingDocuments } from '../query/find.js';
import { collationOf } from '../query/collation.js';
import { sortDocuments } from '../query/sort.js';
import { applyUpdate, upsertDocument } from '../query/update.js';
import type { Collection } from '../storage/collection.js';
import { checkValidation, enforceCap, refuseView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { checkHint, collectionName, refuseTransactions, requireArray } from './support.js';
import { writeError, type WriteError } from './write-errors.js';

interface UpdateStatement {
  q: Document;
  u: Document | Document[];
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
  collation?: Document;
  hint?: unknown;
}

function parseStatement(raw: unknown, i: number): UpdateStatement {
  const s = raw as UpdateStatement;
  if (!s || typeof s !== 'object' || typeof s.q !== 'object' || s.q === null || typeof s.u !== 'object' || s.u === null) {
    throw new CommandError('FailedToParse', `updates[${i}] needs an object 'q' and an object or pipeline 'u'`);
  }
  if (s.multi && !Array.isArray(s.u) && Object.keys(s.u).length > 0 && !Object.keys(s.u)[0]!.startsWith('$')) {
    throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
  }
  return s;
}

/** Applies one update statement; returns [matched, modified, upsertedId?]. */
export function runUpdateStatement(collection: Collection, s: UpdateStatement): [number, number, unknown?] {
  let matched = 0;
  let modified = 0;
  checkHint(collection, s.hint);
  let targets: Iterable<Document> = matchingDocuments(collection, s.q, s.collation);
  if (s.sort && !s.multi) targets = sortDocuments([...targets], s.sort, collationOf(s.collation)?.compare).slice(0, 1);
  for (const doc of targets) {
    matched++;
    const next = applyUpdate(doc, s.u, { arrayFilters: s.arrayFilters, query: s.q });
    if (next) {
      checkValidation(collection, next, doc);
      collection.replace(doc, next);
      modified++;
    }
    if (!s.multi) break;
  }
  if (matched === 0 && s.upsert) {
    const upsert = upsertDocument(s.q, s.u, { arrayFilters: s.arrayFilters, query: s.q });
    checkValidation(collection, upsert);
    const doc = collection.insert(upsert);
    return [0, 0, doc._id];
  }
  return [matched, modified];
}

export const updateCommand: CommandDefinition = {
  name: 'update',
  writes: true,
  run(command, context) {
    refuseTransactions(command);
    const name = collectionName(command, 'update');
    const statements = requireArray(command, 'updates');
    const ordered = command.ordered !== false;
    const collection = context.catalog.getOrCreate(context.db, name);
    refuseView(collection);
    let n = 0;
    let nModified = 0;
    const upserted: { index: number; _id: unknown }[] = [];
    const writeErrors: WriteError[] = [];
    for (let i = 0; i < statements.length; i++) {
      try {
        const [matched, modified, upsertedId] = runUpdateStatement(collection, parseStatement(statements[i], i));
        n += matched;
        nModified += modified;
        if (upsertedId !== undefined) {
          upserted.push({ index: i, _id: upsertedId });
          n++;
        }
      } catch (error) {
        writeErrors.push(writeError(i, error));
        if (ordered) break;
      }
    }
    if (upserted.length) enforceCap(collection);
    const reply: Document = { n, nModified };
    if (upserted.length) reply.upserted = upserted;
    if (writeErrors.length) reply.writeErrors = writeErrors;
    reply.ok = 1;
    return reply;
  },
};
