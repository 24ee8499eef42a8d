/**
 * Runs the embedded engine on worker threads of the calling process: still in-process
 * (docs/ARCHITECTURE.md §2), without blocking the app's event loop, and split in two so that
 * no client's long command holds up the others (docs/WIRE.md, "Threads"):
 * - the front thread (front-main.ts): sockets, handshake, authentication, finds by `_id`;
 * - the executor thread (executor.ts): the store and every other command, with a heap sized
 *   for the data it holds.
 */
import path from 'node:path';
import { MessageChannel, type Worker } from 'node:worker_threads';
import type { EngineOptions } from '../engine.js';
import type { ExecutorData, FrontData, OwnerMessage, ThreadMessage } from './messages.js';
import { startWorker } from './start-worker.js';
import { commandHeapSetting, defaultCacheSize, engineHeapLimits } from '../storage/cache-size.js';

export interface EngineHandle {
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  /** Bytes of decoded documents a durable engine keeps in memory (its document cache). */
  readonly cacheSize: number;
  /**
   * Settles if a thread of the engine dies without being asked to stop (its heap exhausted,
   * say): the engine is then stopped (its other thread terminated; what was committed is kept),
   * and the owner should say so and exit. Never settles otherwise.
   */
  readonly failed: Promise<Error>;
  /** Resolves once the engine has flushed its data and released its data directory. */
  stop(): Promise<void>;
}

export interface EngineThreadOptions extends Omit<EngineOptions, 'log'> {
  log?: (line: string) => void;
  /**
   * 'own' (the default from compiled JavaScript): the engine's own two threads. 'caller' (the
   * default from TypeScript sources, where a worker first loads tsx): the calling thread, as
   * one EmbeddedEngine — the tests that need the threads ask for 'own'.
   */
  threads?: 'own' | 'caller';
}

/**
 * The data directories of the engines this thread started and has not stopped. The lock
 * (persistence/lock.ts) tells processes apart; two executor threads of one process are told
 * apart here, before the second opens the LMDB environment the first one holds.
 */
const directoriesInUse = new Set<string>();

export async function startEngineThread(options: EngineThreadOptions = {}): Promise<EngineHandle> {
  const dataDir = options.dataDir === undefined ? undefined : path.resolve(options.dataDir);
  if (dataDir !== undefined && directoriesInUse.has(dataDir))
    throw new Error(`the data directory ${dataDir} is in use by another engine of this process: stop that one first, or choose another --data-dir`);
  if (dataDir !== undefined) directoriesInUse.add(dataDir);
  try {
    const handle = await startThreads(options);
    return {
      ...handle,
      async stop() {
        await handle.stop();
        if (dataDir !== undefined) directoriesInUse.delete(dataDir);
      },
    };
  } catch (error) {
    if (dataDir !== undefined) directoriesInUse.delete(dataDir);
    throw error;
  }
}

