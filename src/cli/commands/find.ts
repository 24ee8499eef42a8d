/**
 * `datadragon find`: queries `customer_spending` with a MongoDB filter in Extended JSON and
 * prints the documents as a table, JSON, NDJSON or CSV (thin: parsing of the flags, the
 * spending query service, a formatter). The query modules load inside the action, so that
 * `find --help` loads nothing heavy.
 */
import type { Command } from 'commander';
import { OUTPUT_FORMATS, TABLE_DEFAULT_LIMIT } from '../format/formats.js';
import { action, isOutputClosed } from '../run.js';

/** Fields a table shows when no --fields is given (whole documents have ~100 columns), most telling first: a narrow terminal drops the last ones. */
export const TABLE_DEFAULT_FIELDS = ['customer_id', 'email', 'monthly_avg_expense', 'details.first_name', 'details.last_name', 'year'];
/**
 * Columns of a CSV when no --fields is given: the customer, the 12 months in calendar order,
 * the average. The categories (a column per month and category: over a thousand) only when
 * asked for with --fields.
 */
export const CSV_DEFAULT_FIELDS = ['customer_id', 'email', 'details.first_name', 'details.last_name', 'year', 'monthly_spenses', 'monthly_avg_expense'];

/** The width a table must fit: the terminal's, or $COLUMNS when the output is not a terminal; none otherwise. */
function tableWidth(): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isSafeInteger(columns) && columns > 0 ? columns : undefined;
}

const count = (n: number): string => n.toLocaleString('en-US');

interface FindFlags {
  sort?: string;
  limit?: string;
  skip?: string;
  fields?: string;
  format?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes to stdout in large chunks, waiting when the pipe is full; a closed pipe (`| head`: see run.ts) ends quietly. */
function stdoutWriter(): { write(text: string): Promise<void>; flush(): Promise<void>; readonly closed: boolean } {
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (buffer === '' || isOutputClosed()) return;
    const text = buffer;
    buffer = '';
    if (!process.stdout.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          process.stdout.off('drain', done);
          process.stdout.off('error', done);
          process.stdout.off('close', done);
          resolve();
        };
        process.stdout.once('drain', done).once('error', done).once('close', done);
      });
    }
  };
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= 1 << 16) await flush();
    },
    flush,
    get closed() {
      return isOutputClosed();
    },
  };
}

