/**
 * The engine run in the calling thread (tests, benches). Kept apart from `index.ts`, which the
 * app loads at every start: importing the engine itself there costs about half a second that a
 * process running the engine on its own thread does not need.
 */
export { EmbeddedEngine, startEngine } from './engine.js';
export { MemoryStore } from './persistence/memory-store.js';
export type { Store } from './storage/store.js';
