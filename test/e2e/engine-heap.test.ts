/**
 * A durable engine's heap is bounded (storage/cache-size.ts): a command that needs more than
 * the cache plus DATADRAGON_COMMAND_HEAP_MIB stops the engine — `datadragon db` exits non-zero
 * saying what to set, instead of hanging with a dead thread — and what was committed before is
 * there at the next start. Engine-only by nature: it starts and starves an engine itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDbProcess, type RunningEngine } from '../helpers/cli.js';

const running: RunningEngine[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const engine of running.splice(0)) engine.child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a durable engine out of heap', () => {
  it('exits with what to set, and keeps what it had committed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-heap-'));
    dirs.push(dataDir);
    const args = ['--data-dir', dataDir, '--port', '0', '--cache-size', '4KiB'];
    const engine = await startDbProcess(args, { DATADRAGON_COMMAND_HEAP_MIB: '64' });
    running.push(engine);
    const client = await MongoClient.connect(engine.uri, { retryWrites: false, serverSelectionTimeoutMS: 5000 });
    const docs = client.db('shop').collection('docs');
    // About 60 MB in batches: each insert fits; holding them all at once does not.
    for (let batch = 0; batch < 30; batch++) {
      await docs.insertMany(
        Array.from({ length: 2000 }, (_, i) => ({ batch, i, filler: 'h'.repeat(1000) })),
        { writeConcern: { j: true } },
      );
    }
    await expect(docs.aggregate([{ $group: { _id: null, all: { $push: '$$ROOT' } } }]).toArray()).rejects.toThrow();
    const exit = await engine.exited;
    expect(exit.code).not.toBe(0);
    expect(engine.output()).toMatch(/DATADRAGON_COMMAND_HEAP_MIB/);
    await client.close(true).catch(() => undefined);

    const again = await startDbProcess(args);
    running.push(again);
    const reader = await MongoClient.connect(again.uri, { serverSelectionTimeoutMS: 5000 });
    expect(await reader.db('shop').collection('docs').countDocuments()).toBe(60_000);
    await reader.close();
  });
});
