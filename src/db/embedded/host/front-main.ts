/**
 * Entry point of the front thread (started by engine-threads.ts; not meant to be run
 * directly): runs a Front (front.ts) and answers the owner's messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Front } from './front.js';
import type { FrontData, OwnerMessage, ThreadMessage } from './messages.js';

if (!parentPort) throw new Error('host/front-main.ts runs inside a worker thread started by startEngineThread()');
const owner = parentPort;
const { options, storageDir, link } = workerData as FrontData;
// An executor whose heap ran out may never report its exit (its native cleanup can block):
// the closing of its link is what tells that it is gone.
const front = new Front(
  options,
  link,
  storageDir,
  (line) => owner.postMessage({ type: 'log', line } satisfies ThreadMessage),
  () => owner.postMessage({ type: 'failed', message: "the engine's executor thread stopped without being asked to" } satisfies ThreadMessage),
);

front
  .listen()
  .then(() => owner.postMessage({ type: 'listening', uri: front.uri, host: front.host, port: front.port } satisfies ThreadMessage))
  .catch((error: Error) => owner.postMessage({ type: 'failed', message: error.message } satisfies ThreadMessage));

owner.on('message', (message: OwnerMessage) => {
  if (message.type !== 'stop') return;
  void front.stop().then(() => {
    link.close();
    owner.postMessage({ type: 'stopped' } satisfies ThreadMessage);
    owner.close();
  });
});
