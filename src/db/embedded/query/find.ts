/**
 * Runs a find-style query over a collection: candidates from the planner, then mingo; a sorted
 * find walks an index in order when it can (ordered-find.ts).
 */
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.js';
import { applyCollation, collationOf } from './collation.js';
import { Query } from './mingo-context.js';
import { planOrderedWalk, walkInOrder } from './ordered-find.js';
import { candidateDocuments, indexCandidates } from './planner.js';
import { sortDocuments } from './sort.js';
import { checkTime, timed } from './time-limit.js';

export interface FindSpec {
  filter?: Document;
  sort?: Document;
  projection?: Document;
  skip?: number;
  limit?: number;
  collation?: Document;
}

export function findDocuments(collection: Collection | undefined, spec: FindSpec): Iterator<Document> {
  const collation = collationOf(spec.collation);
  const filter = collation ? applyCollation(spec.filter ?? {}, collation) : (spec.filter ?? {});
  const query = new Query(filter);
  if (!collection) return [][Symbol.iterator]();
  const projection = spec.projection && Object.keys(spec.projection).length > 0 ? spec.projection : undefined;
  const sort = spec.sort && Object.keys(spec.sort).length > 0 ? spec.sort : undefined;
  const skip = spec.skip ?? 0;
  const limit = spec.limit ? Math.abs(spec.limit) : undefined;
  if (!sort) {
    // A find that reads every match pays less for building a view than for testing every
    // document; one that may stop early (findOne) would not, so it only uses a view already built.
    let cursor = query.find<Document>(timed(candidateDocuments(collection, filter, { buildViews: !spec.limit })), projection);
    if (skip) cursor = cursor.skip(skip);
    const iterator = cursor[Symbol.iterator]() as unknown as Iterator<Document>;
    return limit ? stopAfter(iterator, limit) : iterator;
  }
  // A walk's page is already in order, its few documents tested by the walk. A collation
  // changes the order of strings: only the engine's sort knows it.
  const page =
    (!collation ? sortedByIndex(collection, filter, sort, query, skip, limit) : undefined) ??
    sortDocuments(
      query.find<Document>(timed(candidateDocuments(collection, filter, { buildViews: !spec.limit }))).all() as Document[],
      sort,
      collation?.compare,
    ).slice(skip, limit === undefined ? undefined : skip + limit);
  if (!projection) return page[Symbol.iterator]();
  return new Query({}).find<Document>(page, projection)[Symbol.iterator]() as unknown as Iterator<Document>;
}

/**
 * The first `n` items of `iterator`. mingo's own limit filters out whatever follows the limit,
 * so it reads (and a durable engine decodes) the rest of the collection before it ends.
 */
function stopAfter(iterator: Iterator<Document>, n: number): Iterator<Document> {
  let left = n;
  return { next: () => (left-- > 0 ? iterator.next() : { done: true, value: undefined }) };
}

/** Candidates other than the walk's below 1/VIEW_WORTH of the collection do not justify building a view. */
const VIEW_WORTH = 4;

/**
 * The page (`skip`, `limit`) of the matches of a sorted find, in order, from an index on the
 * first sort key (ordered-find.ts): undefined when no index can give mingo's order, or when
 * another index narrows the candidates so much that sorting them is cheaper than walking.
 */
function sortedByIndex(
  collection: Collection,
  filter: Document,
  sort: Document,
  query: Query,
  skip: number,
  limit: number | undefined,
): Document[] | undefined {
  const need = limit ? skip + limit : Infinity;
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
  // Without a filter every document passes: the walk need not read those the page skips.
  const passed = Object.keys(filter).length === 0 ? skip : 0;
  const found = walkInOrder(walk, sort, (doc) => query.test(doc), need, passed);
  return found.slice(skip - passed, limit === undefined ? undefined : skip - passed + limit);
}

/** Matching documents without projection (for updates and deletes), in natural order. */
export function* matchingDocuments(collection: Collection, rawFilter: Document | undefined, collationSpec?: Document): Generator<Document> {
  const collation = collationOf(collationSpec);
  const filter = collation ? applyCollation(rawFilter ?? {}, collation) : rawFilter;
  const query = new Query(filter ?? {});
  // Materialize candidates first: callers change the collection while iterating. Their writes
  // drop any view, so building one here would serve one call only.
  for (const doc of [...candidateDocuments(collection, filter)]) {
    checkTime();
    if (query.test(doc)) yield doc;
  }
}
