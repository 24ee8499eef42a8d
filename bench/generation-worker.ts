/**
 * Forked by seed.bench.ts: the pure in-memory generation rate on one core, sent back over IPC.
 * With `encode`, each document is also BSON-encoded as the driver does before an insert:
 * the least work any client of a MongoDB server has to do per document.
 */
import { serialize } from 'bson';
import { measureGenerationRate } from '../src/seeding/generate/index.js';

const users = Number(process.argv[2] ?? 200_000);
const offset = Number(process.argv[3] ?? 0);
const encode = process.argv[4] === 'encode';
const rate = measureGenerationRate({
  users,
  seed: 1 + offset,
  onChunk: encode ? (docs) => docs.forEach((doc) => serialize(doc)) : undefined,
});
process.send?.(rate);
