/**
 * Responsiveness (issue 16): the latency of a `ping` and of a find by `_id` from one client
 * while another runs a long command — an aggregation, a large insertMany, an updateMany, a
 * $group — against a durable engine on its threads (`datadragon db`, host/engine-threads.ts),
 * and against the engine in the calling thread, where every client waits for the long command
 * (the engine before its front thread; docs/WIRE.md, "Threads"). The fault suite runs the same
 * probe (faults/engine/responsiveness.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEngineProcess } from './engine-process.js';
import { percentile, type Figure } from './report.js';

/** The bound issue 16 sets on a quick command's answer while another runs. */
export const RESPONSIVE_MS = 100;
const PROBE_EVERY_MS = 10;

type Row = { _id: number; v: number; s?: string };

export interface LongCommand {
  readonly name: string;
  prepare(db: Db): Promise<void>;
  run(db: Db): Promise<unknown>;
}

/** Long commands of about a second each here; `docs`: the documents the aggregation joins with each other. */
export function longCommands(docs: number): LongCommand[] {
  const many = Array.from({ length: 40 * docs }, (_, i) => ({ _id: i, v: i % 1000, s: `value ${i} `.repeat(4) }));
  return [
    {
      name: 'aggregation ($lookup of every document)',
      prepare: async (db) => void (await db.collection<Row>('joined').insertMany(Array.from({ length: docs }, (_, i) => ({ _id: i, v: i })))),
      run: (db) =>
        db
          .collection('joined')
          .aggregate([{ $lookup: { from: 'joined', pipeline: [{ $match: { v: { $gte: 0 } } }], as: 'all' } }, { $count: 'n' }])
          .toArray(),
    },
    {
      name: `insertMany of ${many.length.toLocaleString('en-US')} documents`,
      prepare: async () => undefined,
      run: (db) => db.collection<Row>('many').insertMany(many.map((doc) => ({ ...doc }))),
    },
    {
      name: `$group of ${many.length.toLocaleString('en-US')} documents`,
      prepare: async () => undefined,
      run: (db) =>
        db
          .collection('many')
          .aggregate([{ $group: { _id: '$v', all: { $push: '$s' } } }, { $sort: { _id: -1 } }])
          .toArray(),
    },
    {
      name: 'updateMany of 4,000 documents',
      prepare: async () => undefined,
      run: (db) => db.collection<Row>('many').updateMany({ _id: { $lt: 4000 } }, { $inc: { v: 1 } }),
    },
  ];
}

export interface Probe {
  readonly command: string;
  /** How long the long command took, ms. */
  readonly longMs: number;
  readonly pingMs: number[];
  readonly findMs: number[];
  /** Quick answers that came while the long command was still running. */
  readonly answeredDuring: number;
  /** Finds by `_id` that did not see the document written just before the long command. */
  readonly missedMarks: number;
}

/** Runs `command` on `slow` and, until it is done, a ping then a find by `_id` on `quick`, again and again. */
export async function probe(slowClient: MongoClient, slow: Db, quick: Db, command: LongCommand): Promise<Probe> {
  await command.prepare(slow);
  const mark = `${command.name} ${Date.now()}`;
  await quick.collection<{ _id: string }>('marks').updateOne({ _id: 'mark' }, { $set: { mark } }, { upsert: true });
  let done = false;
  // The probes start once this process's driver has encoded the long command and written it:
  // encoding a 40,000-document batch holds this thread, and that wait is the client's own.
  const sent = new Promise<void>((resolve) => slowClient.once('commandStarted', () => setImmediate(resolve)));
  const started = performance.now();
  const running = command.run(slow).finally(() => (done = true));
  await Promise.race([sent, running]);
  const pingMs: number[] = [];
  const findMs: number[] = [];
  let answeredDuring = 0;
  let missedMarks = 0;
  while (!done) {
    const a = performance.now();
    await quick.command({ ping: 1 });
    const b = performance.now();
    const found = await quick.collection<{ _id: string; mark?: string }>('marks').findOne({ _id: 'mark' });
    if (found?.mark !== mark) missedMarks++;
    findMs.push(performance.now() - b);
    pingMs.push(b - a);
    if (!done) answeredDuring++;
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  await running;
  return { command: command.name, longMs: performance.now() - started, pingMs, findMs, answeredDuring, missedMarks };
}

export async function probeAll(uri: string, docs: number, dbName: string): Promise<Probe[]> {
  const slowClient = await MongoClient.connect(uri, { monitorCommands: true });
  const quickClient = await MongoClient.connect(uri);
  try {
    const probes: Probe[] = [];
    for (const command of longCommands(docs)) probes.push(await probe(slowClient, slowClient.db(dbName), quickClient.db(dbName), command));
    await slowClient.db(dbName).dropDatabase();
    return probes;
  } finally {
    await slowClient.close();
    await quickClient.close();
  }
}

export function probeFigures(suite: string, where: string, probes: readonly Probe[], withTarget: boolean): Figure[] {
  const figures: Figure[] = [];
  const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
  for (const p of probes) {
    const worst = Math.max(0, ...p.pingMs, ...p.findMs);
    figures.push({
      suite,
      name: `${where}, during the ${p.command} (${Math.round(p.longMs)} ms): ping p50`,
      value: percentile(sorted(p.pingMs), 50),
      unit: 'ms',
    });
    figures.push({ suite, name: `${where}, during the ${p.command}: find by _id p50`, value: percentile(sorted(p.findMs), 50), unit: 'ms' });
    figures.push({
      suite,
      name: `${where}, during the ${p.command}: slowest ping or find (${p.pingMs.length} of each)`,
      value: worst,
      unit: 'ms',
      ...(withTarget ? { target: `≤ ${RESPONSIVE_MS} ms`, pass: worst <= RESPONSIVE_MS } : {}),
    });
  }
  return figures;
}

export async function responsivenessBench(options: { docs: number }): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadragon-bench-responsive-'));
  const engine = await startEngineProcess(['--data-dir', dataDir]);
  let threaded: Probe[];
  try {
    threaded = await probeAll(engine.uri, options.docs, 'bench_responsive');
  } finally {
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  figures.push(...probeFigures('responsiveness', 'engine threads', threaded, true));
  // The engine in this thread: the client and every command share one event loop, as all
  // clients shared the engine's one thread before the front.
  const { startEngine } = await import('../src/db/embedded/in-process.js');
  const inThreadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadragon-bench-responsive-'));
  const inThread = await startEngine({ dataDir: inThreadDir });
  let oneThread: Probe[];
  try {
    oneThread = await probeAll(inThread.uri, options.docs, 'bench_responsive');
  } finally {
    await inThread.stop();
    fs.rmSync(inThreadDir, { recursive: true, force: true });
  }
  figures.push(...probeFigures('responsiveness', 'one thread', oneThread, false));
  for (let i = 0; i < threaded.length; i++) {
    const before = Math.max(0, ...oneThread[i]!.pingMs);
    const after = Math.max(0, ...threaded[i]!.pingMs);
    figures.push({
      suite: 'responsiveness',
      name: `slowest ping, one thread ÷ engine threads, during the ${threaded[i]!.command}`,
      value: after > 0 ? before / after : 0,
      unit: '×',
    });
  }
  return figures;
}
