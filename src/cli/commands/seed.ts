/** `datadragon seed`: fills the database (thin: options in, the seed job with its progress, a summary out). */
import type { Command } from 'commander';
import { SEED_DEFAULTS } from '../../seeding/defaults.js';
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
  part?: string;
  finish?: boolean;
  shard?: boolean;
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
    .option('--workers <n>', 'worker processes, about 125 MB each (default: the number of cores, as many as the memory holds)')
    .option('--batch-size <n>', `documents per insertMany (default: ${SEED_DEFAULTS.batchSize})`)
    .option('--locale <locale>', `faker locale of the names (default: ${SEED_DEFAULTS.locale})`)
    .option('--keep-activity', 'keep the temporary activity collection after the split')
    .option('--part <I/N>', 'write only part I of N of the seed (N machines or processes, one database; needs --seed), then run --finish')
    .option('--finish', 'put the parts written with --part together (the split and the indexes), once all are written')
    .option('--shard', 'shard users, carts and orders (a sharded cluster, through its mongos; also done when the server is one)')
    .addHelpText(
      'after',
      `
The new data is built beside the current data (under staging names) and replaces it all at
once at the end: a seed that fails or is cancelled (Ctrl-C) leaves the database as it was.
The spending data (customer_spending) is kept, and reported stale until the next crunch.

Every option can also be set by an environment variable (DATADRAGON_USERS, DATADRAGON_MAX_ORDERS,
DATADRAGON_PRODUCTS, DATADRAGON_YEAR, DATADRAGON_SEED, DATADRAGON_WORKERS, DATADRAGON_BATCH_SIZE,
DATADRAGON_LOCALE, DATADRAGON_KEEP_ACTIVITY) or in datadragon.config.json ({"users": 5000, ...}).
Flags win over the environment, the environment over the file.

Several machines: each runs "seed --part I/N" with the same options and --seed (part I of N
of the chunks; the parts may run at the same time); then one runs "seed --finish" with those
options. The result is the very data one "seed" gives. --finish names the parts still missing.
On a sharded cluster (MONGODB_URI at a mongos), the collections are sharded by hashed keys and
the split writes with $merge; see docs/SCALE.md.

The database: MONGODB_URI (or mongodbUri in datadragon.config.json) if set, else a local
mongod, else the embedded engine (see README and docs/CONFIGURATION.md).

Examples:
  npx datadragon seed
  npx datadragon seed --users 100000 --seed 42
  MONGODB_URI=mongodb://localhost:27017/shop npx datadragon seed --users 5000
  npx datadragon seed --users 1000000 --seed 7 --part 1/2   (and --part 2/2 elsewhere)
  npx datadragon seed --users 1000000 --seed 7 --finish`,
    )
    .action(
      action(async (flags: SeedFlags) => {
        const [{ readConfigFile }, { seedJob, describeCounts }, { backendHoldsData }, { withDatabase }, { runJobFromCli }, { resolveDatabaseConfig }] =
          await Promise.all([
            import('../../config.js'),
            import('../../jobs/index.js'),
            import('../../seeding/index.js'),
            import('../database.js'),
            import('../run-job.js'),
            import('../settings/database.js'),
          ]);
        // Bad options are refused before any database is opened.
        const file = readConfigFile();
        const plan = seedJob.parse({ ...flags }, { file });
        const databaseConfig = resolveDatabaseConfig({ file });
        await withDatabase(async (database, backend) => {
          const count = (n: number): string => n.toLocaleString('en-US');
          const what = plan.part
            ? `writing part ${plan.part.index}/${plan.part.count} of a seed of `
            : plan.finish
              ? 'finishing the parts of a seed of '
              : 'seeding ';
          console.error(
            `${what}${count(plan.users)} users (at most ${count(plan.maxOrders)} orders each), ${count(plan.products)} products, year ${plan.year}, ` +
              `${plan.workers} worker(s), seed ${plan.seed}${plan.seedWasRandom ? ` (random: replay with --seed ${plan.seed})` : ''}`,
          );
          const summary = await runJobFromCli(seedJob, plan, { database, holdsDataInMemory: backendHoldsData(backend) });
          if (!summary) return;
          const s = summary.seconds;
          const options = `--users ${plan.users} --max-orders ${plan.maxOrders} --products ${plan.products} --year ${plan.year} --seed ${plan.seed}${plan.locale === SEED_DEFAULTS.locale ? '' : ` --locale ${plan.locale}`}`;
          if (plan.part && summary.part) {
            const { chunks, collection } = summary.part;
            console.log(
              [
                `wrote part ${plan.part.index}/${plan.part.count} into ${database.dbName}.${collection}: chunks ${chunks.from}–${chunks.to - 1}, ${count(summary.counts.users)} users, ${count(summary.counts.carts)} carts, ${count(summary.counts.orders)} orders`,
                `time: ${s.total.toFixed(1)} s, ${count(Math.round(summary.ordersPerSecond))} orders/s`,
                `once every part is written: npx datadragon seed ${options} --finish${plan.shard ? ' --shard' : ''}`,
              ].join('\n'),
            );
            return;
          }
          console.log(
            [
              `seeded ${database.dbName}: ${describeCounts(summary.counts)}${summary.parts ? ` (from ${summary.parts} parts)` : ''}${summary.sharded ? ' (sharded, split with $merge)' : ''}`,
              // A finish generates nothing: its activity was the parts' time.
              `time: ${s.total.toFixed(1)} s (products ${s.products.toFixed(1)} s, ${plan.finish ? '' : `activity ${s.activity.toFixed(1)} s, `}split ${s.split.toFixed(1)} s, indexes ${s.indexes.toFixed(1)} s), ` +
                `${count(Math.round(summary.ordersPerSecond))} orders/s`,
              `seed: ${plan.seed} (replay: npx datadragon seed ${options})`,
            ].join('\n'),
          );
        }, databaseConfig);
      }),
    );
}
