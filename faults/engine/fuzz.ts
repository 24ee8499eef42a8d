/**
 * The seeded fuzzer: batches of malformed frames and random commands, each on a connection of
 * its own and 20 at a time, against an in-memory engine. Every frame must be answered or its
 * connection closed within a second (an incomplete message: within the engine's idle timeout
 * and a second); a well-formed command must be answered, not dropped. After each batch the
 * engine must answer a ping and still hold exactly the data written before the attack.
 * FAULTS_SEED replays a run (the seed is in the figures).
 */
import { MongoClient } from 'mongodb';
import type { FaultReport, Figure } from '../report.js';
import { rssMiB, seededRandom, startEngineProcess } from './engine-process.js';
import { randomFrame, type Frame } from './frames.js';
import { sendOnce, type Outcome } from './raw-socket.js';

const SUITE = 'engine';
const BATCH = 200;
const PARALLEL = 20;
const ANSWER_BOUND_MS = 1000;
/** The engine's default idle timeout for a message that stops arriving, plus the same second. */
const STALL_BOUND_MS = 2000 + 1000;
const CHECK_DOCS = 500;

async function checkEngine(client: MongoClient): Promise<string | undefined> {
  const started = performance.now();
  const ping = await client
    .db('admin')
    .command({ ping: 1 })
    .catch((error: Error) => error);
  if (ping instanceof Error) return `ping failed: ${ping.message}`;
  if (performance.now() - started > ANSWER_BOUND_MS) return `ping took ${(performance.now() - started).toFixed(0)} ms`;
  const docs = client.db('faults_check').collection<{ _id: number; v: number }>('docs');
  const [summary] = await docs.aggregate<{ n: number; sum: number }>([{ $group: { _id: null, n: { $sum: 1 }, sum: { $sum: '$v' } } }]).toArray();
  if (summary?.n !== CHECK_DOCS || summary.sum !== (CHECK_DOCS * (CHECK_DOCS - 1)) / 2) return `the checked data changed: ${JSON.stringify(summary)}`;
  await docs.insertOne({ _id: -1, v: 0 });
  const back = await docs.findOne({ _id: -1 });
  await docs.deleteOne({ _id: -1 });
  if (back?.v !== 0) return 'a document written after the batch did not read back';
  return undefined;
}

export async function fuzzScenario(until: number, log: (line: string) => void): Promise<FaultReport> {
  const figures: Figure[] = [];
  const failures: string[] = [];
  const seed = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = seededRandom(seed);
  const engine = await startEngineProcess(['--in-memory']);
  const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 5000 });
  const outcomes = new Map<string, number>();
  let frames = 0;
  let batches = 0;
  let slowestAnswer = 0;
  let slowestStall = 0;
  try {
    await client
      .db('faults_check')
      .collection<{ _id: number; v: number }>('docs')
      .insertMany(Array.from({ length: CHECK_DOCS }, (_, i) => ({ _id: i, v: i })));
    while (Date.now() < until && failures.length < 20) {
      const batch: Frame[] = Array.from({ length: BATCH }, () => randomFrame(random));
      const results: Outcome[] = new Array(batch.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < batch.length) {
          const index = next++;
          const frame = batch[index]!;
          results[index] = await sendOnce(engine.uri, frame.bytes, (frame.expect === 'stall' ? STALL_BOUND_MS : ANSWER_BOUND_MS) + 500);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      batch.forEach((frame, index) => {
        const outcome = results[index]!;
        const label = `seed ${seed}, batch ${batches}, frame ${index} (${frame.kind})`;
        outcomes.set(outcome.kind, (outcomes.get(outcome.kind) ?? 0) + 1);
        if (frame.expect === 'stall') slowestStall = Math.max(slowestStall, outcome.ms);
        else slowestAnswer = Math.max(slowestAnswer, outcome.ms);
        const bound = frame.expect === 'stall' ? STALL_BOUND_MS : ANSWER_BOUND_MS;
        if (outcome.kind === 'timeout' || outcome.ms > bound) failures.push(`${label}: neither answered nor closed within ${bound} ms`);
        else if (frame.expect === 'reply' && outcome.kind !== 'reply')
          failures.push(`${label}: a well-formed command got its connection ${outcome.kind} instead of a reply`);
        else if (frame.expect === 'stall' && outcome.kind === 'reply') failures.push(`${label}: an incomplete message was answered`);
      });
      frames += batch.length;
      batches++;
      const problem = await checkEngine(client);
      if (problem) {
        failures.push(`seed ${seed}, after batch ${batches - 1}: ${problem}`);
        break;
      }
    }
    log(`fuzzer: seed ${seed}, ${frames} frames in ${batches} batches, ${failures.length} failures`);
    figures.push({ suite: SUITE, name: 'fuzzer: seed (FAULTS_SEED replays it)', value: seed, unit: '' });
    figures.push({ suite: SUITE, name: 'fuzzer: frames sent', value: frames, unit: 'frames' });
    figures.push({ suite: SUITE, name: 'fuzzer: batches, engine checked after each', value: batches, unit: 'batches' });
    for (const [kind, count] of outcomes)
      figures.push({ suite: SUITE, name: `fuzzer: frames ${kind === 'reply' ? 'answered' : kind}`, value: count, unit: 'frames' });
    figures.push({
      suite: SUITE,
      name: 'fuzzer: slowest answer or close',
      value: slowestAnswer,
      unit: 'ms',
      target: `≤ ${ANSWER_BOUND_MS} ms`,
      pass: slowestAnswer <= ANSWER_BOUND_MS,
    });
    figures.push({
      suite: SUITE,
      name: 'fuzzer: slowest close of an incomplete message',
      value: slowestStall,
      unit: 'ms',
      target: `≤ ${STALL_BOUND_MS} ms`,
      pass: slowestStall <= STALL_BOUND_MS,
    });
    figures.push({ suite: SUITE, name: 'fuzzer: engine memory after (RSS)', value: rssMiB(engine.child.pid), unit: 'MiB' });
  } finally {
    await client.close().catch(() => undefined);
    await engine.stop();
  }
  return { figures, failures };
}
