/**
 * The app's connection to its database: one Mongoose connection (models) whose native `Db`
 * the services use for bulk work and aggregations, plus what forked workers need to open
 * their own (the URI and the database name); and how a read is bounded in time and how the
 * driver's errors are told apart (the query ran out of time, or the server is busy or gone).
 */
import type { Connection } from 'mongoose';
import type { Db } from 'mongodb';
import { AppError, ErrorCodes } from '../errors.js';
import { redactUri } from './backend.js';

export const DEFAULT_DB_NAME = 'datadragon';

export interface Database {
  readonly uri: string;
  readonly dbName: string;
  readonly connection: Connection;
  readonly db: Db;
  close(): Promise<void>;
}

/** The database named in the URI's path, else DATADRAGON_DB, else "datadragon". */
export function databaseNameOf(uri: string, env: NodeJS.ProcessEnv = process.env): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]+)/.exec(uri);
  return (match?.[1] && decodeURIComponent(match[1])) || env.DATADRAGON_DB || DEFAULT_DB_NAME;
}

export interface OpenDatabaseOptions {
  dbName?: string;
  /** How long to look for the server before giving up (default 8 s). */
  timeoutMs?: number;
  /** @deprecated Every connection is patient (see `PATIENT_CONNECTION`); this option changes nothing. */
  patient?: boolean;
}

/**
 * The driver settings of every connection the app opens, whoever started the server. A server
 * that runs one command at a time (the embedded engine, `datadragon db` shared through
 * MONGODB_URI) answers no heartbeat while it runs a long aggregation, and the driver's default
 * 30 s monitoring timeout would drop the pool under the very command it waits for ("interrupted
 * due to server monitor timeout"). A multi-threaded mongod answers heartbeats at once, so the
 * longer wait changes nothing there but how long a hung (not closed) server takes to be noticed.
 * The API's reads are bounded on their own (`boundedRead`).
 */
export const PATIENT_CONNECTION = Object.freeze({ connectTimeoutMS: 30 * 60_000, socketTimeoutMS: 0 });

export async function openDatabase(uri: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const dbName = options.dbName ?? databaseNameOf(uri);
  // Loaded here, not at the top: the db barrel also serves `datadragon db`, which opens no connection.
  const { default: mongoose } = await import('mongoose');
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: options.timeoutMs ?? 8000,
    autoIndex: false,
    autoCreate: false,
    ...PATIENT_CONNECTION,
  });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw new AppError(
      ErrorCodes.UNAVAILABLE,
      `cannot reach MongoDB at ${redactUri(uri)}: ${(error as Error).message}. Check that the server runs and MONGODB_URI is right (or unset MONGODB_URI to use the embedded engine)`,
      {},
      { cause: error },
    );
  }
  return {
    uri,
    dbName,
    connection,
    db: connection.db as unknown as Db,
    close: () => connection.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Reads bounded in time
// ---------------------------------------------------------------------------------------------

/**
 * How much longer than its `maxTimeMS` a read waits for the server's answer (the server's own
 * timeout error included) before the driver gives up on it: past that, the server is busy
 * with something else or unreachable.
 */
export const ANSWER_GRACE_MS = 2_000;

/** Seconds a client is told to wait before it retries a read the server did not answer. */
export const RETRY_AFTER_SECONDS = 5;

export interface BoundedReadOptions {
  /** The server stops the read after this long (MaxTimeMSExpired, code 50). */
  maxTimeMS?: number;
  /** The driver aborts the read (and closes its socket) when no answer came by then. */
  signal?: AbortSignal;
}

/** The driver options of a read limited to `maxTimeMS` (none when it is undefined). */
export function boundedRead(maxTimeMS: number | undefined): BoundedReadOptions {
  if (maxTimeMS === undefined) return {};
  return { maxTimeMS, signal: AbortSignal.timeout(maxTimeMS + ANSWER_GRACE_MS) };
}

/** MongoDB's code for a command stopped by its `maxTimeMS`. */
export const MAX_TIME_MS_EXPIRED = 50;

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;
const nameOf = (error: unknown): string =>
  error instanceof Error || (typeof error === 'object' && error !== null) ? String((error as { name?: unknown }).name ?? '') : '';

/** The server stopped the command at its time limit. */
export function isTimeLimitError(error: unknown): boolean {
  return nameOf(error) === 'MongoServerError' && codeOf(error) === MAX_TIME_MS_EXPIRED;
}

/**
 * Driver errors that mean "the server is busy, restarting or unreachable; the same request may
 * work later". By name, not `instanceof`: Mongoose has its own copy of the driver.
 */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoOperationTimeoutError',
  'MongoServerClosedError',
  'MongoExpiredSessionError',
  // AbortSignal.timeout() of `boundedRead`: no answer in time.
  'TimeoutError',
]);

/** Server errors that mean the same: shutting down, stepping down, interrupted, unreachable. */
const UNAVAILABLE_SERVER_CODES = new Set([6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

export function isUnavailableError(error: unknown): boolean {
  const name = nameOf(error);
  if (UNAVAILABLE_ERROR_NAMES.has(name)) return true;
  if (name === 'MongoServerError') {
    const code = codeOf(error);
    return typeof code === 'number' && UNAVAILABLE_SERVER_CODES.has(code);
  }
  return false;
}

/** The application error for a driver error of `isUnavailableError`: what happened and when to retry. */
export function unavailableError(error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  const why =
    /timeout/i.test(nameOf(error)) || /timed out/i.test(message)
      ? `it did not answer in time (busy with another client’s long command, or unreachable: ${message})`
      : `it is unreachable or shutting down (${message})`;
  return new AppError(
    ErrorCodes.UNAVAILABLE,
    `the database cannot serve this request now: ${why}. Retry in ${RETRY_AFTER_SECONDS} seconds`,
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
    { cause: error },
  );
}
