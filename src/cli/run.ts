/**
 * How every CLI command ends: a clean message and a non-zero exit for errors (a stack trace
 * only with DATADRAGON_DEBUG=1), a quiet status 0 when the reader of its output goes away
 * (`| head`), and SIGINT/SIGTERM turned into an orderly stop.
 */
import { AppError, ErrorCodes } from '../errors.js';
import { packageInfo } from '../package.js';

/** What every error the CLI prints starts with (commander's own messages included: main.ts). */
export const ERROR_PREFIX = 'datadragon: error: ';

export function exitCodeOf(error: unknown): number {
  return error instanceof AppError && error.code === ErrorCodes.BAD_USER_INPUT ? 2 : 1;
}

export function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${ERROR_PREFIX}${message}`);
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
 * A second signal this soon after the first is the same Ctrl-C: under `npm start` (or any
 * `npm run`), the terminal sends SIGINT to the whole process group, npm included, and npm
 * forwards it to its child, which so receives two SIGINTs for one key press.
 */
export const SAME_SIGNAL_MS = 1_000;

export interface StopSignalHandlers {
  /** The first SIGINT or SIGTERM: stop in order. */
  first(signal: NodeJS.Signals): void;
  /** Another one, later than SAME_SIGNAL_MS after the first: the user insists. */
  again(signal: NodeJS.Signals): void;
  /** The clock (tests). */
  now?: () => number;
}

/** Listens for SIGINT and SIGTERM (see StopSignalHandlers); returns what stops listening. */
export function onStopSignals(handlers: StopSignalHandlers): () => void {
  const now = handlers.now ?? Date.now;
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstAt === undefined) {
      firstAt = now();
      handlers.first(signal);
    } else if (now() - firstAt >= SAME_SIGNAL_MS) {
      handlers.again(signal);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** The exit status of a command stopped by a signal (128 + SIGINT's 2), as shells use it. */
export const SIGNAL_EXIT_CODE = 130;

/**
 * Resolves when SIGINT or SIGTERM arrives (the caller stops in order and says so); another
 * one later (not the duplicate of `npm start`: SAME_SIGNAL_MS) exits at once with 130, for
 * the impatient.
 */
export function untilSignal(options: { now?: () => number; exit?: (code: number) => void; log?: (line: string) => void } = {}): Promise<NodeJS.Signals> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => console.error(line));
  return new Promise((resolve) => {
    onStopSignals({
      first: resolve,
      again(signal) {
        log(`datadragon: ${signal} again: stopping at once, without finishing what was under way`);
        exit(SIGNAL_EXIT_CODE);
      },
      ...(options.now ? { now: options.now } : {}),
    });
  });
}

let outputClosed = false;

/** True once stdout or stderr has been closed by its reader (EPIPE): nothing more will be read. */
export function isOutputClosed(): boolean {
  return outputClosed;
}

/**
 * A reader that stops early (`datadragon find | head -1`, `seed --help | head -1`) closes the
 * pipe: the next write fails with EPIPE. That is not an error of the command: remember it (so
 * that a command stops writing: see `isOutputClosed`) and go on to the exit status the command
 * gives (0 when it did its job), without a stack trace. Any other output error stops the
 * writing too, and fails the command (status 1).
 */
export function quietWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!outputClosed && error.code !== 'EPIPE') {
        // A real failure (a full disk, EIO): stop writing, say so where it can still be said, fail.
        process.exitCode = 1;
        if (stream === process.stdout) reportError(new Error(`cannot write the output: ${error.message}`));
      }
      outputClosed = true;
    });
  }
}

/** The version in the package's package.json ("unknown" when it cannot be read). */
export function packageVersion(): string {
  try {
    return packageInfo().version;
  } catch {
    return 'unknown';
  }
}
