/**
 * A forked seeding worker: generates whole `activity` documents for the chunks the parent
 * hands it and writes them with unordered insertMany batches on its own connection.
 * Kill guard: when the parent goes away (its IPC channel closes), the worker exits at once.
 */
import { MongoClient, type Collection, type Document } from 'mongodb';
import { buildNamePools, generateActivityChunk, pickerFromSerialized, type ActivityDoc } from './generate/index.js';
import type { ParentMessage, WorkerInit, WorkerMessage } from './worker-protocol.js';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

if (!process.send) {
  console.error('seed-worker is started by `datadragon seed`, not directly');
  process.exit(2);
}

process.on('disconnect', () => process.exit(3));

let state: { init: WorkerInit; client: MongoClient; collection: Collection<Document>; generate: (chunk: number) => ActivityDoc[] } | undefined;
let queue: Promise<void> = Promise.resolve();

async function start(init: WorkerInit): Promise<void> {
  // Patient, as the app's own connection to the engine (see db/connection.ts).
  const client = await MongoClient.connect(init.uri, { maxPoolSize: 4, serverSelectionTimeoutMS: 10_000, connectTimeoutMS: 30 * 60_000, socketTimeoutMS: 0 });
  const picker = pickerFromSerialized(init.catalogue);
  const names = buildNamePools(init.locale);
  state = {
    init,
    client,
    collection: client.db(init.dbName).collection(init.collection),
    generate: (chunk) =>
      generateActivityChunk({
        seed: init.seed,
        chunkIndex: chunk,
        chunkSize: init.chunkSize,
        userCount: init.userCount,
        maxOrdersPerUser: init.maxOrdersPerUser,
        year: init.year,
        picker,
        names,
      }),
  };
  send({ type: 'ready' });
}

/** The insert in flight: the next batch is generated while it runs. */
let pending: Promise<void> = Promise.resolve();

/**
 * Generates a chunk and queues its batches. Returns once the chunk is generated and its last
 * batch is on its way, so the parent's next chunk is generated while that batch is written.
 */
async function runChunk(chunk: number): Promise<void> {
  const { init, collection, generate } = state!;
  const docs = generate(chunk);
  for (let i = 0; i < docs.length; i += init.batchSize) {
    const batch = docs.slice(i, i + init.batchSize);
    await pending;
    pending = collection.insertMany(batch as unknown as Document[], { ordered: false }).then(() => {
      let carts = 0;
      let orders = 0;
      for (const doc of batch) {
        carts += doc.carts.length;
        for (const cart of doc.carts) if (cart.order) orders++;
      }
      send({ type: 'progress', users: batch.length, carts, orders });
    });
  }
  pending = pending.then(() => send({ type: 'chunk-done', chunk }));
  pending.catch(fail);
}

function fail(error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  send({ type: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
  setTimeout(() => process.exit(1), 50);
}

process.on('message', (message: ParentMessage) => {
  queue = queue
    .then(async () => {
      if (message.type === 'init') await start(message);
      else if (message.type === 'chunk') await runChunk(message.chunk);
      else if (message.type === 'finish') {
        await pending;
        await state?.client.close();
        send({ type: 'finished' });
        process.disconnect();
      }
    })
    .catch(fail);
});
