/**
 * `datadragon find` as a user runs it (the built CLI against a crunched database of the test
 * server): every format, filters in Extended JSON, sort/limit/skip/fields, hostile filters
 * refused (exit 2), malformed JSON with its position, empty results (exit 0).
 */
import { EJSON } from 'bson';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { crunchSpending } from '../../src/jobs/index.js';
import { runCli } from '../helpers/cli.js';
import { mongoUri, uniqueDbName, uriWithDb } from '../helpers/database.js';
import { openServiceDatabase, seed } from '../helpers/seeded.js';

let client: MongoClient;
let database: Database;
let env: NodeJS.ProcessEnv;
let all: Document[];

beforeAll(async () => {
  client = await MongoClient.connect(mongoUri());
  database = await openServiceDatabase('cli_find');
  await seed(database, { users: 250, seed: 99, workers: 1, products: 60 });
  await crunchSpending(database);
  env = { MONGODB_URI: uriWithDb(database.dbName) };
  all = await client.db(database.dbName).collection('customer_spending').find().sort({ _id: 1 }).toArray();
});
afterAll(async () => {
  await database.db.dropDatabase();
  await database.close();
  await client.close();
});

const noStack = /\n\s+at /;
// COLUMNS unset unless a test sets it: a table then has no width to fit.
const find = (args: string[], input?: string, extra: NodeJS.ProcessEnv = {}) =>
  runCli(['find', ...args], { env: { ...env, COLUMNS: '', ...extra }, ...(input === undefined ? {} : { input }) });
