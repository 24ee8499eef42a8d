/** The names of the output formats (a module of its own: `find --help` needs them, not the formatters). */
export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** Documents a table shows when `find` is given no --limit (the other formats print all). */
export const TABLE_DEFAULT_LIMIT = 20;
