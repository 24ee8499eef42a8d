/**
 * `maxTimeMS`: the time limit of the command running now. A command runs to its end on the
 * engine's thread, so the limit is checked where the time goes — every few hundred documents
 * read by a scan or passed between pipeline stages — and an overrun is refused with mongod's
 * MaxTimeMSExpired (50). The limit covers the command (with a cursor, its first batch): the
 * batches a later getMore reads are not counted against it.
 */
import { CommandError } from '../errors.js';

/** Documents between two looks at the clock (a look costs tens of nanoseconds; a document, a microsecond or more). */
const CHECK_EVERY = 16;

let deadline = Infinity;
let counter = 0;

export function expired(): CommandError {
  return new CommandError('MaxTimeMSExpired', 'operation exceeded time limit');
}

/** Runs `run` under a limit of `maxTimeMS` (none when undefined or 0). */
export function withTimeLimit<T>(maxTimeMS: number | undefined, run: () => T): T {
  const previous = deadline;
  deadline = maxTimeMS ? Date.now() + maxTimeMS : Infinity;
  counter = 0;
  try {
    return run();
  } finally {
    deadline = previous;
  }
}

/** Throws MaxTimeMSExpired once the running command is past its limit (cheap: looks at the clock now and then). */
export function checkTime(): void {
  if (deadline === Infinity) return;
  if (++counter % CHECK_EVERY === 0 && Date.now() > deadline) throw expired();
}

/** `source`, checking the time limit as it is read; `source` itself when there is no limit. */
export function timed<T>(source: Iterable<T>): Iterable<T> {
  if (deadline === Infinity) return source;
  return {
    *[Symbol.iterator]() {
      for (const item of source) {
        checkTime();
        yield item;
      }
    },
  };
}

/** `maxTimeMS` of a command, as mongod checks it: a non-negative 32-bit integer. */
export function maxTimeOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'object' && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2147483647) {
    throw new CommandError('BadValue', `${JSON.stringify(value)} is not a valid value for maxTimeMS: it must be a non-negative integer of milliseconds`);
  }
  return n === 0 ? undefined : n;
}