async function startThreads(options: EngineThreadOptions): Promise<EngineHandle> {
  const { log, threads = import.meta.url.endsWith('.ts') ? 'caller' : 'own', ...engineOptions } = options;
  if (threads === 'caller') {
    const { startEngine } = await import('../engine.js');
    const engine = await startEngine({ ...engineOptions, log });
    return { uri: engine.uri, host: engine.host, port: engine.port, cacheSize: engine.cacheSize, failed: new Promise(() => {}), stop: () => engine.stop() };
  }
  const { host, port, auth, maxConnections, frameIdleTimeoutMs, frameDeadlineMs, ...executorOptions } = engineOptions;
  const channel = new MessageChannel();
  const executor = new ThreadLink(
    startWorker('./executor', import.meta.url, {
      workerData: { options: { ...executorOptions, auth, maxConnections }, link: channel.port1 } satisfies ExecutorData,
      transferList: [channel.port1],
      resourceLimits: engineHeapLimits({ durable: executorOptions.dataDir !== undefined, cacheSize: executorOptions.cacheSize ?? defaultCacheSize() }),
    }),
    'executor',
    log,
  );
  let ready: Extract<ThreadMessage, { type: 'ready' }>;
  try {
    ready = await executor.next('ready');
  } catch (error) {
    // An executor that could not open the data (its lock taken, a directory it cannot read)
    // must not outlive the failure: its thread would keep the process alive.
    await executor.stop();
    throw error;
  }
  const front = new ThreadLink(
    startWorker('./front-main', import.meta.url, {
      workerData: {
        options: { host, port, auth, maxConnections, frameIdleTimeoutMs, frameDeadlineMs },
        storageDir: ready.storageDir,
        link: channel.port2,
      } satisfies FrontData,
      transferList: [channel.port2],
    }),
    'front',
    log,
  );
  let listening: Extract<ThreadMessage, { type: 'listening' }>;
  try {
    listening = await front.next('listening');
    executor.send({ type: 'publish', uri: listening.uri });
    await executor.next('published');
  } catch (error) {
    await front.stop();
    await executor.stop();
    throw error;
  }
  // One thread dead, the other cannot serve: the front would queue commands for a dead
  // executor (and wait for their replies at its stop), an executor alone takes no connection.
  // Not awaited: a thread whose heap ran out may not end (the owner exits the process).
  const failed = Promise.race([executor.died, front.died]).then((error) => {
    void front.terminate();
    void executor.terminate();
    return new Error(
      `${error.message} (most likely out of heap: on a data directory the engine allows a command ${commandHeapSetting()} MiB beyond its document cache; set DATADRAGON_COMMAND_HEAP_MIB higher and start it again; what was committed is kept)`,
    );
  });
  return {
    uri: listening.uri,
    host: listening.host,
    port: listening.port,
    cacheSize: ready.cacheSize,
    failed,
    async stop() {
      // The front first: no command reaches the executor while it flushes and closes.
      await front.stop();
      await executor.stop();
    },
  };
}

/** The owner's side of one thread: its messages awaited by type, its stop. */
class ThreadLink {
  private waiting: { type: ThreadMessage['type']; resolve(message: ThreadMessage): void; reject(error: Error): void } | undefined;
  private exited = false;
  private stopping = false;
  private readonly whenExited: Promise<void>;
  /** Settles with why, if the thread exits without being asked to. */
  readonly died: Promise<Error>;
  private reportDeath: (error: Error) => void = () => undefined;
  private lastError: Error | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly role: string,
    log: ((line: string) => void) | undefined,
  ) {
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'log') log?.(message.line);
      else if (message.type === 'failed') {
        const error = new Error(message.message);
        this.fail(error);
        if (!this.stopping) this.reportDeath(error);
      } else if (this.waiting?.type === message.type) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(message);
      }
    });
    worker.on('error', (error) => {
      const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const hint = outOfMemory
        ? ` (a command needed more than the heap the engine allows beyond its document cache, ${commandHeapSetting()} MiB: set DATADRAGON_COMMAND_HEAP_MIB higher and start it again; the data written before is kept)`
        : '';
      log?.(`[engine] the engine's ${role} thread failed: ${error.message}${hint}`);
      this.lastError = new Error(`the engine's ${role} thread failed: ${error.message}${hint}`);
      this.fail(error);
    });
    this.died = new Promise((resolve) => (this.reportDeath = resolve));
    this.whenExited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        if (!this.stopping) {
          log?.(`[engine] the engine's ${role} thread exited (code ${code}) without being asked to stop`);
          this.reportDeath(this.lastError ?? new Error(`the engine's ${role} thread exited (code ${code})`));
        }
        this.exited = true;
        this.fail(new Error(`the engine's ${role} thread exited (code ${code})`));
        resolve();
      }),
    );
  }

  next<T extends ThreadMessage['type']>(type: T): Promise<Extract<ThreadMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited) reject(new Error(`the engine's ${this.role} thread has exited`));
      else this.waiting = { type, resolve: resolve as (message: ThreadMessage) => void, reject };
    });
  }

  send(message: OwnerMessage): void {
    this.worker.postMessage(message);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    const stopped = this.next('stopped').catch(() => undefined);
    this.send({ type: 'stop' });
    await Promise.race([stopped, this.whenExited]);
    await this.worker.terminate().catch(() => undefined);
  }

  /** Stops the thread at once (after the other died): nothing is flushed that was not committed. */
  async terminate(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate().catch(() => undefined);
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}
