/**
 * What this machine can hold, decided before anything is written: the worker processes of a
 * seed (each a Node.js process with the catalogue and its generators), and, when the database
 * server keeps its data in this machine's memory, the data itself.
 */
import os from 'node:os';
import type { Backend, BackendKind } from '../db/index.js';
import { UserInputError } from '../errors.js';

/**
 * What one seeding worker process takes: its resident set while it generates and inserts
 * (measured at 124–128 MB with the default catalogue and batch size, 200,000 customers on one
 * and two workers), rounded.
 */
export const WORKER_BYTES = 125e6;
/** The share of the machine's memory the workers may take together. */
const WORKERS_SHARE = 0.5;

/**
 * What one customer costs the embedded engine at the split's peak (activity plus users,
 * carts and orders in memory at once), measured on seeded data (at most 6 orders a customer)
 * and rounded up.
 */
export const ENGINE_BYTES_PER_USER = 6 * 1024;
const MEASURED_MAX_ORDERS = 6;
/** What one customer of the previous dataset costs while it waits for the new one to replace it. */
const ENGINE_BYTES_PER_PREVIOUS_USER = ENGINE_BYTES_PER_USER / 2;
/** The share of the machine's memory the engine may take. */
const ENGINE_SHARE = 0.75;

const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(1);
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The one answer to "does this backend keep the data in this machine's memory". Given the
 * backend itself: only the embedded engine in memory does (a durable one keeps its data on
 * disk behind a bounded cache, so no dataset is too large for it); given only a kind: whether a
 * backend of that kind may (the embedded engine, started here or shared), when the caller
 * cannot tell more.
 */
export function backendHoldsData(backend: BackendKind | Pick<Backend, 'holdsDataInMemory'>): boolean {
  if (typeof backend !== 'string') return backend.holdsDataInMemory;
  return backend === 'embedded' || backend === 'embedded-shared';
}

/** How many workers fit in this machine's memory. */
export function workersThatFit(totalMemory = os.totalmem()): number {
  return Math.max(1, Math.floor((totalMemory * WORKERS_SHARE) / WORKER_BYTES));
}

/** Refuses more workers than the memory holds, with the estimate. */
export function checkWorkers(workers: number, totalMemory = os.totalmem()): void {
  const fits = workersThatFit(totalMemory);
  if (workers <= fits) return;
  throw new UserInputError(
    `--workers ${count(workers)} needs about ${gib(workers * WORKER_BYTES)} GiB (about ${Math.round(WORKER_BYTES / 1e6)} MB a worker), more than this machine can give them ` +
      `(${gib(totalMemory * WORKERS_SHARE)} GiB, half of its ${gib(totalMemory)} GiB): use at most ${count(fits)} workers here (more workers than cores, ${os.availableParallelism()}, do not go faster)`,
  );
}

export interface MemoryCheck {
  /** Users of the dataset the seed will replace: it stays in memory until the new one is swapped in. */
  previousUsers?: number;
  totalMemory?: number;
}

/** Refuses a seed the database server on this machine cannot hold, with the estimate. */
export function checkMemory(plan: { users: number; maxOrders: number }, holdsData: boolean, options: MemoryCheck = {}): void {
  if (!holdsData) return;
  const totalMemory = options.totalMemory ?? os.totalmem();
  const previousUsers = options.previousUsers ?? 0;
  const perUser = ENGINE_BYTES_PER_USER * Math.max(1, plan.maxOrders / MEASURED_MAX_ORDERS);
  const previous = previousUsers * ENGINE_BYTES_PER_PREVIOUS_USER;
  const needed = plan.users * perUser + previous;
  const available = totalMemory * ENGINE_SHARE;
  if (needed <= available) return;
  const fits = Math.max(0, Math.floor((available - previous) / perUser));
  const freeFirst =
    previousUsers > 0
      ? `; the ${count(previousUsers)} users of the current dataset stay in memory until the new one replaces them ("npx datadragon reset" first frees them)`
      : '';
  throw new UserInputError(
    `--users ${count(plan.users)} needs about ${gib(needed)} GiB in the embedded engine, more than this machine can give it (${gib(available)} GiB of ${gib(totalMemory)} GiB)${freeFirst}: ` +
      `use at most about ${count(fits)} users here, or point MONGODB_URI at a MongoDB server`,
  );
}
