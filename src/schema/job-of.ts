/** Any job as the GraphQL type of its kind. */
import type { Job as JobModel, JobKind } from '../jobs/index.js';
import { CrunchJob } from './crunch-job.type.js';
import type { Job } from './job.type.js';
import { ResetJob } from './reset.type.js';
import { SeedJob } from './seed-job.type.js';

const SNAPSHOT: Record<JobKind, (job: JobModel) => Job> = { seed: SeedJob.of, crunch: CrunchJob.of, reset: ResetJob.of };

export function jobOf(job: JobModel): Job {
  return SNAPSHOT[job.kind](job);
}
