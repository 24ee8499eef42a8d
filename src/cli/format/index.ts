/**
 * Output formats of `datadragon find`: table (terminals), json, ndjson, csv. Each has a pure
 * `format*` function (documents → text) and `createFormatter` gives the streaming form the
 * command uses: json and ndjson write each document as it arrives; table and csv need every
 * row to know the columns, so they write at the end.
 */
import { formatCsv } from './csv.js';
import { jsonArrayWriter } from './json.js';
import { ndjsonLine } from './ndjson.js';
import { formatTable } from './table.js';

export { cellText, columnsOf, flattenDocument, type FlatRow, type Scalar, toScalar } from './flatten.js';
export { csvField, csvLine, formatCsv } from './csv.js';
export { formatJson, jsonArrayWriter } from './json.js';
export { formatReais } from './money.js';
export { formatNdjson, ndjsonLine } from './ndjson.js';
export { formatTable, type TableOptions } from './table.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

export interface Formatter {
  /** Text to write before the first document. */
  start(): string;
  /** Text to write for one document ('' for the buffering formats). */
  write(doc: Record<string, unknown>): string;
  /** Text to write at the end. */
  end(): string;
}

export function createFormatter(format: OutputFormat, options: { fields?: readonly string[] } = {}): Formatter {
  switch (format) {
    case 'json': {
      const writer = jsonArrayWriter();
      return { start: writer.start, write: writer.item, end: writer.end };
    }
    case 'ndjson':
      return { start: () => '', write: ndjsonLine, end: () => '' };
    case 'csv':
    case 'table': {
      const docs: Record<string, unknown>[] = [];
      return {
        start: () => '',
        write: (doc) => {
          docs.push(doc);
          return '';
        },
        end: () => (format === 'csv' ? formatCsv(docs, options) : formatTable(docs, options)),
      };
    }
  }
}
