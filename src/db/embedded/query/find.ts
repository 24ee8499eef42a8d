/** Runs a find-style query over a collection: candidates from the planner, then mingo. */
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { Query } from './mingo-context.js';
import { candidateDocuments } from './planner.js';

export interface FindSpec {
  filter?: Document;
  sort?: Document;
  projection?: Document;
  skip?: number;
  limit?: number;
  collation?: Document;
}

export function findDocuments(collection: Collection | undefined, spec: FindSpec): Iterator<Document> {
  if (!collection) return [][Symbol.iterator]();
  const filter = spec.filter ?? {};
  const query = new Query(filter);
  const projection = spec.projection && Object.keys(spec.projection).length > 0 ? spec.projection : undefined;
  let cursor = query.find<Document>(candidateDocuments(collection, filter), projection);
  if (spec.sort && Object.keys(spec.sort).length > 0) cursor = cursor.sort(spec.sort);
  if (spec.skip) cursor = cursor.skip(spec.skip);
  if (spec.limit) cursor = cursor.limit(Math.abs(spec.limit));
  return cursor[Symbol.iterator]() as unknown as Iterator<Document>;
}

/** Matching documents without projection (for updates and deletes), in natural order. */
export function* matchingDocuments(collection: Collection, filter: Document | undefined): Generator<Document> {
  const query = new Query(filter ?? {});
  // Materialize candidates first: callers change the collection while iterating.
  for (const doc of [...candidateDocuments(collection, filter)]) if (query.test(doc)) yield doc;
}
