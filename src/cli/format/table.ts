/**
 * A plain-text table for terminals: dotted column headers (nested fields flattened), a rule
 * under them, numbers right-aligned, other cells left-aligned, cells longer than `maxWidth`
 * cut with '…', control characters shown as spaces so that a value cannot break the layout.
 */
import { cellText, columnsOf, flattenDocument, type FlatRow } from './flatten.js';

export interface TableOptions {
  fields?: readonly string[];
  /** Widest cell, in characters (default 40). */
  maxWidth?: number;
}

function clip(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

const width = (text: string): number => [...text].length;

export function formatTable(docs: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  if (docs.length === 0) return '';
  const max = Math.max(2, options.maxWidth ?? 40);
  const rows: FlatRow[] = docs.map(flattenDocument);
  const columns = columnsOf(rows, options.fields);
  const cells = rows.map((row) => columns.map((column) => row.get(column)));
  const texts = cells.map((row) => row.map((value) => clip(cellText(value), max)));
  const headers = columns.map((column) => clip(column, max));
  const widths = columns.map((_, i) => Math.max(width(headers[i]!), ...texts.map((row) => width(row[i]!))));
  // A column is numeric when every non-empty cell holds a number.
  const numeric = columns.map((_, i) => cells.some((row) => typeof row[i] === 'number') && cells.every((row) => row[i] === null || row[i] === undefined || typeof row[i] === 'number'));
  const pad = (text: string, i: number): string => {
    const fill = ' '.repeat(widths[i]! - width(text));
    return numeric[i] ? fill + text : text + fill;
  };
  const line = (row: readonly string[]): string => row.map(pad).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...texts.map(line)].join('\n') + '\n';
}
