/**
 * Runs the embedded engine in a worker thread of the calling process: still in-process
 * (docs/ARCHITECTURE.md §2), but with a heap of its own sized for the data it holds, and without blocking
 * the app's event loop while it runs a long aggregation.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EngineOptions } from './engine.js';

export type ThreadMessage =
  | { type: 'listening'; uri: string; host: string; port: number; cacheSize: number }
  | { type: 'failed'; message: string }
  | { type: 'log'; line: string }
  | { type: 'stopped' };

export interface EngineHandle {
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  /** Bytes of decoded documents a durable engine keeps in memory (its document cache). */
  readonly cacheSize: number;
  /** Resolves once the engine has flushed its data and released its data directory. */
  stop(): Promise<void>;
}

/** Heap limits for the engine's thread: most of the machine's memory is for the data. */
export function engineHeapLimits(totalMemory = os.totalmem()): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: Math.floor((totalMemory * 0.75) / 2 ** 20), maxYoungGenerationSizeMb: 192 };
}

export async function startEngineThread(options: Omit<EngineOptions, 'log'> & { log?: (line: string) => void } = {}): Promise<EngineHandle> {
  const entry = new URL('./thread-main.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    // Running from TypeScript sources (tests): a worker would need a loader; run in this thread.
    const { startEngine } = await import('./engine.js');
    const engine = await startEngine(options);
    return { uri: engine.uri, host: engine.host, port: engine.port, cacheSize: engine.cacheSize, stop: () => engine.stop() };
  }
  const { log, ...workerOptions } = options;
  const worker = new Worker(entry, { workerData: workerOptions, resourceLimits: engineHeapLimits() });
  let stopped: () => void = () => undefined;
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  const started = await new Promise<{ uri: string; host: string; port: number; cacheSize: number }>((resolve, reject) => {
    const fail = (error: Error): void => {
      void worker.terminate();
      reject(error);
    };
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'listening') resolve(message);
      else if (message.type === 'failed') fail(new Error(message.message));
      else if (message.type === 'log') log?.(message.line);
      else if (message.type === 'stopped') stopped();
    });
    worker.on('error', (error) => {
      log?.(`[engine] the engine thread failed: ${error.message}`);
      fail(error);
    });
    worker.on('exit', (code) => {
      stopped();
      reject(new Error(`the engine thread exited (code ${code}) before it listened`));
    });
  });
  return {
    uri: started.uri,
    host: started.host,
    port: started.port,
    cacheSize: started.cacheSize,
    async stop() {
      worker.postMessage('stop');
      await whenStopped;
      await worker.terminate().catch(() => undefined);
    },
  };
}
