/**
 * The parent side of seeding's workers: forks them, deals out chunks (two at a time each,
 * so a worker never waits for its next one), turns their messages into progress, and fails
 * the whole run — killing every worker — as soon as one dies or reports an error.
 * No worker outlives the parent: workers exit when the IPC channel closes, and the parent
 * kills them on its own exit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCodes } from '../errors.js';
import type { ChunkCounts, ParentMessage, WorkerInit, WorkerMessage } from './worker-protocol.js';
import type { ChunkRange } from './parts.js';

const PREFETCH = 2;

/** The worker's entry point, next to this module's build (tsx runs the .ts one in tests). */
function workerEntry(): { file: string; execArgv: string[] } {
  const self = import.meta.url;
  if (self.endsWith('.ts')) return { file: fileURLToPath(new URL('./seed-worker.ts', self)), execArgv: ['--import', 'tsx'] };
  return { file: fileURLToPath(new URL('./seed-worker.js', self)), execArgv: [] };
}

export interface WorkerPoolOptions {
  workers: number;
  /** The chunks to generate (all of a seed's, or one part's). */
  chunks: ChunkRange;
  init: Omit<WorkerInit, 'type'>;
  onProgress: (delta: ChunkCounts) => void;
  /** Told each worker's pid once it is forked (diagnostics, tests). */
  onWorkerStarted?: (pid: number) => void;
  signal?: AbortSignal;
}

export class WorkerFailedError extends AppError {
  override name = 'WorkerFailedError';
  constructor(message: string) {
    super(ErrorCodes.FAILED, message);
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    setTimeout(resolve, 5000).unref();
  });
}

export function runWorkers(options: WorkerPoolOptions): Promise<void> {
  const { file, execArgv } = workerEntry();
  const { from, to } = options.chunks;
  const count = Math.max(1, Math.min(options.workers, to - from));
  const children: ChildProcess[] = [];
  let nextChunk = from;
  let settled = false;

  return new Promise<void>((resolve, reject) => {
    const killAll = (): void => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', killAll);
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      process.off('exit', killAll);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        killAll();
        // Reject only once every worker is gone: no orphan outlives a failed seed.
        void Promise.all(children.map(exitOf)).then(() => reject(error));
      } else resolve();
    };
    const onAbort = (): void => finish(new AppError(ErrorCodes.FAILED, 'the seed was cancelled'));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    let finished = 0;
    for (let w = 0; w < count; w++) {
      const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
      children.push(child);
      if (child.pid !== undefined) options.onWorkerStarted?.(child.pid);
      let outstanding = 0;
      let done = false;
      const post = (message: ParentMessage): void => {
        if (child.connected) child.send(message);
      };
      const deal = (): void => {
        while (outstanding < PREFETCH && nextChunk < to) {
          post({ type: 'chunk', chunk: nextChunk++ });
          outstanding++;
        }
        if (outstanding === 0) post({ type: 'finish' });
      };
      child.on('message', (message: WorkerMessage) => {
        if (settled) return;
        switch (message.type) {
          case 'ready':
            deal();
            break;
          case 'progress':
            options.onProgress({ users: message.users, carts: message.carts, orders: message.orders });
            break;
          case 'chunk-done':
            outstanding--;
            deal();
            break;
          case 'error':
            finish(new WorkerFailedError(`seeding worker ${w + 1} failed: ${message.message}`));
            break;
          case 'finished':
            done = true;
            if (++finished === count) finish();
            break;
        }
      });
      child.on('error', (error) => finish(new WorkerFailedError(`seeding worker ${w + 1} could not run: ${error.message}`)));
      child.on('exit', (code, signal) => {
        if (!done && !settled) {
          finish(
            new WorkerFailedError(
              `seeding worker ${w + 1} (pid ${child.pid}) died (${signal ? `signal ${signal}` : `exit code ${code}`}) before finishing its chunks; the seed was stopped and nothing was kept`,
            ),
          );
        }
      });
      post({ type: 'init', ...options.init });
    }
  });
}
