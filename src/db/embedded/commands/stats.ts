/** collStats and dbStats: sizes are estimates from the in-memory documents. */
import { calculateObjectSize } from 'bson';
import type { Collection } from '../storage/collection.js';
import type { CommandDefinition } from './context.js';
import { collectionName, existing } from './support.js';

function estimatedSize(collection: Collection): number {
  // Sample rather than serialize millions of documents for a stats call.
  let sampled = 0;
  let bytes = 0;
  for (const doc of collection.docs.values()) {
    bytes += calculateObjectSize(doc);
    if (++sampled >= 1000) break;
  }
  return sampled === 0 ? 0 : Math.round((bytes / sampled) * collection.size);
}

export const collStatsCommand: CommandDefinition = {
  name: 'collStats',
  run(command, context) {
    const name = collectionName(command, 'collStats');
    const collection = existing(context, name);
    const size = collection ? estimatedSize(collection) : 0;
    const count = collection?.size ?? 0;
    return {
      ns: `${context.db}.${name}`,
      size,
      count,
      avgObjSize: count ? Math.round(size / count) : 0,
      storageSize: size,
      nindexes: collection?.indexSpecs().length ?? 0,
      totalIndexSize: 0,
      indexSizes: Object.fromEntries((collection?.indexSpecs() ?? []).map((s) => [s.name, 0])),
      scaleFactor: 1,
      ok: 1,
    };
  },
};

export const dbStatsCommand: CommandDefinition = {
  name: 'dbStats',
  run(_command, context) {
    const collections = [...(context.catalog.collectionsOf(context.db)?.values() ?? [])];
    const objects = collections.reduce((n, c) => n + c.size, 0);
    const dataSize = collections.reduce((n, c) => n + estimatedSize(c), 0);
    return {
      db: context.db,
      collections: collections.length,
      views: 0,
      objects,
      avgObjSize: objects ? dataSize / objects : 0,
      dataSize,
      storageSize: dataSize,
      indexes: collections.reduce((n, c) => n + c.indexSpecs().length, 0),
      indexSize: 0,
      totalSize: dataSize,
      scaleFactor: 1,
      ok: 1,
    };
  },
};