export function registerFindCommand(program: Command): void {
  program
    .command('find')
    .description('query the customer_spending collection (built by "datadragon crunch") with a MongoDB filter')
    .argument('[filter]', 'MongoDB query in Extended JSON, e.g. \'{"monthly_avg_expense": {"$gt": 500}}\'; "-" reads it from stdin (default: {})')
    .option('--sort <sort>', 'JSON like \'{"monthly_avg_expense": -1}\', or fields like "-monthly_avg_expense,email" (- for descending); default: _id')
    .option('--limit <n>', `most documents to print, 0 for all (default: ${TABLE_DEFAULT_LIMIT} for a table, all otherwise)`)
    .option('--skip <n>', 'documents to skip first (default: 0)')
    .option('--fields <list>', 'comma-separated fields to print, dotted for nested ones: customer_id,monthly_spenses.dez')
    .option('--format <format>', `${OUTPUT_FORMATS.join(', ')} (default: table on a terminal, json otherwise)`)
    .addHelpText(
      'after',
      `
Only query operators are accepted ($eq, $gt, $in, $regex, $elemMatch, $and, $or, $expr...):
$where, $function, $accumulator and any other server-side JavaScript are refused.
Extended JSON values work: {"$date": "2025-01-01T00:00:00Z"}, {"$oid": "..."}, {"$numberLong": "1"}.

Formats: table (a summary of each customer unless --fields is given; fits the terminal's
width, or $COLUMNS), json (an array of whole documents unless --fields is given), ndjson (one
document per line), csv (nested fields as dotted column names; unless --fields is given: the
customer, the 12 months in calendar order and the average; the categories only when asked:
--fields customer_id,categorized_monthly_avg_expense). Every format keeps the --fields order.
An empty result is reported on stderr and exits 0.

Examples:
  npx datadragon find
  npx datadragon find '{"monthly_avg_expense": {"$gte": 1000}}' --sort '{"monthly_avg_expense": -1}' --limit 10
  npx datadragon find '{"categorized_monthly_avg_expense.Livros": {"$gt": 0}}' --fields customer_id,email,categorized_monthly_avg_expense.Livros
  npx datadragon find '{"email": {"$regex": "@gmail\\\\.com$"}}' --format csv > gmail.csv
  npx datadragon find --sort -monthly_avg_expense --limit 100 --format ndjson | jq .email
  echo '{"monthly_spenses.dez": {"$gt": 0}}' | npx datadragon find - --format json`,
    )
    .action(
      action(async (filterArg: string | undefined, flags: FindFlags) => {
        const [
          { assertSafePatterns, countSpending, parseFields, parseFilterJson, parseSort, spendingStatus, streamSpending, validateFilter },
          { withDatabase },
          { createFormatter },
          { resolveFindConfig },
          { resolveDatabaseConfig },
        ] = await Promise.all([
          import('../../spending/index.js'),
          import('../database.js'),
          import('../format/index.js'),
          import('../settings/find.js'),
          import('../settings/database.js'),
        ]);
        // Everything the user typed is checked before the database is opened.
        const { format, limit, skip, sort: sortText, fields: fieldsText } = resolveFindConfig({ ...flags }, process.stdout.isTTY === true);
        const databaseConfig = resolveDatabaseConfig();
        const filterText = filterArg === '-' ? await readStdin() : (filterArg ?? '');
        const filter = validateFilter(parseFilterJson(filterText));
        await assertSafePatterns(filter); // the patterns' analysis too: a refused one never waits for a database
        const sort = parseSort(sortText);
        const defaults = fieldsText !== undefined ? undefined : format === 'table' ? TABLE_DEFAULT_FIELDS : format === 'csv' ? CSV_DEFAULT_FIELDS : undefined;
        const projection = parseFields(defaults ? defaults.join(',') : (fieldsText ?? ''));
        const fields = Object.keys(projection).filter((field) => projection[field] === 1);
        const width = format === 'table' ? tableWidth() : undefined;

        await withDatabase(async (database) => {
          const status = await spendingStatus(database.db);
          if (status.stale) console.error(`datadragon: warning: the spending data is stale: ${status.reason}`);
          const out = stdoutWriter();
          const formatter = createFormatter(format, { fields, ...(width === undefined ? {} : { width }) });
          await out.write(formatter.start());
          let printed = 0;
          for await (const doc of streamSpending(database, { filter, sort, projection, skip, ...(limit > 0 ? { limit } : {}) })) {
            printed++;
            await out.write(formatter.write(doc));
            if (out.closed) break;
          }
          await out.write(formatter.end());
          await out.flush();
          if (out.closed) return;
          if (printed === 0) {
            const total = await countSpending(database, {});
            console.error(
              total === 0
                ? `customer_spending in ${database.dbName} is empty: run "npx datadragon crunch" first`
                : skip > 0
                  ? `no documents: none match the filter after skipping ${skip}`
                  : `no documents match the filter (customer_spending has ${count(total)})`,
            );
            return;
          }
          if (format === 'table') {
            const matching = await countSpending(database, filter);
            const shown = `${count(skip + 1)}–${count(skip + printed)} of ${count(matching)} matching`;
            const more = skip + printed < matching ? '; --limit and --skip for more' : '';
            const hidden = formatter.hidden();
            const cut =
              hidden.length > 0
                ? `; ${hidden.length === 1 ? '1 column does' : `${hidden.length} columns do`} not fit ${width} characters: ${hidden.join(', ')}`
                : '';
            const columns = defaults || hidden.length > 0 ? '; --fields to choose the columns, --format json for whole documents' : '';
            console.error(`(${shown}${more}${cut}${columns})`);
          }
        }, databaseConfig);
      }),
    );
}
