/**
 * Flattening documents into rows of scalars for the tabular formats (table, CSV): nested
 * objects become dotted column names (`details.first_name`, `monthly_spenses.jan`), array
 * elements indexed ones (`tags.0`). Empty objects and arrays give no column.
 */

/** A cell: what a flattened leaf holds. */
export type Scalar = string | number | boolean | null;

export type FlatRow = Map<string, Scalar>;

function bsonType(value: object): string | undefined {
  const type = (value as { _bsontype?: unknown })._bsontype;
  return typeof type === 'string' ? type : undefined;
}

/** A leaf value as a cell: Dates as ISO 8601, ObjectIds as hex, other BSON values as text. */
export function toScalar(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'object') {
    const type = bsonType(value);
    if (type === 'ObjectId' && 'toHexString' in value) return (value as { toHexString(): string }).toHexString();
    if (type === 'Decimal128' || type === 'Long' || type === 'Int32' || type === 'Double') return String(value);
    if (type === 'Binary' && 'toString' in value) return (value as { toString(encoding: string): string }).toString('base64');
    if (type !== undefined) return String(value);
  }
  return String(value);
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null || value instanceof Date || value instanceof RegExp) return false;
  return bsonType(value) === undefined;
}

/** The leaves of `doc` under dotted names, in document order. */
export function flattenDocument(doc: Record<string, unknown>): FlatRow {
  const row: FlatRow = new Map();
  const walk = (value: unknown, prefix: string): void => {
    if (isContainer(value)) {
      const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
      for (const [key, item] of entries) walk(item, prefix === '' ? key : `${prefix}.${key}`);
      return;
    }
    row.set(prefix, toScalar(value));
  };
  for (const [key, value] of Object.entries(doc)) walk(value, key);
  return row;
}

const MONTHS = ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'];
const names = new Intl.Collator('en');

/** One segment of a dotted name against another: months in calendar order, array indexes by number, names alphabetically. */
function compareSegments(a: string, b: string): number {
  const [ma, mb] = [MONTHS.indexOf(a), MONTHS.indexOf(b)];
  if (ma >= 0 && mb >= 0) return ma - mb;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return names.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The order of the sub-columns of one field (`monthly_spenses.jan` … `.dez`,
 * `categorized_monthly_expenses.jan.Livros` …): segment by segment, see compareSegments.
 * It depends on the names only, never on which document came first.
 */
export function comparePaths(a: string, b: string): number {
  const [sa, sb] = [a.split('.'), b.split('.')];
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const order = compareSegments(sa[i]!, sb[i]!);
    if (order !== 0) return order;
  }
  return sa.length - sb.length;
}

/**
 * The columns of a set of rows. The fields asked for (in that order; default: the rows'
 * top-level fields, in first-seen order) each expand to their sub-columns in `comparePaths`
 * order; a field no row has still gets a (blank) column, so that the header says what was
 * asked; columns under no field asked for come last, in the same order.
 */
export function columnsOf(rows: readonly FlatRow[], fields: readonly string[] = []): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of row.keys()) seen.add(key);
  const all = [...seen];
  const topLevel = [...new Set(all.map((column) => column.split('.')[0]!))];
  const columns: string[] = [];
  const taken = new Set<string>();
  const take = (field: string, asked: boolean): void => {
    const under = all.filter((column) => !taken.has(column) && (column === field || column.startsWith(`${field}.`))).sort(comparePaths);
    if (under.length === 0 && asked && !taken.has(field)) under.push(field);
    for (const column of under) {
      taken.add(column);
      columns.push(column);
    }
  };
  for (const field of fields) take(field, true);
  for (const field of topLevel) take(field, false);
  return columns;
}

/** A cell as text: '' for null/missing, numbers as JavaScript writes them (0.3, 1500). */
export function cellText(value: Scalar | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}
