/** The embedded MongoDB-wire-compatible engine (docs/ARCHITECTURE.md §2). */
export { EmbeddedEngine, startEngine, type EngineOptions, type EngineState } from './engine.js';
export { MemoryStore, type Store } from './persistence/store.js';
export { DataDirLockedError, readLockHolder, type LockHolder } from './persistence/lock.js';
export { startEngineThread, type EngineHandle } from './thread.js';
export { isLoopbackHost, resolveEngineAuth, type EngineAuthChoice, type EngineAuthRequest } from './auth/index.js';
export { defaultCacheSize, formatBytes, parseCacheSize } from './storage/cache-size.js';
