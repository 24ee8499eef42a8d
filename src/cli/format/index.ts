/**
 * Output formats of `datadragon find`: table (terminals), json, ndjson, csv. Each has a pure
 * `format*` function (documents → text) and `createFormatter` gives the streaming form the
 * command uses: json and ndjson write each document as it arrives; table and csv need every
 * row to know the columns, so they write at the end.
 */
import { formatCsv } from './csv.js';
import type { OutputFormat } from './formats.js';
import { jsonArrayWriter } from './json.js';
import { ndjsonLine } from './ndjson.js';
import { orderByFields } from './order.js';
import { renderTable } from './table.js';

export { cellText, columnsOf, comparePaths, flattenDocument, type FlatRow, type Scalar, toScalar } from './flatten.js';
export { csvField, csvLine, formatCsv } from './csv.js';
export { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './formats.js';
export { formatJson, jsonArrayWriter } from './json.js';
export { formatReais } from './money.js';
export { formatNdjson, ndjsonLine } from './ndjson.js';
export { orderByFields } from './order.js';
export { formatTable, renderTable, type RenderedTable, type TableOptions } from './table.js';

export interface Formatter {
  /** Text to write before the first document. */
  start(): string;
  /** Text to write for one document ('' for the buffering formats). */
  write(doc: Record<string, unknown>): string;
  /** Text to write at the end. */
  end(): string;
  /** Columns left out to fit the width (tables only), known after end(). */
  hidden(): readonly string[];
}

export interface FormatterOptions {
  /** The fields asked for, in order: every format keeps that order. */
  fields?: readonly string[];
  /** Tables: the widest line (the terminal's width). */
  width?: number;
}

export function createFormatter(format: OutputFormat, options: FormatterOptions = {}): Formatter {
  const fields = options.fields ?? [];
  const ordered = (doc: Record<string, unknown>): Record<string, unknown> => orderByFields(doc, fields);
  const none = (): readonly string[] => [];
  switch (format) {
    case 'json': {
      const writer = jsonArrayWriter();
      return { start: writer.start, write: (doc) => writer.item(ordered(doc)), end: writer.end, hidden: none };
    }
    case 'ndjson':
      return { start: () => '', write: (doc) => ndjsonLine(ordered(doc)), end: () => '', hidden: none };
    case 'csv':
    case 'table': {
      const docs: Record<string, unknown>[] = [];
      let hidden: readonly string[] = [];
      return {
        start: () => '',
        write: (doc) => {
          docs.push(doc);
          return '';
        },
        end: () => {
          if (format === 'csv') return formatCsv(docs, { fields });
          const table = renderTable(docs, { fields, ...(options.width === undefined ? {} : { width: options.width }) });
          hidden = table.hidden;
          return table.text;
        },
        hidden: () => hidden,
      };
    }
  }
}
