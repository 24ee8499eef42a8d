/**
 * Fault-suite results: the bench's figures (`bench/report.ts`: printed as a table) written as
 * JSON under faults/results/, and the failures that make `npm run faults` exit 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from '../bench/report.js';

export type { Figure } from '../bench/report.js';
export { percentile, printTable } from '../bench/report.js';

export const FAULT_RESULTS_DIR = fileURLToPath(new URL('../../faults/results/', import.meta.url));

/** What a fault scenario reports: its figures, and what went wrong (empty when it held). */
export interface FaultReport {
  figures: Figure[];
  failures: string[];
}

export function writeFaultResults(report: FaultReport, extra: Record<string, unknown> = {}): string {
  fs.mkdirSync(FAULT_RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const body = {
    date: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    ...extra,
    figures: report.figures,
    failures: report.failures,
  };
  const file = path.join(FAULT_RESULTS_DIR, `faults-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify(body, null, 2));
  fs.writeFileSync(path.join(FAULT_RESULTS_DIR, 'latest.json'), JSON.stringify(body, null, 2));
  return file;
}
