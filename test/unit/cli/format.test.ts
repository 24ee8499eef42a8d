/** The `find` output formats: flattening, table, JSON, NDJSON, CSV (quoting) and money. */
import { EJSON, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  cellText,
  columnsOf,
  comparePaths,
  createFormatter,
  csvField,
  flattenDocument,
  formatCsv,
  formatJson,
  formatNdjson,
  formatReais,
  formatTable,
  isOutputFormat,
  orderByFields,
  renderTable,
  toScalar,
} from '../../../src/cli/format/index.js';

const spending = (id: string, email: string, dez: number, categories: Record<string, number>) => ({
  _id: id,
  customer_id: id,
  email,
  year: 2025,
  details: { first_name: 'Ana', last_name: 'Silva' },
  monthly_spenses: { jan: 0, dez },
  categorized_monthly_expenses: { jan: {}, dez: categories },
  monthly_avg_expense: Math.round((dez * 100) / 12) / 100,
});

describe('flattening', () => {
  it('turns nested objects into dotted names and arrays into indexed ones; empty containers give nothing', () => {
    const row = flattenDocument({ a: 1, b: { c: 'x', d: { e: null } }, f: [10, { g: true }], h: {}, i: [] });
    expect([...row]).toEqual([
      ['a', 1],
      ['b.c', 'x'],
      ['b.d.e', null],
      ['f.0', 10],
      ['f.1.g', true],
    ]);
  });

  it('writes BSON leaves as text: dates in ISO 8601, ObjectIds in hex', () => {
    const id = new ObjectId('65ee67e90100000100000232');
    const row = flattenDocument({ _id: id, at: new Date('2025-12-31T23:59:59.999Z') });
    expect(row.get('_id')).toBe('65ee67e90100000100000232');
    expect(row.get('at')).toBe('2025-12-31T23:59:59.999Z');
    expect(toScalar(undefined)).toBeNull();
    expect(toScalar(12n)).toBe('12');
  });

  const columnCases: [string, Record<string, unknown>[], string[] | undefined, string[]][] = [
    ['first-seen order across rows', [{ a: 1 }, { b: 2, a: 3 }, { c: { d: 4 } }], undefined, ['a', 'b', 'c.d']],
    ['requested fields first, expanded', [{ a: 1, m: { x: 1, y: 2 }, z: 0 }], ['m', 'a'], ['m.x', 'm.y', 'a', 'z']],
    ['a requested field no row has still gets a column', [{ a: 1, m: {} }], ['a', 'm'], ['a', 'm']],
    ['a dotted requested field', [{ m: { x: 1, y: 2 } }], ['m.y'], ['m.y', 'm.x']],
    ['months in calendar order whatever the documents say', [{ s: { dez: 1, jan: 2 } }, { s: { mar: 3 } }], undefined, ['s.jan', 's.mar', 's.dez']],
    ['names sorted within a field, not first-seen', [{ c: { Livros: 1 } }, { c: { Áudio: 1, Bebês: 2 } }], ['c'], ['c.Áudio', 'c.Bebês', 'c.Livros']],
    ['an asked field no row has, once', [{ a: { b: 1 } }], ['a', 'z'], ['a.b', 'z']],
  ];
  for (const [what, docs, fields, columns] of columnCases) {
    it(`columns: ${what}`, () => {
      expect(columnsOf(docs.map(flattenDocument), fields)).toEqual(columns);
    });
  }

  it('orders sub-columns by name only: months by the calendar, indexes by number, then segment by segment', () => {
    const paths = ['e.dez.Livros', 'e.jan.Moda', 'e.jan.Casa', 'a.10', 'a.9', 'e.fev.Áudio'];
    expect([...paths].sort(comparePaths)).toEqual(['a.9', 'a.10', 'e.jan.Casa', 'e.jan.Moda', 'e.fev.Áudio', 'e.dez.Livros']);
  });

  it('writes cells: empty for null and missing, numbers as JavaScript writes them', () => {
    expect([cellText(null), cellText(undefined), cellText(0.3), cellText(1500), cellText(false)]).toEqual(['', '', '0.3', '1500', 'false']);
  });
});

