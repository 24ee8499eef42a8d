/** `datadragon crunch`: builds `customer_spending` for one year (thin: the crunch service, a progress bar, a summary). */
import type { Command } from 'commander';
import { UserInputError } from '../../errors.js';
import { crunchSpending, type CrunchPhase } from '../../spending/index.js';
import { withDatabase } from '../database.js';
import { formatReais } from '../format/index.js';
import { phaseProgress } from '../progress.js';
import { action } from '../run.js';

function parseYear(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*\d{1,4}\s*$/.test(text)) throw new UserInputError(`--year: a year is a whole number like 2025, got '${text}'`);
  return Number(text);
}

export function registerCrunchCommand(program: Command): void {
  program
    .command('crunch')
    .description('compute every customer\'s spending by month and by category for one year into the customer_spending collection')
    .option('--year <year>', 'calendar year (UTC) to crunch (default: the year of the newest order)')
    .addHelpText(
      'after',
      `
One aggregation on the database server reads users, orders, carts and products and replaces
customer_spending with one document per customer: monthly totals (monthly_spenses), totals per
category and month (categorized_monthly_expenses) and their monthly averages (year / 12).
Query it with "datadragon find". Refused while a seed or reset runs.

The database: MONGODB_URI if set, else a local mongod, else the embedded engine (see README).

Examples:
  npx datadragon seed --users 20000 && npx datadragon crunch
  npx datadragon crunch --year 2024
  MONGODB_URI=mongodb://localhost:27017/shop npx datadragon crunch`,
    )
    .action(
      action(async (flags: { year?: string }) => {
        const year = parseYear(flags.year);
        await withDatabase(async (database) => {
          const progress = phaseProgress();
          let phase: CrunchPhase | undefined;
          const result = await crunchSpending(database, {
            ...(year === undefined ? {} : { year }),
            onProgress: (p) => {
              if (p.phase !== phase) {
                phase = p.phase;
                progress.start(p.phase, p.total);
              }
              progress.update(p.done, p.total, p.phase === 'aggregate' ? 'orders' : '');
            },
          }).finally(() => progress.stop());
          const n = (x: number): string => x.toLocaleString('en-US');
          console.log(
            [
              `crunched ${result.year} into ${database.dbName}.customer_spending: ${n(result.customers)} customers (${n(result.customersWithOrders)} with orders), ${n(result.orders)} orders`,
              `year: ${result.year}`,
              `total spend: ${formatReais(result.totalSpend)}`,
              `time: ${result.seconds.toFixed(1)} s`,
            ].join('\n'),
          );
        });
      }),
    );
}
