/** Forked by seed.bench.ts: the pure in-memory generation rate on one core, sent back over IPC. */
import { measureGenerationRate } from '../src/seeding/generate/index.js';

const users = Number(process.argv[2] ?? 200_000);
const offset = Number(process.argv[3] ?? 0);
const rate = measureGenerationRate({ users, seed: 1 + offset });
process.send?.(rate);
