/**
 * Fault-suite results: the bench's figures (`bench/report.ts`: printed as a table) written as
 * JSON under faults/results/, and the failures that make `npm run faults` exit 1.
 */
import { fileURLToPath } from 'node:url';
import { writeResultsFile, type Figure } from '../bench/report.js';

export type { Figure } from '../bench/report.js';
export { percentile, printTable } from '../bench/report.js';

export const FAULT_RESULTS_DIR = fileURLToPath(new URL('../../faults/results/', import.meta.url));

/** What a fault scenario reports: its figures, and what went wrong (empty when it held). */
export interface FaultReport {
  figures: Figure[];
  failures: string[];
}

export function writeFaultResults(report: FaultReport, extra: Record<string, unknown> = {}): string {
  return writeResultsFile(FAULT_RESULTS_DIR, 'faults', { ...extra, figures: report.figures, failures: report.failures });
}
