/** createIndexes, listIndexes, dropIndexes. */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { IndexSpec } from '../storage/index-spec.js';
import { refuseView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { collectionName, cursorBatchSize, existing, firstBatchReply, requireArray } from './support.js';

/** Options the engine's indexes honour; `hidden` only changes which plan mongod picks. */
const INDEX_OPTIONS = ['unique', 'sparse', 'partialFilterExpression', 'hidden'];
/** Options of kinds of index the engine does not build, or behaviour it does not have. */
const REFUSED_OPTIONS: Record<string, string> = {
  expireAfterSeconds: 'TTL indexes (expireAfterSeconds): the engine never deletes expired documents',
  collation: 'indexes with a collation',
  weights: 'text indexes',
  default_language: 'text indexes',
  language_override: 'text indexes',
  textIndexVersion: 'text indexes',
  '2dsphereIndexVersion': '2dsphere indexes',
  bits: '2d indexes',
  min: '2d indexes',
  max: '2d indexes',
  wildcardProjection: 'wildcard indexes',
  clustered: 'clustered indexes',
};
/** Index kinds mongod knows (MongoDB manual, "Index Types"); any other string is unknown to it too. */
const KNOWN_KINDS = new Set(['text', '2d', '2dsphere', 'hashed', 'geoHaystack', 'columnstore']);

const refuse = (what: string): never => {
  throw new CommandError(
    'CannotCreateIndex',
    `the datadragon engine does not build ${what}: it builds ascending (1) and descending (-1) indexes, unique, sparse or partial; create this index on MongoDB`,
  );
};

function checkKey(key: Document): void {
  for (const [field, raw] of Object.entries(key)) {
    const value = typeof raw === 'object' && raw !== null && 'toNumber' in raw ? (raw as { toNumber(): number }).toNumber() : raw;
    if (typeof value === 'string') {
      if (!KNOWN_KINDS.has(value)) throw new CommandError('CannotCreateIndex', `Unknown index plugin '${value}'`);
      refuse(`'${value}' indexes`);
    }
    if (typeof value !== 'number' || Number.isNaN(value) || value === 0) {
      throw new CommandError(
        'CannotCreateIndex',
        `Values in the index key pattern can only be positive or negative numbers or strings; found ${JSON.stringify(raw)} for field '${field}'`,
      );
    }
    if (field === '$**' || field.endsWith('.$**')) refuse('wildcard indexes');
    if (value !== 1 && value !== -1) refuse(`indexes with key values other than 1 and -1 (${field}: ${value})`);
  }
}

function normalize(raw: unknown): IndexSpec {
  const spec = raw as Document;
  if (!spec || typeof spec.key !== 'object' || spec.key === null || Object.keys(spec.key).length === 0) {
    throw new CommandError('FailedToParse', "Index specification must have a non-empty 'key' object");
  }
  checkKey(spec.key as Document);
  for (const option of Object.keys(spec)) if (REFUSED_OPTIONS[option] && spec[option] !== undefined) refuse(REFUSED_OPTIONS[option]);
  const name =
    typeof spec.name === 'string'
      ? spec.name
      : Object.entries(spec.key as Document)
          .map(([k, v]) => `${k}_${String(v)}`)
          .join('_');
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
    refuseView(collection);
    const numIndexesBefore = collection.indexSpecs().length;
    let added = 0;
    for (const spec of specs) {
      const current = collection.indexSpecs();
      const sameName = current.find((s) => s.name === spec.name);
      const sameKeys = current.find((s) => sameKey(s, spec));
      if (sameName && sameKeys === sameName && Boolean(sameName.unique) === Boolean(spec.unique)) continue; // already there
      if (sameName)
        throw new CommandError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index but different options or key. Requested: ${spec.name}`,
        );
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
