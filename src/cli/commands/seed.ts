/** `datadragon seed`: fills the database (thin: options in, the seeding service, a summary out). */
import type { Command } from 'commander';
import { readConfigFile, resolveOptions } from '../../config.js';
import { usesEmbeddedEngine } from '../../db/backend.js';
import { checkMemory, planSeed, SEED_DEFAULTS, SeedOptionsSchema, seedDatabase, type SeedPhase } from '../../seeding/index.js';
import { withDatabase } from '../database.js';
import { phaseProgress } from '../progress.js';
import { action } from '../run.js';

interface SeedFlags {
  users?: string;
  maxOrders?: string;
  products?: string;
  year?: string;
  seed?: string;
  workers?: string;
  batchSize?: string;
  locale?: string;
  keepActivity?: boolean;
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('fill the database with customers, products, carts and orders, on every core')
    .option('--users <n>', `customers to create (default: ${SEED_DEFAULTS.users})`)
    .option('--max-orders <n>', `most orders one customer may have (default: ${SEED_DEFAULTS.maxOrders})`)
    .option('--products <n>', `products in the catalogue (default: ${SEED_DEFAULTS.products})`)
    .option('--year <year>', 'calendar year of the orders, UTC (default: the last full year)')
    .option('--seed <n>', 'random seed: the same seed and options give the same data (default: drawn and printed)')
    .option('--workers <n>', 'worker processes (default: the number of cores)')
    .option('--batch-size <n>', `documents per insertMany (default: ${SEED_DEFAULTS.batchSize})`)
    .option('--locale <locale>', `faker locale of the names (default: ${SEED_DEFAULTS.locale})`)
    .option('--keep-activity', 'keep the temporary activity collection after the split')
    .addHelpText(
      'after',
      `
Every option can also be set by an environment variable (DATADRAGON_USERS, DATADRAGON_MAX_ORDERS,
DATADRAGON_PRODUCTS, DATADRAGON_YEAR, DATADRAGON_SEED, DATADRAGON_WORKERS, DATADRAGON_BATCH_SIZE,
DATADRAGON_LOCALE, DATADRAGON_KEEP_ACTIVITY) or in datadragon.config.json ({"users": 5000, ...}).
Flags win over the environment, the environment over the file.

The database: MONGODB_URI if set, else a local mongod, else the embedded engine (see README).

Examples:
  npx datadragon seed
  npx datadragon seed --users 100000 --seed 42
  MONGODB_URI=mongodb://localhost:27017/shop npx datadragon seed --users 5000`,
    )
    .action(
      action(async (flags: SeedFlags) => {
        const options = resolveOptions(SeedOptionsSchema, { flags: { ...flags }, file: readConfigFile() });
        const plan = planSeed(options);
        checkMemory(plan, usesEmbeddedEngine());
        await withDatabase(async (database) => {
          console.error(
            `seeding ${plan.users.toLocaleString('en-US')} users (at most ${plan.maxOrders} orders each), ${plan.products} products, year ${plan.year}, ` +
              `${plan.workers} worker(s), seed ${plan.seed}${plan.seedWasRandom ? ' (random: replay with --seed ' + plan.seed + ')' : ''}`,
          );
          const progress = phaseProgress();
          const totals: Record<SeedPhase, number> = { products: plan.products, activity: plan.users, split: 4, indexes: 4 };
          const summary = await seedDatabase(database, plan, {
            onPhase: (phase) => progress.start(phase, totals[phase]),
            onProgress: (p) => progress.update(p.done, p.total, p.phase === 'activity' ? `users, ${p.written.orders.toLocaleString('en-US')} orders` : ''),
          }).finally(() => progress.stop());
          const s = summary.seconds;
          console.log(
            [
              `seeded ${database.dbName}: ${summary.counts.users.toLocaleString('en-US')} users, ${summary.counts.products.toLocaleString('en-US')} products, ` +
                `${summary.counts.carts.toLocaleString('en-US')} carts, ${summary.counts.orders.toLocaleString('en-US')} orders`,
              `time: ${s.total.toFixed(1)} s (products ${s.products.toFixed(1)} s, activity ${s.activity.toFixed(1)} s, split ${s.split.toFixed(1)} s, indexes ${s.indexes.toFixed(1)} s), ` +
                `${Math.round(summary.ordersPerSecond).toLocaleString('en-US')} orders/s`,
              `seed: ${plan.seed} (replay: npx datadragon seed --users ${plan.users} --max-orders ${plan.maxOrders} --products ${plan.products} --year ${plan.year} --seed ${plan.seed})`,
            ].join('\n'),
          );
        });
      }),
    );
}
