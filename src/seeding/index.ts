/** Seeding and reset: the services the CLI and the GraphQL resolvers call. */
export { seedDatabase, SEED_PHASES, type SeedCounts, type SeedPhase, type SeedProgress, type SeedRunOptions, type SeedSummary } from './seed.js';
export { resetDatabase, type ResetResult } from './reset.js';
export { checkMemory, parseSeedOptions, planSeed, SeedOptionsSchema, SEED_DEFAULTS, SEED_LIMITS, type SeedOptionsInput, type SeedPlan } from './options.js';
export { WorkerFailedError } from './worker-pool.js';
