/**
 * A plain-text table for terminals: dotted column headers (nested fields flattened), a rule
 * under them, numbers right-aligned with thousands separators (two decimals in a column that
 * has fractions: amounts line up), other cells left-aligned, cells longer than `maxWidth` cut
 * with '…', control characters shown as spaces so that a value cannot break the layout.
 *
 * Given a `width` (the terminal's), the table fits it: text columns are cut first (never
 * below 12 characters; numbers and ids are never cut), then the columns that still do not fit
 * are left out, from the last one, and named in `hidden`.
 */
import { cellText, columnsOf, flattenDocument, type FlatRow, type Scalar } from './flatten.js';

export interface TableOptions {
  fields?: readonly string[];
  /** Widest cell, in characters (default 40). */
  maxWidth?: number;
  /** Widest line, in characters (default: no limit). */
  width?: number;
}

export interface RenderedTable {
  text: string;
  /** Columns left out to fit `width`, in order. */
  hidden: string[];
}

/** Narrowest a text column is cut to. */
const MIN_TEXT_WIDTH = 12;
const GAP = 2;
/** Values never cut: a part of an id is no use. */
const ID = /^[0-9a-fA-F]{24}$/;
/** Integer columns that are names rather than quantities: no thousands separator (2025, not 2,025). */
const LABEL_NUMBERS = /(^|\.)(year|_id)$/;

function clean(text: string): string {
  // Control characters (C0 and DEL) would move the cursor or ring the bell: a space each.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

const width = (text: string): number => [...text].length;

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface Column {
  name: string;
  numeric: boolean;
  /** May be cut to fit the width. */
  shrinkable: boolean;
  header: string;
  cells: string[];
  natural: number;
}

function columnOf(name: string, values: readonly (Scalar | undefined)[], max: number): Column {
  const present = values.filter((value) => value !== null && value !== undefined);
  const numeric = present.length > 0 && present.every((value) => typeof value === 'number');
  let texts: string[];
  if (numeric) {
    const fractions = present.some((value) => !Number.isInteger(value));
    const format = (n: number): string => (LABEL_NUMBERS.test(name) && Number.isInteger(n) ? String(n) : fractions ? money.format(n) : grouped.format(n));
    texts = values.map((value) => (typeof value === 'number' ? format(value) : ''));
  } else texts = values.map((value) => clip(clean(cellText(value)), max));
  const header = clip(clean(name), max);
  const shrinkable = !numeric && !present.every((value) => typeof value === 'string' && ID.test(value));
  return { name, numeric, shrinkable, header, cells: texts, natural: Math.max(width(header), ...texts.map(width)) };
}

/** The width of each column, and which columns are left out, so that a line fits `limit`. */
function fit(columns: readonly Column[], limit: number): { widths: number[]; shown: number } {
  const minimum = (column: Column): number => (column.shrinkable ? Math.min(column.natural, MIN_TEXT_WIDTH) : column.natural);
  let shown = 0;
  let used = 0;
  for (const column of columns) {
    const next = used + (shown > 0 ? GAP : 0) + minimum(column);
    if (next > limit && shown > 0) break;
    used = next;
    shown++;
  }
  const widths = columns.slice(0, shown).map((column) => column.natural);
  let total = widths.reduce((sum, w) => sum + w, 0) + GAP * (shown - 1);
  // Cut the widest text column by one, until the line fits (they end up level).
  while (total > limit) {
    let widest = -1;
    for (let i = 0; i < shown; i++) if (columns[i]!.shrinkable && widths[i]! > MIN_TEXT_WIDTH && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest]!--;
    total--;
  }
  return { widths, shown };
}

export function renderTable(docs: readonly Record<string, unknown>[], options: TableOptions = {}): RenderedTable {
  if (docs.length === 0) return { text: '', hidden: [] };
  const max = Math.max(2, options.maxWidth ?? 40);
  const rows: FlatRow[] = docs.map(flattenDocument);
  const columns = columnsOf(rows, options.fields).map((name) =>
    columnOf(
      name,
      rows.map((row) => row.get(name)),
      max,
    ),
  );
  const { widths, shown } =
    options.width === undefined ? { widths: columns.map((column) => column.natural), shown: columns.length } : fit(columns, options.width);
  const visible = columns.slice(0, shown);
  const pad = (text: string, i: number): string => {
    const cut = clip(text, widths[i]!);
    const fill = ' '.repeat(widths[i]! - width(cut));
    return visible[i]!.numeric ? fill + cut : cut + fill;
  };
  const line = (cells: readonly string[]): string => cells.map(pad).join(' '.repeat(GAP)).trimEnd();
  const lines = [line(visible.map((column) => column.header)), widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP))];
  for (let r = 0; r < rows.length; r++) lines.push(line(visible.map((column) => column.cells[r]!)));
  return { text: `${lines.join('\n')}\n`, hidden: columns.slice(shown).map((column) => column.name) };
}

export function formatTable(docs: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  return renderTable(docs, options).text;
}
