/**
 * Reading a view: the aggregation of its source with the view's pipeline first (MongoDB
 * manual, "Views": a query on a view runs the view's pipeline, then the query's own stages).
 * Views on views resolve down to a collection, at most 20 deep as mongod allows.
 */
import type { Document } from 'bson';
import { runPipeline } from '../aggregate/run-pipeline.js';
import { CommandError } from '../errors.js';
import type { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';
import { isView } from './collection-rules.js';
import { checkForeignViews } from './pipeline-targets.js';

const MAX_VIEW_DEPTH = 20;

export interface ResolvedView {
  /** The collection at the bottom of the views (undefined when it does not exist: no documents). */
  source: Collection | undefined;
  pipeline: Document[];
}

export function resolveView(catalog: Catalog, view: Collection): ResolvedView {
  let pipeline: Document[] = [];
  let at: Collection | undefined = view;
  for (let depth = 0; at && isView(at); depth++) {
    if (depth >= MAX_VIEW_DEPTH)
      throw new CommandError(
        { code: 149, codeName: 'ViewDepthLimitExceeded' },
        `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`,
      );
    pipeline = [...((at.options.pipeline as Document[] | undefined) ?? []), ...pipeline];
    at = catalog.get(at.db, at.options.viewOn as string);
  }
  return { source: at, pipeline };
}

export interface ViewFind {
  filter?: Document;
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** A find on a view as the pipeline mongod runs for it. */
export function findOnView(catalog: Catalog, view: Collection, spec: ViewFind, variables?: Document): Iterator<Document> {
  const { source, pipeline } = resolveView(catalog, view);
  checkForeignViews(catalog, view.db, pipeline);
  const stages: Document[] = [...pipeline];
  if (spec.filter && Object.keys(spec.filter).length > 0) stages.push({ $match: spec.filter });
  if (spec.sort && Object.keys(spec.sort).length > 0) stages.push({ $sort: spec.sort });
  if (spec.skip) stages.push({ $skip: spec.skip });
  if (spec.limit) stages.push({ $limit: Math.abs(spec.limit) });
  if (spec.projection && Object.keys(spec.projection).length > 0) stages.push({ $project: spec.projection });
  return runPipeline({ catalog, db: view.db, collection: source, pipeline: stages, variables });
}
