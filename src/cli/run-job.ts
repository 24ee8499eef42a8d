/**
 * A job run from the command line: its progress drawn on stderr from the job's events, and
 * Ctrl-C (SIGINT) or SIGTERM turned into a cancel: the job stops, drops what it staged and
 * releases the lock, the CLI says what was kept, and exits with 130. A second signal (not the
 * duplicate `npm run` forwards: see onStopSignals) exits at once (what is left behind is
 * cleaned up by the next job). Imported by the commands'
 * actions only (it loads the job runner).
 */
import { AppError, ErrorCodes } from '../errors.js';
import { failureOf, startJob, type Job, type JobDefinition, type StartOptions } from '../jobs/index.js';
import { jobProgress } from './progress.js';
import { onStopSignals, SIGNAL_EXIT_CODE } from './run.js';

/** The exit status of a command stopped by a signal (128 + SIGINT's 2), as shells use it. */
export const CANCELLED_EXIT_CODE = SIGNAL_EXIT_CODE;

export interface CliJobOptions extends Omit<StartOptions, 'onEvent'> {
  stream?: NodeJS.WriteStream;
}

/**
 * Runs the job and waits for it. Resolves with its result, or with undefined when it was
 * cancelled (the message is written and the exit code set); rejects with what failed it.
 */
export async function runJobFromCli<Plan, Result>(
  definition: JobDefinition<unknown, Plan, Result>,
  plan: Plan,
  options: CliJobOptions,
): Promise<Result | undefined> {
  const { stream = process.stderr, ...start } = options;
  let job: Job<Plan, Result> | undefined;
  let signalled: NodeJS.Signals | undefined;
  const cancel = (signal: NodeJS.Signals, current: Job<Plan, Result>): void => {
    if (current.cancel()) stream.write(`\ndatadragon: ${signal}: cancelling the ${current.kind} (the data in the database stays as it was)...\n`);
    else stream.write(`\ndatadragon: ${signal}: too late to cancel: the ${current.kind} is putting its new data in place, which takes a moment\n`);
  };
  // Listening before the job starts: its first progress line may be on screen before startJob returns.
  const stopListening = onStopSignals({
    first(signal) {
      if (job) cancel(signal, job);
      else signalled = signal;
    },
    again(signal) {
      stream.write(`datadragon: ${signal} again: stopping now; the next job drops what this ${definition.kind} left behind\n`);
      process.exit(CANCELLED_EXIT_CODE);
    },
  });
  try {
    job = await startJob(definition, plan, { ...start, onEvent: jobProgress(stream) });
    if (signalled) cancel(signalled, job);
    const state = await job.settled;
    if (state.status === 'succeeded') return state.result;
    if (state.status === 'cancelled') {
      stream.write(`datadragon: ${state.error.message}\n`);
      process.exitCode = CANCELLED_EXIT_CODE;
      return undefined;
    }
    throw failureOf(job) ?? new AppError(ErrorCodes.FAILED, state.error.message);
  } finally {
    stopListening();
  }
}
