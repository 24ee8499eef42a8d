/** Seeding and reset: the steps the seed and reset jobs (src/jobs) run, and what they need. */
export {
  buildSeedIndexes,
  catalogueOf,
  countDataset,
  generateActivity,
  insertProducts,
  SEED_INDEX_COUNT,
  SEED_PHASES,
  SPLIT_STEP_COUNT,
  type ActivityOptions,
  type SeedCounts,
  type SeedPhase,
  type SeedSummary,
  type SeedTargets,
  type WrittenCounts,
} from './seed.js';
export { runSplit } from './split.js';
export { datadragonCollections, emptyCopy, type ResetResult } from './reset.js';
export { parseSeedOptions, planSeed, SeedOptionsSchema, SEED_DEFAULTS, SEED_LIMITS, type SeedOptionsInput, type SeedPlan } from './options.js';
export { backendHoldsData, checkMemory, checkWorkers, ENGINE_BYTES_PER_USER, WORKER_BYTES, workersThatFit, type MemoryCheck } from './memory.js';
export { WorkerFailedError } from './worker-pool.js';
