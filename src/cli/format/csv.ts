/**
 * CSV (RFC 4180 quoting): a header of dotted column names, then one line per document. A
 * field is quoted when it holds a comma, a double quote, a line break or leading/trailing
 * spaces; quotes inside are doubled. Lines end with '\n'. Missing values are empty fields.
 */
import { cellText, columnsOf, flattenDocument, type FlatRow } from './flatten.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

export function formatCsv(docs: readonly Record<string, unknown>[], options: { fields?: readonly string[] } = {}): string {
  if (docs.length === 0) return '';
  const rows: FlatRow[] = docs.map(flattenDocument);
  const columns = columnsOf(rows, options.fields);
  return csvLine(columns) + rows.map((row) => csvLine(columns.map((column) => cellText(row.get(column))))).join('');
}
