/**
 * kill -9 of a durable engine, again and again, under four writers that each pick a random
 * write concern per insert (`j: true`, `w: 1`, the default, `w: 0`). After every restart each
 * write acknowledged with `j: true` must be there, and so must every acknowledged default write
 * older than the engine's stated durability bound (100 ms) at the moment of the kill.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type WriteConcernSettings } from 'mongodb';
import type { FaultReport, Figure } from '../report.js';
import { seededRandom, startEngineProcess, type EngineProcess } from './engine-process.js';

const SUITE = 'engine';
const WRITERS = 4;
/** Default-concern writes reach the journal within this bound (README, "Durability"). */
const DEFAULT_DURABILITY_MS = 100;
const CONCERNS: { name: string; concern: WriteConcernSettings | undefined; journaled: boolean; acknowledged: boolean }[] = [
  { name: 'j: true', concern: { w: 1, j: true }, journaled: true, acknowledged: true },
  { name: 'w: 1', concern: { w: 1 }, journaled: false, acknowledged: true },
  { name: 'default', concern: undefined, journaled: false, acknowledged: true },
  { name: 'w: 0', concern: { w: 0 }, journaled: false, acknowledged: false },
];

interface Acked {
  id: string;
  journaled: boolean;
  at: number;
  cycle: number;
}

async function writer(engine: EngineProcess, cycle: number, index: number, random: () => number, acked: Acked[]): Promise<void> {
  const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 2000, retryWrites: false, maxPoolSize: 1 });
  const docs = client.db('faults_kill9').collection<{ _id: string; pad: string }>('docs');
  try {
    for (let seq = 0; ; seq++) {
      const choice = CONCERNS[Math.floor(random() * CONCERNS.length)]!;
      const id = `${cycle}.${index}.${seq}`;
      await docs.insertOne({ _id: id, pad: 'x'.repeat(Math.floor(random() * 2000)) }, choice.concern ? { writeConcern: choice.concern } : {});
      if (choice.acknowledged) acked.push({ id, journaled: choice.journaled, at: Date.now(), cycle });
    }
  } catch {
    // the engine was killed under it
  } finally {
    await client.close(true).catch(() => undefined);
  }
}

export async function kill9Scenario(until: number, log: (line: string) => void): Promise<FaultReport> {
  const figures: Figure[] = [];
  const failures: string[] = [];
  const seed = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = seededRandom(seed);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadragon-faults-kill9-'));
  const acked: Acked[] = [];
  const killedAt: number[] = [];
  let restartMax = 0;
  let cycles = 0;
  let checkedJournaled = 0;
  let checkedDefault = 0;
  let lostJournaled = 0;
  let lostDefault = 0;
  const verify = async (engine: EngineProcess): Promise<void> => {
    const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      const present = new Set(
        (
          await client
            .db('faults_kill9')
            .collection<{ _id: string }>('docs')
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map((d) => d._id),
      );
      for (const write of acked) {
        const killed = killedAt[write.cycle]!;
        const due = write.journaled || write.at < killed - DEFAULT_DURABILITY_MS;
        if (!due) continue;
        if (write.journaled) checkedJournaled++;
        else checkedDefault++;
        if (present.has(write.id)) continue;
        if (write.journaled) lostJournaled++;
        else lostDefault++;
        if (failures.length < 20)
          failures.push(
            `kill -9 (seed ${seed}): the ${write.journaled ? 'j: true' : 'default'} write ${write.id}, acknowledged ${killed - write.at} ms before the kill, is gone after the restart`,
          );
      }
    } finally {
      await client.close();
    }
  };
  try {
    do {
      const starting = performance.now();
      const engine = await startEngineProcess(['--data-dir', dataDir]);
      restartMax = Math.max(restartMax, performance.now() - starting);
      const writers = Array.from({ length: WRITERS }, (_, index) => writer(engine, cycles, index, random, acked));
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 1200)));
      killedAt[cycles] = await engine.kill9();
      await Promise.all(writers);
      cycles++;
    } while (Date.now() < until - 8_000 && cycles < 50);
    const engine = await startEngineProcess(['--data-dir', dataDir]);
    try {
      await verify(engine);
    } finally {
      await engine.stop();
    }
    log(`kill -9: ${cycles} cycles, ${checkedJournaled} j:true and ${checkedDefault} default writes checked, ${lostJournaled + lostDefault} lost`);
    figures.push({ suite: SUITE, name: 'kill -9: cycles under 4 writers', value: cycles, unit: 'kills' });
    figures.push({ suite: SUITE, name: 'kill -9: acknowledged j: true writes checked', value: checkedJournaled, unit: 'writes' });
    figures.push({ suite: SUITE, name: 'kill -9: j: true writes lost', value: lostJournaled, unit: 'writes', target: '= 0', pass: lostJournaled === 0 });
    figures.push({ suite: SUITE, name: `kill -9: default writes older than ${DEFAULT_DURABILITY_MS} ms checked`, value: checkedDefault, unit: 'writes' });
    figures.push({
      suite: SUITE,
      name: `kill -9: default writes older than ${DEFAULT_DURABILITY_MS} ms lost`,
      value: lostDefault,
      unit: 'writes',
      target: '= 0',
      pass: lostDefault === 0,
    });
    figures.push({ suite: SUITE, name: 'kill -9: slowest restart (process start to listening)', value: restartMax, unit: 'ms' });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, failures };
}
