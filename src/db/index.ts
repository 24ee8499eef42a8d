/**
 * The database module (docs/ARCHITECTURE.md §2): which server the app uses (backend.ts) and its
 * one connection to it, with how a read is bounded in time and how the driver's errors are told
 * apart (connection.ts).
 *
 * Importing it loads nothing heavy: backend.ts imports the engine's barrel, which loads none of
 * the engine itself (it runs on threads of its own: src/db/embedded/index.ts), a mongod's
 * launcher is loaded when one is started and Mongoose when a connection is opened. So
 * `datadragon db`, which takes only the data directory from here, loads neither.
 */
export { type Backend, type BackendKind, type BackendOptions, createDataDir, openBackend } from './backend.js';
export {
  boundedRead,
  type BoundedReadOptions,
  type Database,
  isTimeLimitError,
  isUnavailableError,
  openDatabase,
  type OpenDatabaseOptions,
  RETRY_AFTER_SECONDS,
  unavailableError,
} from './connection.js';
