/**
 * The settings of `datadragon crunch` (flags only). Their values are checked by the crunch
 * job's parser (jobs/kinds/crunch.ts), the one the GraphQL mutation uses too.
 */
import { z } from 'zod';
import { defineSettings, resolveSettings } from '../../config.js';

export const CRUNCH_SETTINGS = defineSettings({
  year: { schema: z.string().nullable().default(null), flag: '--year' },
  since: { schema: z.string().nullable().default(null), flag: '--since' },
});

export function resolveCrunchInput(flags: Record<string, unknown>): { year: string | null; since: string | null } {
  return resolveSettings(CRUNCH_SETTINGS, { flags, env: {}, file: {} });
}
