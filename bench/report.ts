/** Benchmark results: a printed table and a JSON file under bench/results/. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Figure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** What it is compared with, e.g. "≥ 0.5" or "≤ 1 ms". */
  target?: string;
  /** Whether the target is met (undefined when there is no target). */
  pass?: boolean;
}

export const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

export function formatValue(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) >= 1000) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

export function printTable(figures: readonly Figure[]): void {
  const rows = figures.map((f) => [f.suite, f.name, formatValue(f.value), f.unit, f.target ?? '', f.pass === undefined ? '' : f.pass ? 'ok' : 'MISSED']);
  const header = ['suite', 'figure', 'value', 'unit', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/**
 * Writes `body` (after the date and the machine) as JSON to `dir`/`prefix`-<date>.json and to
 * `dir`/latest.json; returns the dated file's path. The bench's and the fault suite's results.
 */
export function writeResultsFile(dir: string, prefix: string, body: Record<string, unknown>): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const text = JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      ...body,
    },
    null,
    2,
  );
  const file = path.join(dir, `${prefix}-${stamp}.json`);
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, 'latest.json'), text);
  return file;
}

export function writeResults(figures: readonly Figure[], extra: Record<string, unknown> = {}): string {
  return writeResultsFile(RESULTS_DIR, 'bench', { ...extra, figures });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at]!;
}
