/**
 * 50 clients at once, each with its own connection pool, writing and reading a durable engine:
 * every client inserts its own documents (one at a time and in batches), increments one shared
 * counter, and reads its own count back as it goes. Afterwards every count must be exact.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { FaultReport, Figure } from '../report.js';
import { startEngineProcess } from './engine-process.js';

const SUITE = 'engine';
const CLIENTS = 50;
const ROUNDS = 40;
const BATCH = 5;

interface Doc {
  _id?: unknown;
  client: number;
  round: number;
}

export async function concurrencyScenario(log: (line: string) => void): Promise<FaultReport> {
  const figures: Figure[] = [];
  const failures: string[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadragon-faults-concurrency-'));
  const engine = await startEngineProcess(['--data-dir', dataDir]);
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => MongoClient.connect(engine.uri, { maxPoolSize: 2, serverSelectionTimeoutMS: 10_000 })),
  );
  try {
    const db = clients[0]!.db('faults_concurrency');
    await db.collection<{ _id: string; n: number }>('counter').insertOne({ _id: 'n', n: 0 });
    const started = performance.now();
    let operations = 0;
    await Promise.all(
      clients.map(async (client, c) => {
        const docs = client.db('faults_concurrency').collection<Doc>('docs');
        const counter = client.db('faults_concurrency').collection<{ _id: string; n: number }>('counter');
        let mine = 0;
        for (let round = 0; round < ROUNDS; round++) {
          if (round % 2 === 0) {
            await docs.insertOne({ client: c, round });
            mine += 1;
          } else {
            await docs.insertMany(Array.from({ length: BATCH }, () => ({ client: c, round })));
            mine += BATCH;
          }
          await counter.updateOne({ _id: 'n' }, { $inc: { n: 1 } });
          const seen = await docs.countDocuments({ client: c });
          operations += 3;
          if (seen !== mine) failures.push(`client ${c}, round ${round}: read ${seen} of its own documents, wrote ${mine}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const perClient = (ROUNDS / 2) * (1 + BATCH);
    const total = await db.collection('docs').countDocuments();
    const counted = (await db.collection<{ _id: string; n: number }>('counter').findOne({ _id: 'n' }))?.n;
    const byClient = await db
      .collection('docs')
      .aggregate<{ _id: number; n: number }>([{ $group: { _id: '$client', n: { $sum: 1 } } }])
      .toArray();
    if (total !== CLIENTS * perClient) failures.push(`${total} documents in all, expected ${CLIENTS * perClient}`);
    if (counted !== CLIENTS * ROUNDS) failures.push(`the shared counter is ${counted}, expected ${CLIENTS * ROUNDS}`);
    const wrong = byClient.filter((group) => group.n !== perClient);
    if (byClient.length !== CLIENTS || wrong.length) failures.push(`${byClient.length} clients' documents found, ${wrong.length} with a wrong count`);
    log(`50 clients: ${operations} operations in ${seconds.toFixed(1)} s, ${failures.length} failures`);
    figures.push({ suite: SUITE, name: `${CLIENTS} concurrent clients: operations`, value: operations, unit: 'ops' });
    figures.push({ suite: SUITE, name: `${CLIENTS} concurrent clients: throughput`, value: operations / seconds, unit: 'ops/s' });
    figures.push({
      suite: SUITE,
      name: `${CLIENTS} concurrent clients: documents, exact`,
      value: total,
      unit: 'docs',
      target: `= ${CLIENTS * perClient}`,
      pass: total === CLIENTS * perClient,
    });
    figures.push({
      suite: SUITE,
      name: `${CLIENTS} concurrent clients: shared counter, exact`,
      value: counted ?? NaN,
      unit: 'increments',
      target: `= ${CLIENTS * ROUNDS}`,
      pass: counted === CLIENTS * ROUNDS,
    });
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, failures };
}
