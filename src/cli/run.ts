/**
 * How every CLI command ends: a clean message and a non-zero exit for errors (a stack trace
 * only with DATADRAGON_DEBUG=1), and SIGINT/SIGTERM turned into an orderly stop.
 */
import { AppError, ErrorCodes } from '../errors.js';

export function exitCodeOf(error: unknown): number {
  return error instanceof AppError && error.code === ErrorCodes.BAD_USER_INPUT ? 2 : 1;
}

export function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`datadragon: error: ${message}`);
  if (process.env.DATADRAGON_DEBUG && error instanceof Error && error.stack) console.error(error.stack);
}

/** Runs a command action; errors become a message and an exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      reportError(error);
      process.exitCode = exitCodeOf(error);
    }
  };
}

/**
 * Resolves when SIGINT or SIGTERM arrives (once); a second signal exits at once,
 * for the impatient.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) process.exit(130);
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
