/**
 * The engine's caps and timeouts at its edges, on engines of the tests' own (small caps, short
 * timeouts): open connections, messages that stop arriving (slowloris), replies over 16 MiB.
 * Engine only by nature: mongod has no such caps, and these start engines themselves.
 */
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EmbeddedEngine } from '../../../src/db/embedded/in-process.js';
import { opMsg, opQuery, RawConnection } from './raw-wire.js';
import type { AnyDoc } from './support.js';

const engines: EmbeddedEngine[] = [];
const raws: RawConnection[] = [];

async function engine(options: Parameters<typeof startEngine>[0]): Promise<EmbeddedEngine> {
  const started = await startEngine({ port: 0, ...options });
  engines.push(started);
  return started;
}

async function raw(uri: string): Promise<RawConnection> {
  const connection = await RawConnection.open(uri);
  raws.push(connection);
  return connection;
}

afterEach(async () => {
  for (const connection of raws.splice(0)) connection.end();
  for (const started of engines.splice(0)) await started.stop();
});

describe('open connections', () => {
  it('one over the cap gets an error reply saying what to do, then its connection is closed; others carry on', async () => {
    const e = await engine({ maxConnections: 3 });
    const held = await Promise.all([raw(e.uri), raw(e.uri), raw(e.uri)]);
    for (const connection of held) expect(await connection.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
    const extra = await raw(e.uri);
    await extra.write(opQuery({ isMaster: 1 }));
    const refused = await extra.next();
    expect(refused).toMatchObject({ kind: 'reply', doc: { ok: 0, code: 96 } });
    expect(refused.kind === 'reply' && refused.doc.errmsg).toMatch(/3 connections open.*--max-connections/);
    expect(await extra.waitClosed()).toBe(true);
    for (const connection of held) expect(await connection.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
    held[0]!.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await raw(e.uri);
    expect(await next.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
  });

  it('the driver reports the refusal', async () => {
    const e = await engine({ maxConnections: 1 });
    const holder = await raw(e.uri);
    expect(await holder.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
    const error = await MongoClient.connect(e.uri, { serverSelectionTimeoutMS: 1500 }).catch((err: unknown) => err);
    expect(String(error)).toMatch(/connections open/);
  });
});

describe('messages that stop arriving', () => {
  it('a partial header, or a body that never completes, is closed after the idle timeout', async () => {
    const e = await engine({ frameIdleTimeoutMs: 300 });
    const header = await raw(e.uri);
    await header.write(opMsg({ ping: 1, $db: 'admin' }).subarray(0, 2));
    const body = await raw(e.uri);
    const whole = opMsg({ ping: 1, $db: 'admin' });
    await body.write(whole.subarray(0, whole.length - 3));
    const started = Date.now();
    expect(await header.waitClosed(1500)).toBe(true);
    expect(await body.waitClosed(1500)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1300);
    const fine = await raw(e.uri);
    expect(await fine.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
  });

  it('a slow sender that keeps sending is answered; one that trickles past the deadline is closed', async () => {
    const e = await engine({ frameIdleTimeoutMs: 300, frameDeadlineMs: 1200 });
    const slow = await raw(e.uri);
    const message = opMsg({ ping: 1, $db: 'admin' }, { requestId: 5 });
    for (let i = 0; i < message.length; i += 8) {
      await slow.write(message.subarray(i, i + 8));
      await new Promise((resolve) => setTimeout(resolve, 40)); // well within the idle timeout
    }
    expect(await slow.next()).toMatchObject({ kind: 'reply', responseTo: 5, doc: { ok: 1 } });
    const trickle = await raw(e.uri);
    let closedAt = 0;
    const started = Date.now();
    for (const byte of message) {
      if (!(await trickle.write(Buffer.from([byte]))) || trickle.closed) break;
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (trickle.closed) break;
    }
    if (trickle.closed || (await trickle.waitClosed(1000))) closedAt = Date.now();
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt - started).toBeLessThan(2500);
  });

  it('a long command holding the engine does not get a patient client closed', async () => {
    const e = await engine({ frameIdleTimeoutMs: 100 });
    const patient = await raw(e.uri);
    const whole = opMsg({ ping: 1, $db: 'admin' }, { requestId: 9 });
    await patient.write(whole.subarray(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the engine has read the first part
    // The rest is on its way while the engine (this very thread: it runs in-process here) is held
    // by a long synchronous command, past the idle timeout; it reads the rest only afterwards.
    void patient.write(whole.subarray(10));
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // a long command
    }
    expect(await patient.next()).toMatchObject({ kind: 'reply', responseTo: 9, doc: { ok: 1 } });
  });
});

describe('replies over 16 MiB', () => {
  it('an aggregate result document over 16 MiB is 10334 BSONObjectTooLarge, and the connection stays usable', async () => {
    const e = await engine({});
    const client = await MongoClient.connect(e.uri);
    try {
      const c = client.db('t').collection<AnyDoc>('big');
      const chunk = 'x'.repeat(1024 * 1024);
      await c.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, chunk })));
      const error = await c
        .aggregate([{ $group: { _id: null, all: { $push: '$chunk' } } }])
        .toArray()
        .catch((err: unknown) => err);
      expect(error).toMatchObject({ code: 10334, codeName: 'BSONObjectTooLarge' });
      expect(String((error as Error).message)).toMatch(/BSONObj size: \d+ .* is invalid/);
      expect(await c.countDocuments()).toBe(20);
    } finally {
      await client.close();
    }
  });
});
