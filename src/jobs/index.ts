/**
 * Jobs: the runner (lock, phases, progress events, cancel, staging, swap) and the kinds it
 * runs (seed, crunch, reset), for the CLI, the server and library callers.
 */
export { CancelRequest, Job, type JobErrorInfo, type JobEvent, type JobListener, type JobState, type PhaseProgress, type SettledState } from './job.js';
export { crunchJob, type CrunchInput, describeCounts, JOB_DEFINITIONS, JOB_PHASES, resetJob, type ResetInput, type ResetPlan, seedJob } from './kinds/index.js';
export {
  crunchSpending,
  type CrunchRunOptions,
  type PhaseReport,
  resetDatabase,
  runJob,
  type RunOptions,
  seedDatabase,
  type SeedRunOptions,
} from './library.js';
export {
  acquireJobLock,
  JOBS_COLLECTION,
  JobConflictError,
  type JobLock,
  LOCK_DEFAULTS,
  type LockDoc,
  LockLostError,
  type LockOptions,
  readJobLock,
} from './lock.js';
export { JobRegistry, type JobRegistryOptions } from './registry.js';
export { databaseHost, type DatabaseHostOptions, failureOf, type JobHost, outcomeOf, stagingIdOf, startJob, type StartOptions } from './runner.js';
export { commitSwap, dropStaging, pendingSwap, recoverSwap, STAGING_PREFIX, stagingName, SwapIncompleteError, type SwapHooks, type SwapStep } from './swap.js';
export {
  JOB_KINDS,
  type AnyJobDefinition,
  type JobDefinition,
  type JobEnv,
  type JobKind,
  type JobRun,
  type JobStatus,
  type JobTimes,
  type OptionSources,
  type Phase,
  type PhaseContext,
  type PhaseState,
  type ProgressDetail,
} from './types.js';
