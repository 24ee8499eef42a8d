/**
 * Runs a find-style query over a collection: candidates from the planner, then mingo; a sorted
 * find walks an index in order when it can (ordered-find.ts).
 */
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import type { Cursor } from 'mingo/cursor';
import { Query } from './mingo-context.js';
import { planOrderedWalk, walkInOrder } from './ordered-find.js';
import { candidateDocuments, indexCandidates } from './planner.js';

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
  const sort = spec.sort && Object.keys(spec.sort).length > 0 ? spec.sort : undefined;
  // A collation changes the order of strings: only mingo's sort knows it.
  const inOrder = sort && !spec.collation ? sortedByIndex(collection, filter, sort, query, spec.limit ? (spec.skip ?? 0) + Math.abs(spec.limit) : Infinity) : undefined;
  let cursor: Cursor<Document>;
  if (inOrder) {
    // Already in order: mingo re-tests these few documents and projects them.
    cursor = query.find<Document>(inOrder, projection);
  } else {
    // A find that reads every match pays less for building a view than for testing every
    // document; one that may stop early (findOne) would not, so it only uses a view already built.
    cursor = query.find<Document>(candidateDocuments(collection, filter, { buildViews: !spec.limit }), projection);
    if (sort) cursor = cursor.sort(sort);
  }
  if (spec.skip) cursor = cursor.skip(spec.skip);
  if (spec.limit) cursor = cursor.limit(Math.abs(spec.limit));
  return cursor[Symbol.iterator]() as unknown as Iterator<Document>;
}

/** Candidates other than the walk's below 1/VIEW_WORTH of the collection do not justify building a view. */
const VIEW_WORTH = 4;

/**
 * The matches of a sorted find, in order, from an index on the first sort key
 * (ordered-find.ts): undefined when no index can give mingo's order, or when another index
 * narrows the candidates so much that sorting them is cheaper than walking.
 */
function sortedByIndex(collection: Collection, filter: Document, sort: Document, query: Query, need: number): Document[] | undefined {
  const other = indexCandidates(collection, filter, false);
  // Building a view reads the whole collection: not worth it when an index already gives
  // few candidates (an equality look-up after each write, say).
  const walk = planOrderedWalk(collection, filter, sort, !other || other.count * VIEW_WORTH >= collection.size);
  if (!walk) return undefined;
  if (other) {
    // A walk reads about need × (range size / matches) documents when matches are spread
    // evenly; other candidates cost their number (and a sort).
    const walked = need === Infinity ? walk.size : Math.min(walk.size, (need * walk.size) / Math.max(other.count, 1));
    if (other.count < walked) return undefined;
  }
  return walkInOrder(walk, sort, (doc) => query.test(doc), need);
}

/** Matching documents without projection (for updates and deletes), in natural order. */
export function* matchingDocuments(collection: Collection, filter: Document | undefined): Generator<Document> {
  const query = new Query(filter ?? {});
  // Materialize candidates first: callers change the collection while iterating. Their writes
  // drop any view, so building one here would serve one call only.
  for (const doc of [...candidateDocuments(collection, filter)]) if (query.test(doc)) yield doc;
}
