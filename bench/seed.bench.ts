/**
 * Seeding figures: a large seed end to end through the CLI (orders/s, seconds per
 * phase, peak memory), against the pure generation rate on the same cores in the same run, and
 * that rate with the BSON encoding every client must do (the ceiling of the ratio).
 */
import { execFile, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenerationRate } from '../src/seeding/generate/index.js';
import type { Figure } from './report.js';

const CLI = fileURLToPath(new URL('../../bin/datadragon.js', import.meta.url));
const GENERATOR = fileURLToPath(new URL('./generation-worker.js', import.meta.url));

/** Orders/s of pure generation (optionally with BSON encoding) with one process per core, all at once. */
async function generationLimit(workers: number, usersEach: number, encode = false): Promise<number> {
  const rates = await Promise.all(
    Array.from(
      { length: workers },
      (_, i) =>
        new Promise<GenerationRate>((resolve, reject) => {
          const child = fork(GENERATOR, [String(usersEach), String(i), encode ? 'encode' : 'plain'], { stdio: 'inherit' });
          child.once('message', (rate) => resolve(rate as GenerationRate));
          child.once('error', reject);
        }),
    ),
  );
  return rates.reduce((sum, r) => sum + r.ordersPerSecond, 0);
}

export interface SeedRun {
  orders: number;
  /** From starting the CLI to its exit, the journal flushed to disk (durable runs). */
  processSeconds: number;
  seconds: Record<string, number>;
  ordersPerSecond: number;
  peakRssMiB: number | undefined;
}

export function runSeed(users: number, env: NodeJS.ProcessEnv): Promise<SeedRun> {
  const timer = fs.existsSync('/usr/bin/time')
    ? (['/usr/bin/time', ['-f', 'peak-rss-kib %M', process.execPath, CLI]] as const)
    : ([process.execPath, [CLI]] as const);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      timer[0],
      [...timer[1], 'seed', '--users', String(users), '--seed', '1'],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`seed failed: ${error.message}\n${stderr.slice(-2000)}`));
        const counts = /([\d,]+) orders\n/.exec(stdout);
        const time = /time: ([\d.]+) s \(products ([\d.]+) s, activity ([\d.]+) s, split ([\d.]+) s, indexes ([\d.]+) s\), ([\d,]+) orders\/s/.exec(stdout);
        const rss = /peak-rss-kib (\d+)/.exec(stderr);
        if (!counts || !time) return reject(new Error(`unexpected seed output:\n${stdout}`));
        const num = (s: string): number => Number(s.replace(/,/g, ''));
        resolve({
          orders: num(counts[1]!),
          processSeconds: (performance.now() - started) / 1000,
          seconds: { total: Number(time[1]), products: Number(time[2]), activity: Number(time[3]), split: Number(time[4]), indexes: Number(time[5]) },
          ordersPerSecond: num(time[6]!),
          peakRssMiB: rss ? Number(rss[1]) / 1024 : undefined,
        });
      },
    );
  });
}

export async function seedBench(options: { users: number }): Promise<Figure[]> {
  const workers = os.availableParallelism();
  const figures: Figure[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-seed-bench-'));
  try {
    const run = await runSeed(options.users, { MONGODB_URI: '', DATADRAGON_DATA_DIR: dataDir });
    const limit = await generationLimit(workers, 200_000);
    const encodedLimit = await generationLimit(workers, 200_000, true);
    const label = `seed --users ${options.users.toLocaleString('en-US')} (${run.orders.toLocaleString('en-US')} orders), embedded engine, durable`;
    figures.push({
      suite: 'seed',
      name: `${label}: total`,
      value: run.seconds.total!,
      unit: 's',
      target: '≤ 15 s for 1M orders',
      pass: run.orders >= 1_000_000 ? run.seconds.total! <= 15 : undefined,
    });
    for (const phase of ['products', 'activity', 'split', 'indexes'])
      figures.push({ suite: 'seed', name: `  phase ${phase}`, value: run.seconds[phase]!, unit: 's' });
    // The engine journals in the background, as mongod does; the CLI exits once all is on disk.
    figures.push({
      suite: 'seed',
      name: '  the CLI process, start to exit (engine start, journal flushed)',
      value: Math.round(run.processSeconds * 10) / 10,
      unit: 's',
    });
    figures.push({ suite: 'seed', name: 'end-to-end rate', value: Math.round(run.ordersPerSecond), unit: 'orders/s' });
    figures.push({ suite: 'seed', name: `pure generation, ${workers} processes (the limit)`, value: Math.round(limit), unit: 'orders/s' });
    figures.push({
      suite: 'seed',
      name: 'end-to-end / generation limit',
      value: run.ordersPerSecond / limit,
      unit: 'ratio',
      target: '≥ 0.5',
      pass: run.ordersPerSecond / limit >= 0.5,
    });
    // Any seeder must at least BSON-encode what it generates: even with a server that cost
    // nothing, the end-to-end rate could not beat this one, so the ratio cannot beat this ceiling.
    figures.push({
      suite: 'seed',
      name: `generation + BSON encoding (driver's bson), ${workers} processes`,
      value: Math.round(encodedLimit),
      unit: 'orders/s',
    });
    figures.push({ suite: 'seed', name: 'ceiling of the ratio with a server costing nothing', value: encodedLimit / limit, unit: 'ratio' });
    if (run.peakRssMiB !== undefined)
      figures.push({
        suite: 'seed',
        name: 'peak memory of the seed process (engine included)',
        value: Math.round(run.peakRssMiB),
        unit: 'MiB',
        target: '≤ 4096 MiB',
        pass: run.peakRssMiB <= 4096,
      });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
