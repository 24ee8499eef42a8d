/**
 * Storage at scale (issue 11's targets), durable, through the CLI as a user runs it: for each
 * size in BENCH_SCALE_USERS (default 500,000 users ≈ 1M orders), with the document cache
 * BENCH_CACHE_SIZE (default: the engine's own default; e.g. 512MB, or 256MB with 1,000,000
 * users for a dataset bigger than the cache):
 * - `seed` end to end, its phases and the process's peak resident memory;
 * - `crunch` end to end and its peak resident memory;
 * - the engine's start on that data directory (`datadragon db`, process start to accepting
 *   connections, and `EmbeddedEngine.start` in this process): flat in the data size;
 * - the yardstick: `recomputeSpending` (plain TypeScript) over the same documents, read from
 *   the data directory into this process's heap (not counted in its time), and the crunch's
 *   answer checked against it.
 * The engine runs as `datadragon db` on the data directory, the CLI's seed and crunch talk to it
 * (MONGODB_URI): its peak resident memory (VmHWM) is the engine's alone, started over between the
 * seed and the crunch. With BENCH_MEMORY_LIMIT (e.g. 1536MiB) it runs inside a memory cgroup of
 * that size (memory-cgroup.ts; where this process may create one), which the seed and the crunch
 * must complete in: the kernel reclaims the data file's pages there, and kills the engine only
 * if its own memory does not fit.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document } from 'bson';
import { EmbeddedEngine } from '../src/db/embedded/engine.js';
import { parseCacheSize } from '../src/db/embedded/storage/cache-size.js';
import { recomputeSpending } from '../src/spending/recompute.js';
import { startEngineProcess } from './engine-process.js';
import { createMemoryCgroup, type MemoryCgroup } from './memory-cgroup.js';
import type { Figure } from './report.js';
import { runSeed, type SeedRun } from './seed.bench.js';

const SUITE = 'scale';
const CLI = fileURLToPath(new URL('../../bin/datadragon.js', import.meta.url));
const YEAR = 2025;

interface CrunchRun {
  seconds: number;
  orders: number;
  customers: number;
  totalCents: number;
  peakRssMiB: number | undefined;
}

function runCrunch(env: NodeJS.ProcessEnv): Promise<CrunchRun> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', 'peak-rss-kib %M', process.execPath, CLI, 'crunch', '--year', String(YEAR)],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`crunch failed: ${error.message}\n${stderr.slice(-2000)}`));
        const summary = /: ([\d,]+) customers \([\d,]+ with orders\), ([\d,]+) orders/.exec(stdout);
        const time = /time: ([\d.]+) s/.exec(stdout);
        const spend = /total spend: R\$\s?([\d.,]+)/.exec(stdout);
        const rss = /peak-rss-kib (\d+)/.exec(stderr);
        if (!summary || !time) return reject(new Error(`unexpected crunch output:\n${stdout}`));
        const num = (s: string): number => Number(s.replace(/,/g, ''));
        resolve({
          seconds: Number(time[1]),
          customers: num(summary[1]!),
          orders: num(summary[2]!),
          // R$ 1.234.567,89 (pt-BR) or R$ 1,234,567.89: the cents are the digits.
          totalCents: spend ? Number(spend[1]!.replace(/[.,]/g, '')) : NaN,
          peakRssMiB: rss ? Number(rss[1]) / 1024 : undefined,
        });
      },
    );
  });
}

/** The yardstick over the data directory's documents; seconds of the computation alone. */
async function yardstick(dataDir: string, cacheSize: number | undefined): Promise<{ seconds: number; documents: number; cents: number }> {
  const engine = await new EmbeddedEngine({ dataDir, ...(cacheSize ? { cacheSize } : {}) }).start();
  try {
    const db = engine.catalog.databaseNames().find((name) => engine.catalog.get(name, 'orders'));
    if (!db) throw new Error(`no orders collection in ${dataDir}`);
    const documents = (name: string): Document[] => [...(engine.catalog.get(db, name)?.docs.values() ?? [])];
    const input = { users: documents('users'), products: documents('products'), carts: documents('carts'), orders: documents('orders'), year: YEAR };
    const started = performance.now();
    const reference = recomputeSpending(input);
    const seconds = (performance.now() - started) / 1000;
    let cents = 0;
    for (const doc of reference) for (const amount of Object.values(doc.monthly_spenses)) cents += Math.round(amount * 100);
    return { seconds, documents: reference.length, cents };
  } finally {
    await engine.stop();
  }
}

