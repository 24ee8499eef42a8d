/**
 * `npm run bench [-- suite...]`: runs the benchmark suites, prints a table and writes JSON
 * under bench/results/. Figures are ratios measured in the same run where possible: this
 * machine is shared and noisy, absolute numbers vary from run to run.
 */
import { crunchBench } from './crunch.bench.js';
import { engineBench } from './engine.bench.js';
import { httpBench } from './http.bench.js';
import { responsivenessBench } from './responsiveness.bench.js';
import { scaleBench } from './scale.bench.js';
import { seedBench } from './seed.bench.js';
import { storageBench } from './storage.bench.js';
import { printTable, writeResults, type Figure } from './report.js';

const SUITES: Record<string, () => Promise<Figure[]>> = {
  engine: () => engineBench({ docs: Number(process.env.BENCH_DOCS ?? 200_000), lookupDocs: Number(process.env.BENCH_LOOKUP_DOCS ?? 1_000_000) }),
  seed: () => seedBench({ users: Number(process.env.BENCH_SEED_USERS ?? 500_000) }),
  crunch: () => crunchBench({ users: Number(process.env.BENCH_CRUNCH_USERS ?? 500_000) }),
  storage: () => storageBench({ sizes: (process.env.BENCH_STORAGE_DOCS ?? '100000,1000000').split(',').map(Number) }),
  scale: () =>
    scaleBench({
      users: (process.env.BENCH_SCALE_USERS ?? '500000').split(',').map(Number),
      cacheSize: process.env.BENCH_CACHE_SIZE || undefined,
      memoryLimit: process.env.BENCH_MEMORY_LIMIT || undefined,
    }),
  responsiveness: () => responsivenessBench({ docs: Number(process.env.BENCH_RESPONSIVE_DOCS ?? 1000) }),
  http: () => httpBench({ users: Number(process.env.BENCH_HTTP_USERS ?? 100_000), seconds: Number(process.env.BENCH_HTTP_SECONDS ?? 10), connections: 10 }),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((name) => !(name in SUITES));
if (unknown.length) {
  console.error(`unknown bench suite(s): ${unknown.join(', ')}; available: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
const figures: Figure[] = [];
for (const name of wanted.length ? wanted : Object.keys(SUITES)) {
  console.error(`bench: running ${name}...`);
  figures.push(...(await SUITES[name]!()));
}
printTable(figures);
console.log(`\nwritten: ${writeResults(figures)}`);
