/**
 * The app's connection to its database: one Mongoose connection (models) whose native `Db`
 * the services use for bulk work and aggregations, plus what forked workers need to open
 * their own (the URI and the database name).
 */
import mongoose, { type Connection } from 'mongoose';
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
  /**
   * Patient with a server that runs one command at a time (the embedded engine): while it runs
   * a long aggregation it answers no heartbeat, and the driver's default 30 s monitoring
   * timeout would drop the pool under the very command it waits for.
   */
  patient?: boolean;
}

export async function openDatabase(uri: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const dbName = options.dbName ?? databaseNameOf(uri);
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: options.timeoutMs ?? 8000,
    autoIndex: false,
    autoCreate: false,
    ...(options.patient ? { connectTimeoutMS: 30 * 60_000, socketTimeoutMS: 0 } : {}),
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