describe('csv', () => {
  const fieldCases: [string, string][] = [
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    [' padded', '" padded"'],
    ['padded ', '"padded "'],
    ['', ''],
    ['Ação, café & "pão"', '"Ação, café & ""pão"""'],
  ];
  for (const [text, quoted] of fieldCases) {
    it(`quotes ${JSON.stringify(text)} as ${JSON.stringify(quoted)}`, () => {
      expect(csvField(text)).toBe(quoted);
    });
  }

  it('writes a header of dotted names and one line per document, blanks for missing values', () => {
    const csv = formatCsv([spending('a1', 'ana@x.com', 79.8, { Livros: 79.8, 'Casa, Jardim': 10 }), spending('b2', 'bia "b"@x.com', 0, {})]);
    expect(csv.split('\n')).toEqual([
      '_id,customer_id,email,year,details.first_name,details.last_name,monthly_spenses.jan,monthly_spenses.dez,"categorized_monthly_expenses.dez.Casa, Jardim",categorized_monthly_expenses.dez.Livros,monthly_avg_expense',
      'a1,a1,ana@x.com,2025,Ana,Silva,0,79.8,10,79.8,6.65',
      'b2,b2,"bia ""b""@x.com",2025,Ana,Silva,0,0,,,0',
      '',
    ]);
  });

  it('follows the requested fields', () => {
    expect(formatCsv([{ email: 'e', year: 2025 }], { fields: ['year', 'email'] })).toBe('year,email\n2025,e\n');
  });

  it('writes nothing for no documents', () => {
    expect(formatCsv([])).toBe('');
  });
});

describe('json and ndjson', () => {
  const docs = [spending('a1', 'ana@x.com', 0.3, { Casa: 0.3 }), { _id: new ObjectId('65ee67e90100000100000232'), at: new Date('2025-01-01T00:00:00.000Z') }];

  it('json is one pretty array that parses back (Extended JSON) to the same values', () => {
    const text = formatJson(docs);
    expect(text.startsWith('[\n  {\n    "_id": "a1",')).toBe(true);
    expect(text.endsWith('\n]\n')).toBe(true);
    expect(EJSON.parse(text, { relaxed: true })).toEqual(docs);
    expect(JSON.parse(text)[0].monthly_spenses.dez).toBe(0.3);
  });

  it('json of nothing is []', () => {
    expect(formatJson([])).toBe('[]\n');
  });

  it('ndjson is one compact document per line', () => {
    const lines = formatNdjson(docs).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines.slice(0, 2).map((line) => EJSON.parse(line, { relaxed: true }))).toEqual(docs);
    expect(lines[1]).toBe('{"_id":{"$oid":"65ee67e90100000100000232"},"at":{"$date":"2025-01-01T00:00:00Z"}}');
  });
});

describe('table', () => {
  it('aligns columns under dotted headers, numbers to the right', () => {
    const table = formatTable(
      [
        { customer_id: 'a1', email: 'ana@example.com', monthly_avg_expense: 6.65, details: { first_name: 'Ana' } },
        { customer_id: 'b2', email: 'b@x', monthly_avg_expense: 1234.5, details: { first_name: 'Bia' } },
      ],
      { fields: ['customer_id', 'email', 'details.first_name', 'monthly_avg_expense'] },
    );
    expect(table.split('\n')).toEqual([
      'customer_id  email            details.first_name  monthly_avg_expense',
      '───────────  ───────────────  ──────────────────  ───────────────────',
      'a1           ana@example.com  Ana                                6.65',
      'b2           b@x              Bia                            1,234.50',
      '',
    ]);
  });

  it('cuts long cells with … and neutralizes control characters', () => {
    const table = formatTable([{ note: 'x'.repeat(50), evil: 'a\nb\tc\u001b[31m' }], { maxWidth: 10 });
    const [header, , row] = table.split('\n');
    expect(header).toBe('note        evil');
    expect(row).toBe('xxxxxxxxx…  a b c [31m');
  });

  it('leaves a cell blank where a row lacks the column', () => {
    const table = formatTable([{ a: 1, b: 'x' }, { a: 22 }]);
    expect(table.split('\n').slice(2)).toEqual([' 1  x', '22', '']);
  });

  it('writes nothing for no documents', () => {
    expect(formatTable([])).toBe('');
  });
});