const MONTHS = ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'];
/** 1234.5 → "1,234.50", as the table writes amounts. */
const amount = (n: number): string => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('datadragon find: formats', () => {
  it('prints every document as a JSON array when stdout is not a terminal (the default)', async () => {
    const result = await find([]);
    expect(result.code).toBe(0);
    const docs = JSON.parse(result.stdout) as Document[];
    expect(docs).toEqual(all);
  });

  it('prints a table of 20 customers by default, with the count on stderr', async () => {
    const result = await find(['--format', 'table']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^customer_id\s+email\s+monthly_avg_expense\s+details\.first_name\s+details\.last_name\s+year$/);
    expect(lines[1]).toMatch(/^─+( {2}─+)+$/);
    expect(lines).toHaveLength(22);
    expect(lines[2]).toContain(all[0]!.customer_id);
    expect(lines[2]).toContain(all[0]!.email);
    expect(lines[2]).toMatch(new RegExp(` ${amount(all[0]!.monthly_avg_expense as number).replace(/[.]/g, '\\.')}  `));
    expect(lines[2]).toMatch(/ 2025$/); // a year is not a quantity: no separator
    expect(result.stderr).toContain('(1–20 of 250 matching; --limit and --skip for more');
  });

  it('prints NDJSON, one document per line', async () => {
    const result = await find(['--format', 'ndjson', '--limit', '5', '--skip', '3']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => EJSON.parse(line))).toEqual(all.slice(3, 8));
  });

  it('prints CSV with dotted headers and proper quoting', async () => {
    const result = await find(['--format', 'csv', '--fields', 'customer_id,email,details,monthly_spenses.dez']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('customer_id,email,details.first_name,details.last_name,monthly_spenses.dez');
    expect(lines).toHaveLength(251);
    const first = all[0]!;
    const q = (text: string): string => (/[",\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    expect(lines[1]).toBe(
      [first.customer_id, first.email, first.details.first_name, first.details.last_name, String(first.monthly_spenses.dez)].map(q).join(','),
    );
  });

  it('fits a table to 80 columns: text cut with …, ids whole, the columns left out named', async () => {
    const result = await find(['--format', 'table', '--sort', '-monthly_avg_expense'], undefined, { COLUMNS: '80' });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    const top = [...all].sort((a, b) => b.monthly_avg_expense - a.monthly_avg_expense || (a._id < b._id ? -1 : 1))[0]!;
    expect(lines[0]).toMatch(/^customer_id\s+email\s+monthly_avg_expense\s/);
    expect(lines[2]).toContain(top.customer_id);
    expect(lines[2]).toContain(amount(top.monthly_avg_expense as number));
    expect(lines[0]).not.toMatch(/\byear\b/);
    expect(result.stderr).toMatch(/2 columns do not fit 80 characters: details\.last_name, year; --fields to choose the columns/);
    // The same table with room enough is whole.
    const wide = await find(['--format', 'table', '--sort', '-monthly_avg_expense'], undefined, { COLUMNS: '200' });
    expect(wide.stdout.split('\n')[0]).toMatch(/ year$/);
    expect(wide.stderr).not.toMatch(/does not fit/);
  });

  it('writes CSV columns in a stable order: the customer, the 12 months in calendar order, the average', async () => {
    const result = await find(['--format', 'csv']);
    expect(result.code).toBe(0);
    const [header, first] = result.stdout.split('\n');
    expect(header).toBe(
      ['customer_id', 'email', 'details.first_name', 'details.last_name', 'year', ...MONTHS.map((m) => `monthly_spenses.${m}`), 'monthly_avg_expense'].join(
        ',',
      ),
    );
    const doc = all[0]!;
    expect(first!.split(',').slice(5, 17).map(Number)).toEqual(MONTHS.map((m) => doc.monthly_spenses[m]));
  });

  it('writes the categories in CSV only when asked, sorted by name within each month in calendar order', async () => {
    const result = await find(['--format', 'csv', '--fields', 'customer_id,categorized_monthly_expenses,categorized_monthly_avg_expense']);
    expect(result.code).toBe(0);
    // The header's fields, unquoted (a category may hold a comma: "Cama, Mesa e Banho").
    const header = [...result.stdout.split('\n')[0]!.matchAll(/"((?:[^"]|"")*)"|([^,]+)/g)].map((m) => (m[1] ?? m[2]!).replace(/""/g, '"'));
    expect(header[0]).toBe('customer_id');
    const monthly = header.filter((column) => column.startsWith('categorized_monthly_expenses.'));
    const averages = header.filter((column) => column.startsWith('categorized_monthly_avg_expense.'));
    expect(header).toEqual(['customer_id', ...monthly, ...averages]);
    const names = new Intl.Collator('en');
    const byMonth = (column: string): [number, string] => [MONTHS.indexOf(column.split('.')[1]!), column.split('.').slice(2).join('.')];
    expect(monthly).toEqual([...monthly].sort((a, b) => byMonth(a)[0] - byMonth(b)[0] || names.compare(byMonth(a)[1], byMonth(b)[1])));
    expect(averages).toEqual([...averages].sort((a, b) => names.compare(a, b)));
    const categories = new Set(all.flatMap((doc) => Object.keys(doc.categorized_monthly_avg_expense)));
    expect(averages).toHaveLength(categories.size);
    // Without --fields, no category column.
    expect((await find(['--format', 'csv', '--limit', '1'])).stdout).not.toContain('categorized');
  });

  it('keeps the --fields order in every format', async () => {
    const fields = 'monthly_avg_expense,email,monthly_spenses.dez,customer_id,monthly_spenses.jan';
    const one = all[5]!;
    const args = [JSON.stringify({ _id: one._id }), '--fields', fields];
    const json = JSON.parse((await find([...args, '--format', 'json'])).stdout) as Document[];
    expect(Object.keys(json[0]!)).toEqual(['monthly_avg_expense', 'email', 'monthly_spenses', 'customer_id']);
    expect(Object.keys(json[0]!.monthly_spenses)).toEqual(['dez', 'jan']);
    const ndjson = JSON.parse((await find([...args, '--format', 'ndjson'])).stdout) as Document;
    expect(Object.keys(ndjson)).toEqual(['monthly_avg_expense', 'email', 'monthly_spenses', 'customer_id']);
    expect((await find([...args, '--format', 'csv'])).stdout.split('\n')[0]).toBe(fields);
    expect((await find([...args, '--format', 'table'])).stdout.split('\n')[0]!.split(/\s+/)).toEqual(fields.split(','));
  });

  it('refuses an unknown format', async () => {
    const result = await find(['--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format: expected one of table, json, ndjson, csv, got 'xml'/);
  });
});

describe('datadragon find: queries', () => {
  it('filters, sorts, skips and limits like the driver', async () => {
    const filter = { monthly_avg_expense: { $gt: 100 } };
    const result = await find([JSON.stringify(filter), '--sort', '{"monthly_avg_expense": -1}', '--skip', '2', '--limit', '5', '--format', 'json']);
    expect(result.code).toBe(0);
    const expected = await client
      .db(database.dbName)
      .collection('customer_spending')
      .find(filter, { sort: { monthly_avg_expense: -1, _id: 1 }, skip: 2, limit: 5 })
      .toArray();
    expect(expected).toHaveLength(5);
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });

  it('takes the shorthand sort and --fields (without _id unless asked)', async () => {
    const result = await find(['--sort', '-monthly_avg_expense,email', '--limit', '3', '--fields', 'email,monthly_avg_expense', '--format', 'json']);
    const docs = JSON.parse(result.stdout) as Document[];
    expect(docs).toHaveLength(3);
    expect(Object.keys(docs[0]!)).toEqual(['email', 'monthly_avg_expense']);
    const top = Math.max(...all.map((doc) => doc.monthly_avg_expense as number));
    expect(docs[0]!.monthly_avg_expense).toBe(top);
  });

  it('understands Extended JSON and nested operators', async () => {
    const filter = '{"year": {"$numberLong": "2025"}, "$or": [{"monthly_spenses.dez": {"$gt": 0}}, {"categorized_monthly_expenses.nov": {"$ne": {}}}]}';
    const result = await find([filter, '--fields', '_id', '--format', 'ndjson']);
    expect(result.code).toBe(0);
    const expected = all.filter((doc) => doc.monthly_spenses.dez > 0 || Object.keys(doc.categorized_monthly_expenses.nov).length > 0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)._id),
    ).toEqual(expected.map((doc) => doc._id));
  });

  it('reads the filter from stdin with "-"', async () => {
    const someone = all[17]!;
    const result = await find(['-', '--format', 'json'], JSON.stringify({ email: someone.email }));
    expect(JSON.parse(result.stdout)).toEqual([someone]);
  });

  it('says so on stderr and exits 0 when nothing matches', async () => {
    const json = await find(['{"email": "nobody@nowhere"}', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe('[]\n');
    expect(json.stderr).toMatch(/no documents match the filter \(customer_spending has 250\)/);
    for (const format of ['csv', 'ndjson', 'table']) {
      const result = await find(['{"monthly_avg_expense": {"$lt": 0}}', '--format', format]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/no documents match the filter/);
    }
  });

  it('says to crunch first when customer_spending is empty (exit 0)', async () => {
    const dbName = uniqueDbName('cli_find_empty');
    const result = await runCli(['find'], { env: { MONGODB_URI: uriWithDb(dbName) } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('[]\n');
    expect(result.stderr).toMatch(/customer_spending in dd_cli_find_empty_\w+ is empty: run "npx datadragon crunch" first/);
    await client.db(dbName).dropDatabase();
  });
});

describe('datadragon find: refused input (exit 2, a clear message, no stack trace)', () => {
  const hostile: [string, string, RegExp][] = [
    ['$where at the top', '{"$where": "sleep(100) || true"}', /'\$where' is not allowed at '\$where'/],
    ['$where in $and', '{"$and": [{"year": 2025}, {"$where": "true"}]}', /'\$where' is not allowed at '\$and\[1\]\.\$where'/],
    ['$where in $or in $and', '{"$and": [{"$or": [{"a": 1}, {"$where": "true"}]}]}', /'\$where' is not allowed at '\$and\[0\]\.\$or\[1\]\.\$where'/],
    ['$where in $nor', '{"$nor": [{"$where": "true"}]}', /'\$where' is not allowed/],
    ['$where in $elemMatch', '{"tags": {"$elemMatch": {"$where": "true"}}}', /'\$where' is not allowed at 'tags\.\$elemMatch\.\$where'/],
    [
      '$function in $expr',
      '{"$expr": {"$function": {"body": "function() { return true }", "args": [], "lang": "js"}}}',
      /'\$function' is not allowed at '\$expr\.\$function'/,
    ],
    [
      '$function deep in $expr',
      '{"$expr": {"$and": [{"$gt": ["$year", 1]}, {"$function": {"body": "x", "args": [], "lang": "js"}}]}}',
      /'\$function' is not allowed/,
    ],
    ['$accumulator in $expr', '{"$expr": {"$eq": [{"$accumulator": {"init": "function() {}"}}, 1]}}', /'\$accumulator' is not allowed/],
    [
      '$function in $elemMatch in $or',
      '{"$or": [{"xs": {"$elemMatch": {"v": {"$eq": {"$function": {}}}}}}]}',
      /'\$function' is not allowed at '\$or\[0\]\.xs\.\$elemMatch\.v\.\$eq\.\$function'/,
    ],
    ['a Code value', '{"email": {"$code": "function() { return 1 }"}}', /JavaScript Code value is not allowed|'\$code' is not allowed/],
  ];
  for (const [what, filter, message] of hostile) {
    it(`refuses ${what}`, async () => {
      const result = await find([filter]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/server-side JavaScript is refused/);
      expect(result.stderr).not.toMatch(noStack);
      expect(result.stdout).toBe('');
    });
  }

  const malformed: [string, string, RegExp][] = [
    ['a trailing comma', '{"a": 1,}', /Malformed filter JSON at line 1, column 9: expected a property name but found '\}'/],
    ['a missing value on line 2', '{"a": 1,\n  "b": }', /Malformed filter JSON at line 2, column 8: expected a value but found '\}'/],
    ['single quotes', "{'a': 1}", /Malformed filter JSON at line 1, column 2: .*property names need double quotes/],
    ['an unterminated object', '{"a": {"$gt": 1}', /Malformed filter JSON at line 1, column 17: .*the end of the input/],
    ['not an object', '[1, 2]', /the filter must be a JSON object, not an array/],
    ['bad Extended JSON', '{"_id": {"$oid": "xyz"}}', /Invalid Extended JSON in the filter/],
  ];
  for (const [what, filter, message] of malformed) {
    it(`refuses ${what} with the position`, async () => {
      const result = await find([filter]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(noStack);
    });
  }

  const badFlags: [string, string[], RegExp][] = [
    ['a negative limit', ['--limit', '-1'], /--limit: expected a whole number/],
    ['a fractional skip', ['--skip', '1.5'], /--skip: expected a whole number/],
    ['a bad sort direction', ['--sort', '{"email": 2}'], /sort direction of 'email' must be 1 or -1/],
    ['malformed sort JSON', ['--sort', '{"email": }'], /Malformed sort JSON at line 1, column 11/],
    ['an empty field', ['--fields', 'email,,year'], /empty field name/],
    ['overlapping fields', ['--fields', 'details,details.first_name'], /overlap/],
    ['an unknown operator', ['{"year": {"$near2": 1}}'], /unknown query operator '\$near2'/],
    ['$expr inside $elemMatch', ['{"xs": {"$elemMatch": {"$expr": {"$function": {}}}}}'], /'\$expr' is not allowed inside \$elemMatch/],
    ['a filter the server refuses', ['{"email": {"$regex": "("}}'], /the server refused the query/],
  ];
  for (const [what, args, message] of badFlags) {
    it(`refuses ${what}`, async () => {
      const result = await find(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(noStack);
    });
  }

  it('checks everything it was given, regular expressions included, before it opens a database', async () => {
    const unreachable = { MONGODB_URI: 'mongodb://127.0.0.1:9/nowhere?serverSelectionTimeoutMS=20000', COLUMNS: '' };
    for (const [args, message] of [
      [['{"email": {"$regex": "^(a+)+$"}}'], /the regular expression "\^\(a\+\)\+\$" at 'email' can backtrack catastrophically/],
      [['{"email": {"$regex": "(?<=@)gmail"}}'], /uses a lookbehind/],
      [['{"$where": "true"}'], /server-side JavaScript is refused/],
      [['{}', '--sort', '{"email": 2}'], /sort direction of 'email' must be 1 or -1/],
    ] as [string[], RegExp][]) {
      const result = await runCli(['find', ...args], { env: unreachable, timeoutMs: 15_000 });
      expect([result.code, result.stdout], args.join(' ')).toEqual([2, '']);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/cannot reach MongoDB/);
    }
  });

  it('warns on stderr, and still answers, when the spending data no longer describes the dataset (a new seed since the crunch)', async () => {
    const fresh = await find(['{}', '--limit', '1', '--format', 'ndjson']);
    expect(fresh.stderr).not.toMatch(/stale/);
    const other = await openServiceDatabase('cli_find_stale');
    try {
      await seed(other, { users: 40, seed: 5, workers: 1, products: 20 });
      await crunchSpending(other);
      await seed(other, { users: 30, seed: 6, workers: 1, products: 20 });
      const result = await runCli(['find', '{}', '--limit', '1', '--format', 'ndjson'], { env: { MONGODB_URI: uriWithDb(other.dbName), COLUMNS: '' } });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/datadragon: warning: the spending data is stale: .*npx datadragon crunch/);
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      await other.db.dropDatabase();
      await other.close();
    }
  });

  it('has --help with examples', async () => {
    const result = await runCli(['find', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--format <format>/);
    expect(result.stdout).toMatch(/\$where, \$function, \$accumulator/);
    expect(result.stdout).toMatch(/Examples:\n {2}npx datadragon find/);
  });
});