export async function scaleBench(options: { users: number[]; cacheSize: string | undefined; memoryLimit: string | undefined }): Promise<Figure[]> {
  const figures: Figure[] = [];
  const cacheBytes = options.cacheSize ? parseCacheSize(options.cacheSize) : undefined;
  const limitBytes = options.memoryLimit ? parseCacheSize(options.memoryLimit) : undefined;
  const cacheLabel =
    (options.cacheSize ? `cache ${options.cacheSize}` : 'default cache') + (options.memoryLimit ? `, in ${options.memoryLimit} of memory` : '');
  for (const users of options.users) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-scale-bench-'));
    const at = `${users.toLocaleString('en-US')} users, ${cacheLabel}`;
    const cacheArgs = options.cacheSize ? ['--cache-size', options.cacheSize] : [];
    try {
      // The engine in a process of its own (`datadragon db`), so that its memory is its own.
      let cgroup: MemoryCgroup | undefined;
      if (limitBytes !== undefined) {
        cgroup = createMemoryCgroup(`datadragon-bench-${process.pid}`, limitBytes);
        if (!cgroup) throw new Error(`BENCH_MEMORY_LIMIT: this process cannot create a memory cgroup here (it needs root and a writable /sys/fs/cgroup)`);
      }
      const engine = await startEngineProcess(['--data-dir', dataDir, ...cacheArgs], cgroup ? { cgroup } : {});
      const env: NodeJS.ProcessEnv = { MONGODB_URI: `${engine.uri.replace(/\/$/, '')}/datadragon`, DATADRAGON_DATA_DIR: '' };
      let seed: SeedRun;
      let crunch: CrunchRun;
      const engineRssMiB: { seed?: number; crunch?: number } = {};
      const engineAnonMiB: { seed?: number; crunch?: number } = {};
      const killedForMemory = (error: unknown): never => {
        if (cgroup && cgroup.oomKills() > 0)
          throw new Error(`the engine was killed by the kernel for want of memory within ${options.memoryLimit}: ${String(error)}`);
        throw new Error(`${String(error)}\nthe engine printed, last:\n${engine.output().slice(-2000)}`);
      };
      try {
        console.error(`bench scale: seed of ${at}...`);
        seed = await runSeed(users, env).catch(killedForMemory);
        engineRssMiB.seed = engine.peakRssKiB() / 1024;
        engineAnonMiB.seed = engine.peakAnonKiB() / 1024;
        const separate = engine.resetPeak();
        console.error(`bench scale: crunch of ${at}...`);
        crunch = await runCrunch(env).catch(killedForMemory);
        if (separate) engineRssMiB.crunch = engine.peakRssKiB() / 1024;
        engineAnonMiB.crunch = engine.peakAnonKiB() / 1024;
      } finally {
        await engine.stop();
      }
      const cgroupPeak = cgroup?.peakBytes();
      cgroup?.remove();
      if (cgroup)
        figures.push({
          suite: SUITE,
          name: `${at}: seed and crunch with the engine in a memory cgroup of ${options.memoryLimit}: its peak charge (own memory and page cache)`,
          value: Math.round((cgroupPeak ?? NaN) / 2 ** 20),
          unit: 'MiB',
          target: `completes within ${options.memoryLimit}`,
          pass: cgroup.oomKills() === 0,
        });
      const million = seed.orders >= 1_000_000;
      const memoryTarget = (peak: number, orders: number): Partial<Figure> =>
        cacheBytes !== undefined && cacheBytes <= 512 * 2 ** 20 && orders >= 1_000_000 ? { target: '< 1536 MiB', pass: peak < 1536 } : {};
      figures.push({
        suite: SUITE,
        name: `${at}: seed (${seed.orders.toLocaleString('en-US')} orders), durable: total`,
        value: seed.seconds.total!,
        unit: 's',
        target: '≤ 15 s for 1M orders',
        pass: million ? seed.seconds.total! <= 15 : undefined,
      });
      figures.push({
        suite: SUITE,
        name: `${at}:   phases products / activity / split / indexes`,
        value: seed.seconds.activity!,
        unit: `s activity (${['products', 'activity', 'split', 'indexes'].map((p) => seed.seconds[p]!.toFixed(1)).join(' / ')})`,
      });
      figures.push({ suite: SUITE, name: `${at}:   seed rate`, value: Math.round(seed.ordersPerSecond), unit: 'orders/s' });
      figures.push({
        suite: SUITE,
        name: `${at}:   seed, peak resident memory of the engine process`,
        value: Math.round(engineRssMiB.seed),
        unit: 'MiB',
        ...memoryTarget(engineRssMiB.seed, seed.orders),
      });
      figures.push({
        suite: SUITE,
        name: `${at}:   seed, the engine's peak anonymous memory (heap, LMDB's dirty pages; no mapped file pages)`,
        value: Math.round(engineAnonMiB.seed),
        unit: 'MiB',
      });
      if (seed.peakRssMiB !== undefined)
        figures.push({
          suite: SUITE,
          name: `${at}:   seed, peak resident memory of the seeding CLI (generation, driver)`,
          value: Math.round(seed.peakRssMiB),
          unit: 'MiB',
        });
      figures.push({
        suite: SUITE,
        name: `${at}: crunch (${crunch.customers.toLocaleString('en-US')} customers, ${crunch.orders.toLocaleString('en-US')} orders of ${YEAR})`,
        value: crunch.seconds,
        unit: 's',
        target: '≤ 10 s for 1M orders',
        pass: crunch.orders >= 1_000_000 ? crunch.seconds <= 10 : undefined,
      });
      if (engineRssMiB.crunch !== undefined)
        figures.push({
          suite: SUITE,
          name: `${at}:   crunch, peak resident memory of the engine process`,
          value: Math.round(engineRssMiB.crunch),
          unit: 'MiB',
          ...memoryTarget(engineRssMiB.crunch, crunch.orders),
        });
      figures.push({
        suite: SUITE,
        name: `${at}:   crunch, the engine's peak anonymous memory`,
        value: Math.round(engineAnonMiB.crunch),
        unit: 'MiB',
      });
      const bytes = fs.statSync(path.join(dataDir, 'storage', 'data.mdb')).blocks * 512;
      figures.push({ suite: SUITE, name: `${at}: on disk`, value: Math.round(bytes / 2 ** 20), unit: 'MiB' });
      const proc = await startEngineProcess(['--data-dir', dataDir, ...cacheArgs]);
      await proc.stop();
      figures.push({
        suite: SUITE,
        name: `${at}: datadragon db, process start to accepting connections`,
        value: Math.round(proc.startMs),
        unit: 'ms',
        target: '≤ 1000 ms',
        pass: proc.startMs <= 1000,
      });
      const opened = performance.now();
      await (await new EmbeddedEngine({ dataDir, ...(cacheBytes ? { cacheSize: cacheBytes } : {}) }).start()).stop();
      figures.push({ suite: SUITE, name: `${at}: EmbeddedEngine.start + stop`, value: performance.now() - opened, unit: 'ms' });
      if (process.env.BENCH_SCALE_YARDSTICK !== '0') {
        console.error(`bench scale: the yardstick over ${at}...`);
        const reference = await yardstick(dataDir, cacheBytes);
        if (reference.documents !== crunch.customers)
          throw new Error(`the yardstick disagrees with the crunch: ${reference.documents} documents against ${crunch.customers}`);
        figures.push({ suite: SUITE, name: `${at}: yardstick, plain TypeScript over the same documents in memory`, value: reference.seconds, unit: 's' });
        figures.push({
          suite: SUITE,
          name: `${at}: crunch / yardstick`,
          value: crunch.seconds / reference.seconds,
          unit: 'x',
          target: '≤ 1',
          pass: crunch.seconds <= reference.seconds,
        });
        if (Number.isFinite(crunch.totalCents) && crunch.totalCents !== reference.cents)
          throw new Error(`the yardstick's total spend (${reference.cents} cents) differs from the crunch's (${crunch.totalCents})`);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return figures;
}
