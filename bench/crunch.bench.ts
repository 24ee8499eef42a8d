/**
 * Crunch figures: `crunchSpending` (the aggregation into `customer_spending`, its
 * indexes and the summary figures) on a large seeded dataset. BENCH_CRUNCH_USERS customers
 * (default 500,000: about 1.02M orders in the crunched year). The seed runs first, through the
 * same services, in memory. Target: ≤ 10 s for at least 1M orders.
 *
 * Beside it, the yardstick: `recomputeSpending` (the tests' plain-TypeScript computation of
 * the same documents: hash maps, no engine, no interpreter) over the very documents the engine
 * holds, in the same heap. The ratio of the two is what the engine's aggregation costs over
 * code written for the job. The yardstick is a reference, not a lower bound: it was written to
 * be plainly right, not fast; its time says what reading these objects and building the
 * results costs on this machine even without an engine.
 *
 * Both run in one worker thread (crunch-worker.ts) with the engine thread's heap limits: the
 * engine inside it, beside the client (the app runs the engine in a thread of its own), so
 * that the yardstick can read the engine's documents. The driver is idle while the
 * aggregation runs, so sharing the thread costs it nothing.
 */
import { Worker } from 'node:worker_threads';
import type { Document } from 'bson';
import { openDatabase } from '../src/db/connection.js';
import { startEngine } from '../src/db/embedded/in-process.js';
import { engineHeapLimits } from '../src/db/embedded/storage/cache-size.js';
import { crunchSpending, seedDatabase } from '../src/jobs/index.js';
import { parseSeedOptions } from '../src/seeding/index.js';
import { recomputeSpending } from '../src/spending/recompute.js';
import type { Figure } from './report.js';

const SUITE = 'crunch';
const DB = 'bench_crunch';
const TARGET_SECONDS = 10;
const TARGET_ORDERS = 1_000_000;

/** Runs `measureCrunch` in a worker with the engine thread's heap limits. */
export function crunchBench(options: { users: number }): Promise<Figure[]> {
  const worker = new Worker(new URL('./crunch-worker.js', import.meta.url), {
    workerData: options,
    resourceLimits: engineHeapLimits({ durable: false, cacheSize: 0 }),
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (figures: Figure[]) => {
      resolve(figures);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the crunch bench worker exited (code ${code}) without figures`)));
  });
}

/** Sum of every customer's monthly amounts, in cents (as `crunchSpending` sums its `totalSpend`). */
function totalCents(documents: readonly { monthly_spenses: Record<string, number> }[]): number {
  let cents = 0;
  for (const doc of documents) for (const amount of Object.values(doc.monthly_spenses)) cents += Math.round(amount * 100);
  return cents;
}

/** The crunch and its yardstick, with the engine in this thread. */
export async function measureCrunch(options: { users: number }): Promise<Figure[]> {
  const engine = await startEngine({});
  try {
    const database = await openDatabase(`${engine.uri.replace(/\/$/, '')}/${DB}`, { patient: true, timeoutMs: 60_000 });
    try {
      console.error(`bench crunch: seeding ${options.users.toLocaleString('en-US')} customers in memory...`);
      const seeded = await seedDatabase(database, parseSeedOptions({ users: options.users, seed: 7, year: 2025 }));
      console.error(`bench crunch: seeded in ${seeded.seconds.total.toFixed(1)} s; crunching...`);
      // The aggregation runs from the first `aggregate` report to the first `indexes` one.
      let aggregateStart = 0;
      let aggregateEnd: number | undefined;
      const crunched = await crunchSpending(database, {
        year: 2025,
        onProgress: ({ phase }) => {
          if (phase === 'aggregate') aggregateStart ||= performance.now();
          else aggregateEnd ??= performance.now();
        },
      });
      const aggregateSeconds = ((aggregateEnd ?? aggregateStart) - aggregateStart) / 1000;
      console.error(`bench crunch: crunched in ${crunched.seconds.toFixed(1)} s; the plain-TypeScript yardstick...`);
      const documents = (name: string): Document[] => [...(engine.catalog.get(DB, name)?.docs.values() ?? [])];
      const input = { users: documents('users'), products: documents('products'), carts: documents('carts'), orders: documents('orders'), year: 2025 };
      const started = performance.now();
      const reference = recomputeSpending(input);
      const referenceSeconds = (performance.now() - started) / 1000;
      // A yardstick that is fast because it is wrong would mislead: it must give the crunch's figures.
      const [referenceCents, crunchedCents] = [totalCents(reference), Math.round(crunched.totalSpend * 100)];
      if (reference.length !== crunched.customers || referenceCents !== crunchedCents) {
        throw new Error(
          `the yardstick disagrees with the crunch: ${reference.length} documents and ${referenceCents} cents, against ${crunched.customers} and ${crunchedCents}`,
        );
      }
      const label = `crunch of ${crunched.customers.toLocaleString('en-US')} customers (${crunched.orders.toLocaleString('en-US')} orders of 2025), embedded engine`;
      return [
        {
          suite: SUITE,
          name: `${label}: total`,
          value: crunched.seconds,
          unit: 's',
          target: `≤ ${TARGET_SECONDS} s for 1M orders`,
          pass: crunched.orders >= TARGET_ORDERS ? crunched.seconds <= TARGET_SECONDS : undefined,
        },
        { suite: SUITE, name: 'crunch rate', value: Math.round(crunched.orders / crunched.seconds), unit: 'orders/s' },
        { suite: SUITE, name: 'the aggregation alone (pipeline to $out)', value: aggregateSeconds, unit: 's' },
        { suite: SUITE, name: 'yardstick: plain TypeScript over the same documents, same heap', value: referenceSeconds, unit: 's' },
        { suite: SUITE, name: 'aggregation / yardstick', value: aggregateSeconds / referenceSeconds, unit: 'x' },
        { suite: SUITE, name: 'customers with orders in 2025', value: crunched.customersWithOrders, unit: 'customers' },
      ];
    } finally {
      await database.close();
    }
  } finally {
    await engine.stop();
  }
}
