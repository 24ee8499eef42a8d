/**
 * Entry point of the executor thread (started by engine-threads.ts; not meant to be run
 * directly): the store, the catalog, the cursors and every command the front thread hands
 * over (messages.ts), run one at a time as the in-thread engine runs them (engine.ts).
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ForwardedSession } from '../auth/session.js';
import { EmbeddedEngine } from '../engine.js';
import { STORAGE_DIR } from '../persistence/lmdb-store.js';
import { ownBytes, type ExecuteReply, type ExecuteRequest, type ExecutorData, type OwnerMessage, type ThreadMessage } from './messages.js';

if (!parentPort) throw new Error('host/executor.ts runs inside a worker thread started by startEngineThread()');
const owner = parentPort;
const { options, link } = workerData as ExecutorData;
const engine = new EmbeddedEngine({ ...options, log: (line) => owner.postMessage({ type: 'log', line } satisfies ThreadMessage) });

link.on('message', (request: ExecuteRequest) => {
  let reply: ExecuteReply;
  try {
    const message = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    const parts = engine.execute(message, request.connectionId, new ForwardedSession(request.mayRunAnything));
    reply = parts ? { id: request.id, bytes: ownBytes(parts) } : { id: request.id };
  } catch (error) {
    reply = { id: request.id, protocolError: error instanceof Error ? error.message : String(error) };
  }
  link.postMessage(reply, reply.bytes ? [reply.bytes.buffer as ArrayBuffer] : []);
});

owner.on('message', (message: OwnerMessage) => {
  if (message.type === 'publish') {
    engine.publishUri(message.uri);
    owner.postMessage({ type: 'published' } satisfies ThreadMessage);
  } else if (message.type === 'stop') {
    link.close();
    void engine.stop().then(() => {
      owner.postMessage({ type: 'stopped' } satisfies ThreadMessage);
      owner.close();
    });
  }
});

engine
  .startWithoutServer()
  .then(() =>
    owner.postMessage({
      type: 'ready',
      cacheSize: engine.cacheSize,
      storageDir: options.dataDir === undefined ? undefined : path.join(options.dataDir, STORAGE_DIR),
    } satisfies ThreadMessage),
  )
  .catch((error: Error) => owner.postMessage({ type: 'failed', message: error.message } satisfies ThreadMessage));
