/** createIndexes, listIndexes, dropIndexes. */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { IndexSpec } from '../storage/index-spec.js';
import type { CommandDefinition } from './context.js';
import { collectionName, cursorBatchSize, existing, firstBatchReply, requireArray } from './support.js';

const INDEX_OPTIONS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'hidden', 'weights', 'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max', 'wildcardProjection'];

function normalize(raw: unknown): IndexSpec {
  const spec = raw as Document;
  if (!spec || typeof spec.key !== 'object' || spec.key === null || Object.keys(spec.key).length === 0) {
    throw new CommandError('FailedToParse', "Index specification must have a non-empty 'key' object");
  }
  const name = typeof spec.name === 'string' ? spec.name : Object.entries(spec.key as Document).map(([k, v]) => `${k}_${String(v)}`).join('_');
  const out: IndexSpec = { v: 2, key: { ...(spec.key as Record<string, number | string>) }, name };
  for (const option of INDEX_OPTIONS) if (spec[option] !== undefined) out[option] = spec[option];
  return out;
}

function sameKey(a: IndexSpec, b: IndexSpec): boolean {
  return JSON.stringify(a.key) === JSON.stringify(b.key);
}

export const createIndexesCommand: CommandDefinition = {
  name: 'createIndexes',
  writes: true,
  run(command, context) {
    const name = collectionName(command, 'createIndexes');
    const specs = requireArray(command, 'indexes').map(normalize);
    const createdCollectionAutomatically = !context.catalog.get(context.db, name);
    const collection = context.catalog.getOrCreate(context.db, name);
    const numIndexesBefore = collection.indexSpecs().length;
    let added = 0;
    for (const spec of specs) {
      const current = collection.indexSpecs();
      const sameName = current.find((s) => s.name === spec.name);
      const sameKeys = current.find((s) => sameKey(s, spec));
      if (sameName && sameKeys === sameName && Boolean(sameName.unique) === Boolean(spec.unique)) continue; // already there
      if (sameName) throw new CommandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index but different options or key. Requested: ${spec.name}`);
      if (sameKeys && sameKeys.name !== '_id_') throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKeys.name}`);
      if (sameKeys) continue;
      collection.addIndex(spec);
      added++;
    }
    if (added) collection.persistIndexes();
    const reply: Document = { numIndexesBefore, numIndexesAfter: collection.indexSpecs().length, createdCollectionAutomatically };
    if (!added) reply.note = 'all indexes already exist';
    reply.ok = 1;
    return reply;
  },
};

export const listIndexesCommand: CommandDefinition = {
  name: 'listIndexes',
  run(command, context) {
    const name = collectionName(command, 'listIndexes');
    const collection = existing(context, name);
    if (!collection) throw new CommandError('NamespaceNotFound', `ns does not exist: ${context.db}.${name}`);
    return firstBatchReply(context, `${context.db}.${name}`, collection.indexSpecs()[Symbol.iterator](), { batchSize: cursorBatchSize(command) });
  },
};

export const dropIndexesCommand: CommandDefinition = {
  name: 'dropIndexes',
  aliases: ['deleteIndexes'],
  writes: true,
  run(command, context) {
    const name = collectionName(command, Object.keys(command)[0]!);
    const collection = existing(context, name);
    if (!collection) throw new CommandError('NamespaceNotFound', `ns not found ${context.db}.${name}`);
    const nIndexesWas = collection.indexSpecs().length;
    const targets = Array.isArray(command.index) ? command.index : [command.index];
    for (const target of targets) {
      if (target === '*') {
        collection.dropAllIndexes();
        continue;
      }
      const spec = collection.indexSpecs().find((s) => (typeof target === 'string' ? s.name === target : JSON.stringify(s.key) === JSON.stringify(target)));
      if (!spec) throw new CommandError('IndexNotFound', `index not found with name [${typeof target === 'string' ? target : JSON.stringify(target)}]`);
      if (spec.name === '_id_') throw new CommandError('InvalidOptions', 'cannot drop _id index');
      collection.dropIndex(spec.name);
    }
    collection.persistIndexes();
    return { nIndexesWas, ok: 1 };
  },
};
