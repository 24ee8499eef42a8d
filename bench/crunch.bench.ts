/**
 * Crunch figures (issue 4): `crunchSpending` (the aggregation into `customer_spending`, its
 * indexes and the summary figures) on a large seeded dataset, against the embedded engine in
 * its own thread, as the app runs it. BENCH_CRUNCH_USERS customers (default 500,000: about
 * 1.02M orders in the crunched year). The seed runs first, through the same services, in memory.
 * Target: ≤ 10 s for at least 1M orders.
 */
import { openDatabase } from '../src/db/connection.js';
import { startEngineThread } from '../src/db/embedded/index.js';
import { parseSeedOptions, seedDatabase } from '../src/seeding/index.js';
import { crunchSpending } from '../src/spending/index.js';
import type { Figure } from './report.js';

const SUITE = 'crunch';
const TARGET_SECONDS = 10;
const TARGET_ORDERS = 1_000_000;

export async function crunchBench(options: { users: number }): Promise<Figure[]> {
  const engine = await startEngineThread({});
  try {
    const database = await openDatabase(`${engine.uri.replace(/\/$/, '')}/bench_crunch`, { patient: true, timeoutMs: 60_000 });
    try {
      console.error(`bench crunch: seeding ${options.users.toLocaleString('en-US')} customers in memory...`);
      const seeded = await seedDatabase(database, parseSeedOptions({ users: options.users, seed: 7, year: 2025 }));
      console.error(`bench crunch: seeded in ${seeded.seconds.total.toFixed(1)} s; crunching...`);
      const crunched = await crunchSpending(database, { year: 2025 });
      const label = `crunch of ${crunched.customers.toLocaleString('en-US')} customers (${crunched.orders.toLocaleString('en-US')} orders of 2025), embedded engine`;
      return [
        { suite: SUITE, name: `${label}: total`, value: crunched.seconds, unit: 's', target: `≤ ${TARGET_SECONDS} s for 1M orders`, pass: crunched.orders >= TARGET_ORDERS ? crunched.seconds <= TARGET_SECONDS : undefined },
        { suite: SUITE, name: 'crunch rate', value: Math.round(crunched.orders / crunched.seconds), unit: 'orders/s' },
        { suite: SUITE, name: 'customers with orders in 2025', value: crunched.customersWithOrders, unit: 'customers' },
      ];
    } finally {
      await database.close();
    }
  } finally {
    await engine.stop();
  }
}
