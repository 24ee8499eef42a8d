/**
 * A durable engine on a filesystem that fills up: a 48 MiB tmpfs (mounting one needs root;
 * otherwise the scenario is skipped, and says why). Writes are refused with an error reply
 * once the disk is full, never a crash or a dropped connection; the engine keeps answering,
 * reads included; once space is freed, a restart (after a kill -9) recovers, with every
 * acknowledged `j: true` write there. Whether writes resume without a restart is a figure: the
 * engine's contract is recovery by restart.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, MongoServerError } from 'mongodb';
import type { FaultReport, Figure } from '../report.js';
import { startEngineProcess, type EngineProcess } from './engine-process.js';

const SUITE = 'engine';
const TMPFS_MIB = 48;
const BALLAST_MIB = 16;
const DOC_BYTES = 256 * 1024;

function skipped(reason: string, log: (line: string) => void): FaultReport {
  log(`disk full: skipped: ${reason}`);
  return { figures: [{ suite: SUITE, name: `disk full: skipped (${reason})`, value: 0, unit: 'runs' }], failures: [] };
}

export async function diskFullScenario(until: number, log: (line: string) => void): Promise<FaultReport> {
  if (process.platform !== 'linux') return skipped('a tmpfs mount needs Linux', log);
  if (process.getuid?.() !== 0) return skipped(`mounting a small tmpfs needs root; running as uid ${process.getuid?.()}`, log);
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'datadragon-faults-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MIB}m`, 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    fs.rmSync(mountPoint, { recursive: true, force: true });
    return skipped(`mount -t tmpfs failed (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`, log);
  }
  const figures: Figure[] = [];
  const failures: string[] = [];
  let engine: EngineProcess | undefined;
  try {
    const ballast = path.join(mountPoint, 'ballast');
    fs.writeFileSync(ballast, Buffer.alloc(BALLAST_MIB * 1024 * 1024, 1));
    const dataDir = path.join(mountPoint, 'data');
    engine = await startEngineProcess(['--data-dir', dataDir]);
    const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 10_000, retryWrites: false });
    const docs = client.db('faults_full').collection<{ _id: number; pad: string }>('docs');
    const acked: number[] = [];
    let refusal: unknown;
    const pad = 'x'.repeat(DOC_BYTES);
    for (let id = 0; Date.now() < until && id < 10_000; id++) {
      try {
        await docs.insertOne({ _id: id, pad }, { writeConcern: { w: 1, j: true } });
        acked.push(id);
      } catch (error) {
        refusal = error;
        break;
      }
    }
    figures.push({
      suite: SUITE,
      name: `disk full: j: true documents of ${DOC_BYTES / 1024} KiB written before the ${TMPFS_MIB} MiB disk filled`,
      value: acked.length,
      unit: 'docs',
    });
    if (refusal === undefined) failures.push(`disk full: the disk never filled (${acked.length} documents written)`);
    else if (!(refusal instanceof MongoServerError)) failures.push(`disk full: the write was not refused with an error reply but: ${String(refusal)}`);
    else log(`disk full: refused with ${refusal.code} ${refusal.codeName}: ${refusal.message.slice(0, 160)}`);
    const ping = await client
      .db('admin')
      .command({ ping: 1 })
      .catch((error: Error) => error);
    if (ping instanceof Error) failures.push(`disk full: the engine no longer answers a ping: ${ping.message}`);
    const reads: [string, () => Promise<unknown>][] = [
      ['find', () => docs.find({}, { projection: { _id: 1 } }).toArray()],
      ['count', () => docs.estimatedDocumentCount()],
      ['countDocuments (aggregate)', () => docs.countDocuments({})],
      ['distinct', () => docs.distinct('_id')],
    ];
    let readsOk = 0;
    for (const [name, read] of reads) {
      const result = await read().catch((error: Error) => error);
      if (result instanceof Error) failures.push(`disk full: a read (${name}) failed while the disk was full: ${result.message.slice(0, 160)}`);
      else readsOk++;
    }
    figures.push({
      suite: SUITE,
      name: 'disk full: reads answered while full',
      value: readsOk,
      unit: `of ${reads.length}`,
      target: `= ${reads.length}`,
      pass: readsOk === reads.length,
    });
    fs.rmSync(ballast);
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      try {
        await docs.insertOne({ _id: -1 - attempt, pad: 'after' }, { writeConcern: { w: 1, j: true } });
        recovered = true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    figures.push({ suite: SUITE, name: 'disk full: writes resume without a restart once space is freed', value: recovered ? 1 : 0, unit: 'yes' });
    await client.close(true).catch(() => undefined);
    await engine.kill9();
    engine = undefined;
    try {
      engine = await startEngineProcess(['--data-dir', dataDir]);
    } catch (error) {
      failures.push(
        `disk full: with space freed again, the engine did not restart after kill -9: ${String((error as Error).message)
          .split('\n')
          .slice(0, 3)
          .join(' ')}`,
      );
      figures.push({ suite: SUITE, name: 'disk full: restarts after kill -9 once space is freed', value: 0, unit: 'yes', target: '= 1', pass: false });
      return { figures, failures };
    }
    figures.push({ suite: SUITE, name: 'disk full: restarts after kill -9 once space is freed', value: 1, unit: 'yes', target: '= 1', pass: true });
    const again = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      const present = new Set(
        (
          await again
            .db('faults_full')
            .collection<{ _id: number }>('docs')
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map((d) => d._id),
      );
      const lost = acked.filter((id) => !present.has(id));
      if (lost.length) failures.push(`disk full: ${lost.length} acknowledged j: true writes are gone after kill -9 and a restart (e.g. _id ${lost[0]})`);
      figures.push({
        suite: SUITE,
        name: 'disk full: j: true writes lost after kill -9 and restart',
        value: lost.length,
        unit: 'writes',
        target: '= 0',
        pass: lost.length === 0,
      });
    } finally {
      await again.close();
    }
  } finally {
    await engine?.stop().catch(() => undefined);
    try {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    } catch {
      // left mounted: reported by the next mount attempt's failure
    }
    fs.rmSync(mountPoint, { recursive: true, force: true });
  }
  return { figures, failures };
}
