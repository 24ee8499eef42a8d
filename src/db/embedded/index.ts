/** The embedded MongoDB-wire-compatible engine (docs/ARCHITECTURE.md §2). */
// What the app needs at every start, and nothing that loads the engine itself: the engine runs
// on threads of its own (host/engine-threads.ts). Running it in the calling thread: ./in-process.ts.
export type { EngineOptions, EngineState } from './engine.js';
export { DataDirLockedError, readLockHolder, type LockHolder } from './persistence/lock.js';
export { startEngineThread, type EngineHandle, type EngineThreadOptions } from './host/engine-threads.js';
export { isLoopbackHost, resolveEngineAuth, type EngineAuthChoice, type EngineAuthRequest } from './auth/policy.js';
export { defaultCacheSize, formatBytes, parseCacheSize } from './storage/cache-size.js';
