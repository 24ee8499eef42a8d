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
export { runSplit, splitRuns, type SplitWrite } from './split.js';
export { dataOptions, missingParts, parsePart, partChunks, partCollection, partName, seedFingerprint, type ChunkRange, type Part } from './parts.js';
export {
  checkPartCollections,
  chooseParts,
  describeDataOptions,
  forgetPart,
  PARTS_COLLECTION,
  readPartRecords,
  recordPart,
  type PartRecord,
} from './part-records.js';
export { createSharded, isMongos, SHARD_KEYS, shardableIndexes, ShardingRefusedError, writeModeOf, type WriteMode } from './sharding.js';
export { chunkCount, type Catalogue } from './generate/index.js';
export { datadragonCollections, emptyCopy, partCollections, type ResetResult } from './reset.js';
export {
  parseSeedOptions,
  planRun,
  planSeed,
  SeedOptionsSchema,
  SEED_DEFAULTS,
  SEED_LIMITS,
  type SeedOptionsInput,
  type SeedPlan,
  type SeedRunFlags,
} from './options.js';
export { backendHoldsData, checkMemory, checkWorkers, ENGINE_BYTES_PER_USER, WORKER_BYTES, workersThatFit, type MemoryCheck } from './memory.js';
export { WorkerFailedError } from './worker-pool.js';
