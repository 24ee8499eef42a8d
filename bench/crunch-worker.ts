/** Started by crunch.bench.ts: measures the crunch in this worker and posts the figures back. */
import { parentPort, workerData } from 'node:worker_threads';
import { measureCrunch } from './crunch.bench.js';

parentPort?.postMessage(await measureCrunch(workerData as { users: number }));
