/** The settings of `datadragon find` (flags only: a query is typed each time, not configured). */
import { z } from 'zod';
import { defineSettings, resolveSettings } from '../../config.js';
import { OUTPUT_FORMATS, TABLE_DEFAULT_LIMIT, type OutputFormat } from '../format/formats.js';

const wholeNumber = () =>
  z
    .string()
    .refine((text) => /^\s*\d+\s*$/.test(text) && Number.isSafeInteger(Number(text)), {
      error: (issue) => `expected a whole number (0 or more), got '${String(issue.input)}'`,
    })
    .transform(Number);

const format = z
  .string()
  .transform((text) => text.trim().toLowerCase())
  .pipe(z.enum(OUTPUT_FORMATS, { error: (issue) => `expected one of ${OUTPUT_FORMATS.join(', ')}, got '${String(issue.input)}'` }));

export const FIND_SETTINGS = defineSettings({
  format: { schema: format.optional(), flag: '--format' },
  limit: { schema: wholeNumber().optional(), flag: '--limit' },
  skip: { schema: wholeNumber().default(0), flag: '--skip' },
  sort: { schema: z.string().default(''), flag: '--sort' },
  fields: { schema: z.string().optional(), flag: '--fields' },
});

export interface FindConfig {
  format: OutputFormat;
  /** 0: all. */
  limit: number;
  skip: number;
  /** As typed (parsed by the spending query service). */
  sort: string;
  fields: string | undefined;
}

/** The flags of `find`; the format's default depends on where the output goes, the limit's on the format. */
export function resolveFindConfig(flags: Record<string, unknown>, toTerminal: boolean): FindConfig {
  const values = resolveSettings(FIND_SETTINGS, { flags, env: {}, file: {} });
  const chosen: OutputFormat = values.format ?? (toTerminal ? 'table' : 'json');
  return { ...values, format: chosen, limit: values.limit ?? (chosen === 'table' ? TABLE_DEFAULT_LIMIT : 0) };
}
