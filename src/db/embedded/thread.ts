/** Moved to host/engine-threads.ts; kept for bench/crunch.bench.ts until its import names the new file. */
export { engineHeapLimits } from './host/engine-threads.js';
