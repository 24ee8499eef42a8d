/**
 * The collections a pipeline reads from or writes to, checked against what their options ask
 * (collection-rules.ts) before it runs. `$lookup`, `$graphLookup` and `$unionWith` read the
 * stored documents of their `from`, so a view there would look empty: refused. `$out` and
 * `$merge` write without the validator or the cap of their target, so those targets are
 * refused (a validator not with `bypassDocumentValidation: true`), as is a view.
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { Catalog } from '../storage/catalog.js';
import { cappedLimits, isView } from './collection-rules.js';

const isDocument = (v: unknown): v is Document => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every collection name a pipeline reads besides its own, sub-pipelines included. */
function foreignNames(pipeline: unknown, out: Set<string>): Set<string> {
  if (!Array.isArray(pipeline)) return out;
  for (const stage of pipeline) {
    if (!isDocument(stage)) continue;
    const [name, spec] = Object.entries(stage)[0] ?? [];
    if (!isDocument(spec) && !(name === '$unionWith' && typeof spec === 'string')) continue;
    if (name === '$lookup' || name === '$graphLookup') {
      if (typeof (spec as Document).from === 'string') out.add((spec as Document).from as string);
      foreignNames((spec as Document).pipeline, out);
    } else if (name === '$unionWith') {
      if (typeof spec === 'string') out.add(spec);
      else {
        if (typeof spec!.coll === 'string') out.add(spec!.coll as string);
        foreignNames(spec!.pipeline, out);
      }
    } else if (name === '$facet') {
      for (const sub of Object.values(spec as Document)) foreignNames(sub, out);
    }
  }
  return out;
}

export function checkForeignViews(catalog: Catalog, db: string, pipeline: Document[]): void {
  for (const name of foreignNames(pipeline, new Set())) {
    if (isView(catalog.get(db, name))) {
      throw new CommandError(
        'CommandNotSupportedOnView',
        `the datadragon engine does not read the view ${db}.${name} from $lookup, $graphLookup or $unionWith: name its source collection and repeat the view's stages in the sub-pipeline`,
      );
    }
  }
}

export function checkWriteTarget(catalog: Catalog, target: { db: string; coll: string }, stage: string, bypassValidation: boolean): void {
  const collection = catalog.get(target.db, target.coll);
  if (!collection) return;
  if (isView(collection)) throw new CommandError('CommandNotSupportedOnView', `Namespace ${collection.ns} is a view, not a collection`);
  if (cappedLimits(collection))
    throw new CommandError({ code: 17152, codeName: 'Location17152' }, `namespace '${collection.ns}' is capped so it can't be used for ${stage}`);
  const validator = collection.options.validator as Document | undefined;
  if (validator && Object.keys(validator).length > 0 && collection.options.validationLevel !== 'off' && !bypassValidation) {
    throw new CommandError(
      'CommandNotSupported',
      `the datadragon engine does not validate the documents ${stage} writes, and ${collection.ns} has a validator: pass bypassDocumentValidation: true to write them unchecked, or write with insert/update`,
    );
  }
}

/** Stages of MongoDB 7 the engine does not have, with what mongod or the engine answers. */
const MISSING_STAGES: Record<string, string> = {
  $changeStream: 'change streams need a replica set, and the engine is a standalone without an oplog',
  $changeStreamSplitLargeEvent: 'change streams need a replica set, and the engine is a standalone without an oplog',
  $geoNear: 'it has no geospatial (2d/2dsphere) indexes',
  $indexStats: 'it keeps no index usage counters',
  $planCacheStats: 'it has no plan cache',
  $listSessions: 'it keeps no sessions',
  $listLocalSessions: 'it keeps no sessions',
  $listSampledQueries: 'it samples no queries',
  $shardedDataDistribution: 'it is not a sharded cluster',
  $search: 'Atlas Search runs only on MongoDB Atlas',
  $searchMeta: 'Atlas Search runs only on MongoDB Atlas',
  $vectorSearch: 'Atlas Vector Search runs only on MongoDB Atlas',
  $listSearchIndexes: 'Atlas Search runs only on MongoDB Atlas',
};

/** Refuses, by name and reason, the MongoDB stages the engine lacks (mingo would call them unknown). */
export function checkKnownStages(pipeline: Document[]): void {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0]!;
    const why = MISSING_STAGES[name];
    if (why) throw new CommandError('CommandNotSupported', `${name} is not supported by the datadragon engine: ${why}`);
  }
}