describe('table width', () => {
  const id = '67eee9cc0100000000000001';
  const docs = [
    { customer_id: id, email: 'maria.albuquerque995@gmail.com', monthly_avg_expense: 12345.5, first: 'Maria Clara', last: 'Franco Albuquerque', year: 2025 },
    { customer_id: '67eee9cc0100000000000002', email: 'b@x.com', monthly_avg_expense: 7, first: 'Bia', last: 'Lima', year: 2025 },
  ];

  it('cuts text columns, widest first, to fit; ids and numbers stay whole', () => {
    const { text, hidden } = renderTable(docs, { width: 100 });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    expect(Math.max(...lines.map((line) => [...line].length))).toBeGreaterThan(95); // the room is used
    expect(hidden).toEqual([]);
    expect(lines[2]).toContain(id);
    expect(lines[2]).toContain('12,345.50');
    expect(lines[2]).toMatch(/maria\.al\S*…/);
    expect(lines[2]).toMatch(/ 2025$/);
  });

  it('leaves out the last columns when cutting is not enough, and names them', () => {
    const { text, hidden } = renderTable(docs, { width: 60 });
    for (const line of text.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.at(-1)).toBe('year');
    expect(text.split('\n')[0]).toMatch(/^customer_id\s+email/);
  });

  it('fits nothing without a width', () => {
    expect(renderTable(docs).text.split('\n')[2]).toContain('maria.albuquerque995@gmail.com');
  });

  it('groups whole numbers, gives amounts two decimals, leaves years alone', () => {
    const table = formatTable([
      { n: 1234567, amount: 0.5, year: 2025 },
      { n: 3, amount: 1000, year: 1999 },
    ]);
    expect(table.split('\n').slice(2, 4)).toEqual(['1,234,567      0.50  2025', '        3  1,000.00  1999']);
  });
});

describe('orderByFields', () => {
  it('puts the keys in the order asked, nested ones too, the rest after as they were', () => {
    const doc = { _id: 'x', email: 'e', monthly_spenses: { jan: 1, dez: 2 }, customer_id: 'c' };
    const ordered = orderByFields(doc, ['customer_id', 'monthly_spenses.dez', 'email', 'monthly_spenses.jan']);
    expect(JSON.stringify(ordered)).toBe('{"customer_id":"c","monthly_spenses":{"dez":2,"jan":1},"email":"e","_id":"x"}');
    expect(orderByFields(doc, [])).toBe(doc);
    expect(orderByFields({ a: 1 }, ['missing', 'a'])).toEqual({ a: 1 });
  });
});

describe('createFormatter', () => {
  const docs = [{ a: 1 }, { a: 2, b: 'x,y' }];
  const run = (format: 'json' | 'ndjson' | 'csv' | 'table'): { streamed: string[]; all: string } => {
    const formatter = createFormatter(format);
    const streamed = [formatter.start(), ...docs.map((doc) => formatter.write(doc))];
    const all = streamed.join('') + formatter.end();
    return { streamed, all };
  };

  it('streams json and ndjson document by document, with the same text as the pure functions', () => {
    expect(run('json').streamed.filter(Boolean)).toHaveLength(3);
    expect(run('json').all).toBe(formatJson(docs));
    expect(run('ndjson').streamed.filter(Boolean)).toHaveLength(2);
    expect(run('ndjson').all).toBe(formatNdjson(docs));
  });

  it('buffers csv and table (they need every row for the columns)', () => {
    expect(run('csv').streamed.join('')).toBe('');
    expect(run('csv').all).toBe('a,b\n1,\n2,"x,y"\n');
    expect(run('table').all).toBe(formatTable(docs));
  });

  it('keeps the order of the fields in json and ndjson', () => {
    const doc = { b: 2, a: 1 };
    const json = createFormatter('json', { fields: ['a', 'b'] });
    expect(json.start() + json.write(doc) + json.end()).toBe('[\n  {\n    "a": 1,\n    "b": 2\n  }\n]\n');
    expect(createFormatter('ndjson', { fields: ['a', 'b'] }).write(doc)).toBe('{"a":1,"b":2}\n');
  });

  it('knows its formats', () => {
    expect(['table', 'json', 'ndjson', 'csv'].every(isOutputFormat)).toBe(true);
    expect(isOutputFormat('xml')).toBe(false);
  });
});

describe('formatReais', () => {
  const cases: [number, string][] = [
    [0, 'R$ 0.00'],
    [0.3, 'R$ 0.30'],
    [1234567.891, 'R$ 1,234,567.89'],
    [3151680.57, 'R$ 3,151,680.57'],
    [-5.5, '-R$ 5.50'],
  ];
  for (const [amount, text] of cases) {
    it(`writes ${amount} as ${text}`, () => {
      expect(formatReais(amount)).toBe(text);
    });
  }
});
