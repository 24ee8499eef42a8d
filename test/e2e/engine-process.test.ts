/**
 * The engine as its own process (`datadragon db`): durability across SIGKILL, the data
 * directory lock, clean shutdown. Engine-only by nature: these start engines themselves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startDbProcess, type RunningEngine } from '../helpers/cli.js';

const running: RunningEngine[] = [];
afterEach(() => {
  for (const engine of running.splice(0)) engine.child.kill('SIGKILL');
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dd-engine-'));
}

async function start(args: string[]): Promise<RunningEngine> {
  const engine = await startDbProcess(args);
  running.push(engine);
  return engine;
}

describe('datadragon db', () => {
  it('keeps every write acknowledged as journaled (j: true) across a SIGKILL', async () => {
    const dataDir = tempDir();
    const first = await start(['--data-dir', dataDir, '--port', '0']);
    const client = await MongoClient.connect(first.uri);
    const coll = client.db('shop').collection('orders');
    // As with mongod, the default write concern acknowledges a write once applied in memory
    // and journals it moments later; `j: true` waits for the journal.
    const journaled = { writeConcern: { j: true } };
    await coll.createIndex({ email: 1 }, { unique: true, ...journaled });
    await coll.insertMany(
      Array.from({ length: 5000 }, (_, i) => ({ i, email: `u${i}@x.br` })),
      journaled,
    );
    await coll.updateOne({ i: 7 }, { $set: { paid: true } }, journaled);
    await coll.deleteMany({ i: { $gte: 4990 } }, journaled);
    await client.close();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start(['--data-dir', dataDir, '--port', '0']);
    const again = await MongoClient.connect(second.uri);
    const reopened = again.db('shop').collection('orders');
    expect(await reopened.countDocuments()).toBe(4990);
    expect(await reopened.findOne({ i: 7 })).toMatchObject({ paid: true, email: 'u7@x.br' });
    // the unique index came back with the data
    await expect(reopened.insertOne({ email: 'u1@x.br' })).rejects.toMatchObject({ code: 11000 });
    await again.close();
  });

  it('answers a j: true write that changes nothing after a large $out failed half-way', async () => {
    const first = await start(['--data-dir', tempDir(), '--port', '0']);
    // A hung engine shows up as a socket timeout here, not as a hung test.
    const client = await MongoClient.connect(first.uri, { socketTimeoutMS: 30_000 });
    const coll = client.db('shop').collection<{ _id: number; filler: string }>('source');
    const filler = 'q'.repeat(64 * 1024);
    await coll.insertMany(Array.from({ length: 700 }, (_, i) => ({ _id: i, filler })));
    // ~45 MB reach the journal before the duplicate _id at the end fails the $out
    const failing = [{ $sort: { _id: 1 } }, { $project: { _id: { $cond: [{ $eq: ['$_id', 699] }, 0, '$_id'] }, filler: 1 } }, { $out: 'copy' }];
    await expect(coll.aggregate(failing).toArray()).rejects.toMatchObject({ code: 11000 });
    const result = await coll.updateOne({ _id: -1 }, { $set: { filler: '' } }, { writeConcern: { j: true } });
    expect(result.matchedCount).toBe(0);
    await client.close();
  });

  it('refuses a second engine on the same data directory, naming the running one', async () => {
    const dataDir = tempDir();
    const first = await start(['--data-dir', dataDir, '--port', '0']);
    const second = await runCli(['db', '--data-dir', dataDir, '--port', '0'], { timeoutMs: 20_000 });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain('in use by another datadragon engine');
    expect(second.stderr).toContain(first.uri);
  });

  it('stops cleanly on SIGTERM: data flushed, lock released', async () => {
    const dataDir = tempDir();
    const engine = await start(['--data-dir', dataDir, '--port', '0']);
    const client = await MongoClient.connect(engine.uri);
    await client.db('a').collection('b').insertOne({ kept: true });
    await client.close();
    engine.child.kill('SIGTERM');
    expect((await engine.exited).code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
    const next = await start(['--data-dir', dataDir, '--port', '0']);
    const again = await MongoClient.connect(next.uri);
    expect(
      await again
        .db('a')
        .collection('b')
        .findOne({}, { projection: { _id: 0 } }),
    ).toEqual({ kept: true });
    await again.close();
  });

  it('takes over the lock of an engine that was killed', async () => {
    const dataDir = tempDir();
    const first = await start(['--data-dir', dataDir, '--port', '0']);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await start(['--data-dir', dataDir, '--port', '0']);
    expect(second.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('keeps its lock file readable by its owner only', async () => {
    const dataDir = tempDir();
    await start(['--data-dir', dataDir, '--port', '0']);
    expect(fs.statSync(path.join(dataDir, 'engine.lock')).mode & 0o777).toBe(0o600);
  });

  it.runIf(fs.existsSync('/proc/self/stat'))('starts over a stale lock whose pid now belongs to another live process', async () => {
    const dataDir = tempDir();
    const stranger = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => stranger.once('spawn', resolve));
      // as an engine killed long ago left it, its pid since reused by an unrelated process
      fs.writeFileSync(
        path.join(dataDir, 'engine.lock'),
        JSON.stringify({ pid: stranger.pid, startedAt: '2020-01-01T00:00:00.000Z', token: 'old', processStart: '1', uri: 'mongodb://127.0.0.1:1/' }),
      );
      const engine = await start(['--data-dir', dataDir, '--port', '0']);
      expect(engine.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('off loopback it requires authentication: a generated password, printed once, and nothing runs without it', async () => {
    const engine = await start(['--host', '0.0.0.0', '--port', '0', '--in-memory']);
    const deadline = Date.now() + 10_000;
    while (!/generated password/.test(engine.output()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const password = /generated password[^:]*: (\S+)/.exec(engine.output())?.[1];
    expect(password).toBeDefined();
    expect(engine.output().split(password!).length - 1).toBe(2); // the password line and the connect line, nothing else
    const port = Number(/:(\d+)\/$/.exec(engine.uri)![1]);
    const anonymous = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 5000 });
    try {
      await expect(anonymous.db('shop').collection('items').findOne({})).rejects.toMatchObject({ code: 13 });
    } finally {
      await anonymous.close();
    }
    const owner = await MongoClient.connect(`mongodb://datadragon:${encodeURIComponent(password!)}@127.0.0.1:${port}/?authSource=admin`, {
      serverSelectionTimeoutMS: 5000,
    });
    try {
      await owner.db('shop').collection('items').insertOne({ ok: true });
      expect(await owner.db('shop').collection('items').countDocuments()).toBe(1);
    } finally {
      await owner.close();
    }
  });

  it('--auth on loopback takes the credentials from the environment', async () => {
    const engine = await startDbProcess(['--auth', '--port', '0', '--in-memory'], { DATADRAGON_DB_USER: 'ops', DATADRAGON_DB_PASSWORD: 'from the env' });
    running.push(engine);
    const port = Number(/:(\d+)\/$/.exec(engine.uri)![1]);
    const wrong = await MongoClient.connect(`mongodb://ops:nope@127.0.0.1:${port}/?authSource=admin`, { serverSelectionTimeoutMS: 5000 }).catch(
      (e: unknown) => e,
    );
    expect(wrong).toMatchObject({ code: 18 });
    const client = await MongoClient.connect(`mongodb://ops:${encodeURIComponent('from the env')}@127.0.0.1:${port}/?authSource=admin`, {
      serverSelectionTimeoutMS: 5000,
    });
    expect(await client.db('admin').command({ connectionStatus: 1 })).toMatchObject({ authInfo: { authenticatedUsers: [{ user: 'ops', db: 'admin' }] } });
    await client.close();
    expect(engine.output()).not.toContain('from the env');
  });

  it('--in-memory keeps nothing and --data-dir with --in-memory is refused', async () => {
    const both = await runCli(['db', '--in-memory', '--data-dir', tempDir()]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exclude each other');
    const badPort = await runCli(['db', '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port');
  });
});
