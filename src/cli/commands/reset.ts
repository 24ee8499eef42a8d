/** `datadragon reset`: empties the datadragon collections (or drops the database), after confirmation. */
import type { Command } from 'commander';
import { UserInputError } from '../../errors.js';
import { action } from '../run.js';

async function confirm(question: string): Promise<boolean> {
  const readline = await import('node:readline/promises');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerResetCommand(program: Command): void {
  program
    .command('reset')
    .description('delete every document of every datadragon collection, keeping collections and indexes')
    .option('--yes', 'do not ask for confirmation (needed when not on a terminal)')
    .option('--drop', 'drop the whole database instead')
    .addHelpText(
      'after',
      `
Every collection is replaced by an empty copy with the same indexes, all at once at the end:
a reset that fails or is cancelled deletes nothing. Refused while a seed or crunch runs.

Examples:
  npx datadragon reset --yes
  npx datadragon reset --yes --drop`,
    )
    .action(
      action(async (flags: { yes?: boolean; drop?: boolean }) => {
        const [{ resetJob }, { withDatabase }, { runJobFromCli }] = await Promise.all([
          import('../../jobs/index.js'),
          import('../database.js'),
          import('../run-job.js'),
        ]);
        const plan = resetJob.parse({ drop: flags.drop === true });
        await withDatabase(async (database) => {
          const what = plan.drop ? `drop the database ${database.dbName}` : `delete every document of the datadragon collections in ${database.dbName}`;
          if (!flags.yes) {
            if (!process.stdin.isTTY) throw new UserInputError(`reset would ${what}: add --yes to confirm (not on a terminal, so it cannot ask)`);
            if (!(await confirm(`This will ${what}. Continue? [y/N] `))) {
              console.error('reset cancelled: nothing was changed');
              return;
            }
          }
          const result = await runJobFromCli(resetJob, plan, { database });
          if (!result) return;
          if (result.dropped) console.log(`dropped the database ${database.dbName}`);
          else {
            const parts = Object.entries(result.deleted).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`);
            console.log(
              `reset ${database.dbName}: deleted ${parts.length ? parts.join(', ') : 'nothing (no datadragon collections yet)'}; collections and indexes kept`,
            );
          }
        });
      }),
    );
}
