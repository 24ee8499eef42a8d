/**
 * By-id reads of `customer_spending`, coalesced across concurrent requests: the look-ups
 * asked for during one turn of the event loop (one per request, from however many HTTP
 * connections were readable) go to the database as one `_id: {$in: [...]}` query per
 * projection, instead of one round trip each. Under load this is what keeps the database
 * round trips (and their socket writes, the most expensive part of a by-id request) from
 * growing with the request rate; with a single request in flight it is one query, as before.
 *
 * Nothing is cached: every look-up reads the database, so a re-crunch is seen at once.
 */
import DataLoader from 'dataloader';
import type { Document } from 'bson';
import type { Database } from '../db/index.js';
import type { CustomerSpending } from '../spending/index.js';
import { getCustomerSpendings } from '../spending/index.js';

/** Ids per query: an `$in` of this size is one small index look-up each, and one reply. */
const MAX_BATCH = 100;
/** Distinct projections (and time limits) kept per database (a schema has few field combinations in use). */
const MAX_PROJECTIONS = 64;

type Loader = DataLoader<string, CustomerSpending | null>;

const loadersByDatabase = new WeakMap<Database, Map<string, Loader>>();

function loaderFor(database: Database, projection: Document | undefined, maxTimeMS: number | undefined): Loader {
  let loaders = loadersByDatabase.get(database);
  if (!loaders) loadersByDatabase.set(database, (loaders = new Map()));
  const key = `${maxTimeMS ?? ''}|${projection ? JSON.stringify(projection) : ''}`;
  let loader = loaders.get(key);
  if (!loader) {
    // A dropped loader still runs the batch it has scheduled: nothing is lost by forgetting it.
    if (loaders.size >= MAX_PROJECTIONS) loaders.clear();
    loader = new DataLoader((ids) => getCustomerSpendings(database, ids, projection, maxTimeMS === undefined ? {} : { maxTimeMS }), {
      cache: false,
      maxBatchSize: MAX_BATCH,
      // After the I/O callbacks of this turn (setImmediate), not at the end of the current
      // one (DataLoader's default): requests read from other sockets in the same turn join.
      batchScheduleFn: (run) => setImmediate(run),
    });
    loaders.set(key, loader);
  }
  return loader;
}

/**
 * One customer's spending (`customerId`: 24 hex digits, any case), with only the
 * `projection` fields when given; null when not crunched. Batched with the other look-ups
 * of the same turn of the event loop, each batch under `maxTimeMS` when given.
 */
export function loadSpendingById(database: Database, customerId: string, projection?: Document, maxTimeMS?: number): Promise<CustomerSpending | null> {
  return loaderFor(database, projection, maxTimeMS).load(customerId.toLowerCase());
}
