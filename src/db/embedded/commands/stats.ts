/**
 * collStats, `$collStats` and dbStats. Sizes are estimates from a sample of the documents (and
 * of their index keys): the BSON size of the documents, and for each index the BSON size of
 * its keys plus an id per entry — what an index of the engine holds per document.
 */
import { calculateObjectSize, type Document } from 'bson';
import { CommandError } from '../errors.js';
import type { Collection } from '../storage/collection.js';
import { cappedLimits, isView } from './collection-rules.js';
import type { CommandContext, CommandDefinition } from './context.js';
import { collectionName, existing } from './support.js';

const SAMPLE = 1000;
/** Per index entry: the document id it points to and the entry's own bookkeeping. */
const ENTRY_OVERHEAD = 16;

function sampleDocs(collection: Collection): Document[] {
  const out: Document[] = [];
  for (const doc of collection.docs.values()) {
    out.push(doc);
    if (out.length >= SAMPLE) break;
  }
  return out;
}

const scaled = (sample: number, sampled: number, total: number): number => (sampled === 0 ? 0 : Math.round((sample / sampled) * total));

function readPath(doc: unknown, path: string): unknown {
  let at = doc;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

export interface CollectionSizes {
  size: number;
  count: number;
  indexSizes: Record<string, number>;
  totalIndexSize: number;
}

export function collectionSizes(collection: Collection | undefined): CollectionSizes {
  if (!collection) return { size: 0, count: 0, indexSizes: {}, totalIndexSize: 0 };
  const docs = sampleDocs(collection);
  const count = collection.size;
  let bytes = 0;
  for (const doc of docs) bytes += calculateObjectSize(doc);
  const indexSizes: Record<string, number> = {};
  for (const spec of collection.indexSpecs()) {
    let keyBytes = 0;
    for (const doc of docs) {
      const key: Document = {};
      for (const field of Object.keys(spec.key)) key[field] = readPath(doc, field) ?? null;
      keyBytes += calculateObjectSize(key) + ENTRY_OVERHEAD;
    }
    indexSizes[spec.name] = scaled(keyBytes, docs.length, count);
  }
  const totalIndexSize = Object.values(indexSizes).reduce((a, b) => a + b, 0);
  return { size: scaled(bytes, docs.length, count), count, indexSizes, totalIndexSize };
}

function scaleOf(value: unknown): number {
  if (value === undefined || value === null) return 1;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new CommandError('BadValue', 'scale has to be >= 1');
  return Math.floor(n);
}

/** The storage statistics mongod reports, for collStats and `$collStats: { storageStats }`. */
export function storageStats(context: CommandContext, name: string, scale = 1): Document {
  const collection = existing(context, name);
  if (!collection && scale === 0) return {};
  const sizes = collectionSizes(collection);
  const capped = collection ? cappedLimits(collection) : undefined;
  const s = (n: number) => Math.floor(n / scale);
  const stats: Document = {
    ns: `${context.db}.${name}`,
    size: s(sizes.size),
    count: sizes.count,
    avgObjSize: sizes.count ? Math.round(sizes.size / sizes.count) : 0,
    storageSize: s(sizes.size),
    freeStorageSize: 0,
    capped: capped !== undefined,
    nindexes: collection?.indexSpecs().length ?? 0,
    totalIndexSize: s(sizes.totalIndexSize),
    totalSize: s(sizes.size + sizes.totalIndexSize),
    indexSizes: Object.fromEntries(Object.entries(sizes.indexSizes).map(([k, v]) => [k, s(v)])),
    scaleFactor: scale,
  };
  if (capped) {
    stats.max = capped.max === Infinity ? 0 : capped.max;
    stats.maxSize = s(capped.size);
  }
  return stats;
}

export const collStatsCommand: CommandDefinition = {
  name: 'collStats',
  run(command, context) {
    const name = collectionName(command, 'collStats');
    if (isView(existing(context, name))) throw new CommandError('CommandNotSupportedOnView', `Namespace ${context.db}.${name} is a view, not a collection`);
    return { ...storageStats(context, name, scaleOf(command.scale)), ok: 1 };
  },
};

/**
 * `$collStats` (mongosh's `db.coll.stats()`): one document with the sections asked for,
 * `count` and `storageStats`; `latencyStats` and `queryExecStats` are refused (the engine
 * keeps no such counters).
 */
export function collStatsDocument(spec: unknown, context: CommandContext, name: string): Document {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw new CommandError({ code: 5447000, codeName: 'Location5447000' }, '$collStats must take a nested object');
  const doc: Document = { ns: `${context.db}.${name}`, host: `${context.engine.host}:${context.engine.port}`, localTime: new Date() };
  for (const [section, options] of Object.entries(spec as Document)) {
    if (section === 'count') doc.count = existing(context, name)?.size ?? 0;
    else if (section === 'storageStats') doc.storageStats = storageStats(context, name, scaleOf((options as Document | null)?.scale));
    else if (section === 'latencyStats' || section === 'queryExecStats')
      throw new CommandError('CommandNotSupported', `$collStats ${section} is not supported by the datadragon engine (it keeps no operation counters)`);
    else throw new CommandError({ code: 40415, codeName: 'Location40415' }, `BSON field '$collStats.${section}' is an unknown field.`);
  }
  return doc;
}

export const dbStatsCommand: CommandDefinition = {
  name: 'dbStats',
  run(command, context) {
    const scale = scaleOf(command.scale);
    const all = [...(context.catalog.collectionsOf(context.db)?.values() ?? [])];
    const collections = all.filter((c) => !isView(c));
    const sizes = collections.map(collectionSizes);
    const objects = sizes.reduce((n, c) => n + c.count, 0);
    const dataSize = sizes.reduce((n, c) => n + c.size, 0);
    const indexSize = sizes.reduce((n, c) => n + c.totalIndexSize, 0);
    return {
      db: context.db,
      collections: collections.length,
      views: all.length - collections.length,
      objects,
      avgObjSize: objects ? dataSize / objects : 0,
      dataSize: Math.floor(dataSize / scale),
      storageSize: Math.floor(dataSize / scale),
      indexes: collections.reduce((n, c) => n + c.indexSpecs().length, 0),
      indexSize: Math.floor(indexSize / scale),
      totalSize: Math.floor((dataSize + indexSize) / scale),
      scaleFactor: scale,
      ok: 1,
    };
  },
};
