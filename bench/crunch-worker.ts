/**
 * Started by crunch.bench.ts (whose `measureCrunch` it runs, with the engine in this worker):
 * measures the crunch and posts the figures back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { measureCrunch } from './crunch.bench.js';

parentPort?.postMessage(await measureCrunch(workerData as { users: number }));
