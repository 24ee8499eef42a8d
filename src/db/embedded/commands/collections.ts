/** Collection and database DDL: create, drop, dropDatabase, renameCollection, listCollections, listDatabases. */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { Query } from '../query/mingo-context.js';
import { valueKey } from '../storage/value-key.js';
import { checkCreateOptions, isView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { collectionName, firstBatchReply, cursorBatchSize, optionalDocument } from './support.js';

const ENVELOPE = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'writeConcern',
  'readConcern',
  'maxTimeMS',
  'comment',
]);

export const createCommand: CommandDefinition = {
  name: 'create',
  writes: true,
  run(command, context) {
    const name = collectionName(command, 'create');
    const options: Document = {};
    for (const [key, value] of Object.entries(command)) if (key !== 'create' && !ENVELOPE.has(key)) options[key] = value;
    // MongoDB 7.0: creating an existing collection with the same options succeeds (NamespaceExists otherwise).
    checkCreateOptions(options);
    const existing = context.catalog.get(context.db, name);
    if (existing && valueKey(existing.options) === valueKey(options)) return { ok: 1 };
    context.catalog.create(context.db, name, options);
    return { ok: 1 };
  },
};

export const dropCommand: CommandDefinition = {
  name: 'drop',
  writes: true,
  run(command, context) {
    const name = collectionName(command, 'drop');
    const dropped = context.catalog.drop(context.db, name);
    // A missing collection is ok: 1, as modern mongod answers (driver 6 throws on code 26).
    if (!dropped) return { ok: 1 };
    return { nIndexesWas: dropped.indexSpecs().length, ns: dropped.ns, ok: 1 };
  },
};

export const dropDatabaseCommand: CommandDefinition = {
  name: 'dropDatabase',
  writes: true,
  run(_command, context) {
    context.catalog.dropDatabase(context.db);
    return { dropped: context.db, ok: 1 };
  },
};

export const renameCollectionCommand: CommandDefinition = {
  name: 'renameCollection',
  writes: true,
  run(command, context) {
    const [fromDb, ...fromRest] = String(command.renameCollection).split('.');
    const [toDb, ...toRest] = String(command.to).split('.');
    if (fromDb !== toDb) throw new CommandError('CommandNotSupported', 'renameCollection across databases is not supported by the datadragon engine');
    const source = context.catalog.get(fromDb!, fromRest.join('.'));
    if (!source) throw new CommandError('NamespaceNotFound', `Source collection ${String(command.renameCollection)} does not exist`);
    const target = toRest.join('.');
    if (context.catalog.get(toDb!, target) && command.dropTarget !== true)
      throw new CommandError('NamespaceExists', `Target collection ${String(command.to)} already exists`);
    context.catalog.replaceWith(source, target);
    return { ok: 1 };
  },
};

export const listCollectionsCommand: CommandDefinition = {
  name: 'listCollections',
  run(command, context) {
    const nameOnly = command.nameOnly === true;
    const entries: Document[] = [];
    for (const collection of context.catalog.collectionsOf(context.db)?.values() ?? []) {
      if (isView(collection)) {
        const { viewOn, pipeline } = collection.options;
        entries.push(
          nameOnly
            ? { name: collection.name, type: 'view' }
            : { name: collection.name, type: 'view', options: { viewOn, pipeline: pipeline ?? [] }, info: { readOnly: true } },
        );
        continue;
      }
      entries.push(
        nameOnly
          ? { name: collection.name, type: 'collection' }
          : {
              name: collection.name,
              type: 'collection',
              options: collection.options,
              info: { readOnly: false, uuid: collection.uuid },
              idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
            },
      );
    }
    const filter = optionalDocument(command, 'filter');
    const selected = filter ? new Query(filter).find<Document>(entries).all() : entries;
    return firstBatchReply(context, `${context.db}.$cmd.listCollections`, selected[Symbol.iterator](), { batchSize: cursorBatchSize(command) });
  },
};

export const listDatabasesCommand: CommandDefinition = {
  name: 'listDatabases',
  run(command, context) {
    let databases: Document[] = context.catalog.databaseNames().map((name) => {
      let bytes = 0;
      for (const c of context.catalog.collectionsOf(name)?.values() ?? []) bytes += c.size * 64;
      return { name, sizeOnDisk: bytes, empty: bytes === 0 };
    });
    const filter = optionalDocument(command, 'filter');
    if (filter) databases = new Query(filter).find<Document>(databases).all();
    if (command.nameOnly === true) return { databases: databases.map((d) => ({ name: d.name })), ok: 1 };
    return { databases, totalSize: databases.reduce((sum, d) => sum + (d.sizeOnDisk as number), 0), totalSizeMb: 0, ok: 1 };
  },
};
