/** Every kind of job, declared once each. */
import type { AnyJobDefinition, JobKind } from '../types.js';
import { SEED_PHASES } from '../../seeding/index.js';
import { CRUNCH_PHASES, crunchJob } from './crunch.js';
import { RESET_PHASES, resetJob } from './reset.js';
import { seedJob } from './seed.js';

export { crunchJob, type CrunchInput } from './crunch.js';
export { resetJob, type ResetInput, type ResetPlan } from './reset.js';
export { describeCounts, seedJob } from './seed.js';

/** Every phase name a job may report, whatever its kind (the API's JobPhase enum). */
export const JOB_PHASES = [...SEED_PHASES, ...CRUNCH_PHASES, ...RESET_PHASES] as const;

export const JOB_DEFINITIONS: Readonly<Record<JobKind, AnyJobDefinition>> = Object.freeze({ seed: seedJob, crunch: crunchJob, reset: resetJob });
