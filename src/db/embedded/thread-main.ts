/**
 * Entry point of the engine's own thread (see thread.ts): runs an EmbeddedEngine and answers
 * the owner's messages. Not meant to be run directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedEngine, type EngineOptions } from './engine.js';
import type { ThreadMessage } from './thread.js';

if (!parentPort) throw new Error('thread-main runs inside a worker thread started by startEngineThread()');
const port = parentPort;
const engine = new EmbeddedEngine({ ...(workerData as EngineOptions), log: (line) => port.postMessage({ type: 'log', line } satisfies ThreadMessage) });

engine
  .start()
  .then(() =>
    port.postMessage({ type: 'listening', uri: engine.uri, host: engine.host, port: engine.port, cacheSize: engine.cacheSize } satisfies ThreadMessage),
  )
  .catch((error: Error) => port.postMessage({ type: 'failed', message: error.message } satisfies ThreadMessage));

port.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  void engine.stop().then(() => {
    port.postMessage({ type: 'stopped' } satisfies ThreadMessage);
    port.close();
  });
});
