/** `datadragon crunch`: builds (or refreshes) `customer_spending` for one year (thin: the crunch job with its progress, a summary). */
import type { Command } from 'commander';
import { action } from '../run.js';

export function registerCrunchCommand(program: Command): void {
  program
    .command('crunch')
    .description("compute every customer's spending by month and by category for one year into the customer_spending collection")
    .option('--year <year>', 'calendar year (UTC) to crunch (default: the year of the newest order; with --since, the year crunched before)')
    .option('--since <date>', 'recompute only the customers with orders created since DATE (2025-11-01, or 2025-11-01T12:00:00Z) and merge them in')
    .addHelpText(
      'after',
      `
The aggregation runs on the database server, over slices of the customers (the progress
counts them), reads users, orders, carts and products, and writes one document per customer:
monthly totals (monthly_spenses), totals per category and month (categorized_monthly_expenses)
and their monthly averages (year / 12). The new collection replaces customer_spending only
once it is complete: a crunch that fails or is cancelled (Ctrl-C) leaves it as it was. A year
without orders is refused (with the years that have some). Refused while a seed or reset runs.

--since DATE refreshes an earlier crunch of the same data: only the customers who placed
orders since DATE are recomputed (for the year crunched) and merged into customer_spending;
the result is what a full crunch would give. After a new seed or a reset, run a full crunch.

Query the result with "datadragon find".

The database: MONGODB_URI (or mongodbUri in datadragon.config.json) if set, else a local
mongod, else the embedded engine (see README and docs/CONFIGURATION.md).

Examples:
  npx datadragon seed --users 20000 && npx datadragon crunch
  npx datadragon crunch --year 2024
  npx datadragon crunch --since 2025-12-01
  MONGODB_URI=mongodb://localhost:27017/shop npx datadragon crunch`,
    )
    .action(
      action(async (flags: { year?: string; since?: string }) => {
        const [{ crunchJob }, { withDatabase }, { formatReais }, { runJobFromCli }, { resolveCrunchInput }, { resolveDatabaseConfig }] = await Promise.all([
          import('../../jobs/index.js'),
          import('../database.js'),
          import('../format/index.js'),
          import('../run-job.js'),
          import('../settings/crunch.js'),
          import('../settings/database.js'),
        ]);
        const request = crunchJob.parse(resolveCrunchInput(flags));
        const databaseConfig = resolveDatabaseConfig();
        await withDatabase(async (database) => {
          const result = await runJobFromCli(crunchJob, request, { database });
          if (!result) return;
          const n = (x: number): string => x.toLocaleString('en-US');
          const what =
            result.mode === 'incremental'
              ? `refreshed ${result.year} in ${database.dbName}.customer_spending: ${n(result.recomputed)} customers with orders since ${result.since!.toISOString()} recomputed; now ${n(result.customers)} customers (${n(result.customersWithOrders)} with orders), ${n(result.orders)} orders`
              : `crunched ${result.year} into ${database.dbName}.customer_spending: ${n(result.customers)} customers (${n(result.customersWithOrders)} with orders), ${n(result.orders)} orders`;
          console.log([what, `year: ${result.year}`, `total spend: ${formatReais(result.totalSpend)}`, `time: ${result.seconds.toFixed(1)} s`].join('\n'));
        }, databaseConfig);
      }),
    );
}
