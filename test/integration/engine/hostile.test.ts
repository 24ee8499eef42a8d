/**
 * Hostile and odd input on a raw socket: truncated messages, impossible lengths, unknown
 * opcodes and section kinds, invalid BSON, garbage. The engine answers with an error or closes
 * that one connection, never crashes or hangs, and keeps serving a normal driver client.
 * Engine only: a real mongod's reactions differ in detail (and an Atlas URI has TLS and auth).
 */
import { randomBytes } from 'node:crypto';
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri, onEmbeddedEngine } from '../../helpers/database.js';
import { OP_MSG, OP_REPLY, opMsg, opQuery, RawConnection, rawMessage } from './raw-wire.js';

let client: MongoClient;

beforeAll(async () => {
  client = await MongoClient.connect(mongoUri(), { serverSelectionTimeoutMS: 5000 });
});

afterAll(async () => {
  await client.close();
});

/** The engine still answers a normal driver client. */
async function engineIsFine(): Promise<void> {
  expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  const raw = await RawConnection.open(mongoUri());
  try {
    expect(await raw.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
  } finally {
    raw.end();
  }
}

/** Opens a raw connection, sends `bytes`, returns what the engine did (a reply, a close, or nothing). */
async function send(bytes: Buffer, timeoutMs = 1500): Promise<{ raw: RawConnection; outcome: Awaited<ReturnType<RawConnection['next']>> }> {
  const raw = await RawConnection.open(mongoUri());
  await raw.write(bytes);
  return { raw, outcome: await raw.next(timeoutMs) };
}

/** A BSON document whose first element has an invalid type byte. */
function invalidBson(): Buffer {
  const doc = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
  doc[4] = 0x42; // no such BSON element type
  return doc;
}

/** `{ a: { a: { ... {} } } }`, `depth` levels, encoded by hand (bson's serializer would overflow its own stack). */
function nested(depth: number): Buffer {
  const out = Buffer.alloc(8 * depth + 5); // zeros: the innermost {} and every level's terminator
  for (let i = 0; i < depth; i++) {
    out.writeInt32LE(5 + 8 * (depth - i), 7 * i);
    out.set([0x03, 0x61, 0x00], 7 * i + 4); // embedded document "a"
  }
  out.writeInt32LE(5, 7 * depth);
  return out;
}

/** `{ insert, $db, documents: [doc] }` around an already-encoded document. */
function insertBody(collection: string, db: string, doc: Buffer): Buffer {
  const head = Buffer.from(serialize({ insert: collection, $db: db }));
  const array = Buffer.concat([Buffer.alloc(4), Buffer.from([0x03, 0x30, 0x00]), doc, Buffer.from([0])]);
  array.writeInt32LE(array.length, 0);
  const out = Buffer.concat([head.subarray(0, -1), Buffer.from([0x04]), Buffer.from('documents\0', 'latin1'), array, Buffer.from([0])]);
  out.writeInt32LE(out.length, 0);
  return out;
}

describe.runIf(onEmbeddedEngine())('hostile input on a raw socket (engine only)', () => {
  it('sanity: a hand-made OP_MSG and the legacy OP_QUERY handshake are answered', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      await raw.write(opQuery({ isMaster: 1, helloOk: true, client: { driver: { name: 'raw', version: '0' } } }, 7));
      const hello = await raw.next();
      expect(hello).toMatchObject({ kind: 'reply', opCode: OP_REPLY, responseTo: 7, doc: { ok: 1, ismaster: true, maxWireVersion: 21 } });
      await raw.write(opMsg({ ping: 1, $db: 'admin' }, { requestId: 8 }));
      expect(await raw.next()).toMatchObject({ kind: 'reply', opCode: OP_MSG, responseTo: 8, flags: 0, doc: { ok: 1 } });
    } finally {
      raw.end();
    }
  });

  it('a truncated message, then the client hangs up', async () => {
    const whole = opMsg({ ping: 1, $db: 'admin' });
    const raw = await RawConnection.open(mongoUri());
    await raw.write(whole.subarray(0, whole.length - 5));
    expect((await raw.next(300)).kind).toBe('timeout'); // the engine waits for the rest
    raw.end();
    await engineIsFine();
  });

  it('a length field below 16 closes the connection', async () => {
    const bytes = Buffer.alloc(16);
    bytes.writeInt32LE(8, 0);
    const { raw, outcome } = await send(bytes);
    expect(outcome.kind).toBe('closed');
    raw.end();
    await engineIsFine();
  });

  it('a negative length field closes the connection', async () => {
    const { raw, outcome } = await send(rawMessage(OP_MSG, Buffer.alloc(8), -1));
    expect(outcome.kind).toBe('closed');
    raw.end();
    await engineIsFine();
  });

  it('a length field above 48 MB closes the connection', async () => {
    const { raw, outcome } = await send(rawMessage(OP_MSG, Buffer.alloc(64), 48_000_001));
    expect(outcome.kind).toBe('closed');
    raw.end();
    await engineIsFine();
  });

  it('an unknown opcode closes the connection', async () => {
    const { raw, outcome } = await send(rawMessage(4242, Buffer.from(serialize({ ping: 1 }))));
    expect(outcome.kind).toBe('closed');
    raw.end();
    await engineIsFine();
  });

  it('legacy OP_INSERT / OP_COMPRESSED (never sent by driver 6/7) close the connection', async () => {
    for (const opCode of [2002, 2012]) {
      const { raw, outcome } = await send(rawMessage(opCode, Buffer.alloc(40)));
      expect(outcome.kind).toBe('closed');
      raw.end();
    }
    await engineIsFine();
  });

  it('an OP_MSG with invalid BSON gets an error reply or a closed connection', async () => {
    const { raw, outcome } = await send(opMsg(invalidBson()));
    if (outcome.kind === 'reply') {
      expect(outcome.doc).toMatchObject({ ok: 0, code: 22, codeName: 'InvalidBSON' });
      // The connection is still usable after an error reply.
      expect(await raw.command({ ping: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
    } else {
      expect(outcome.kind).toBe('closed');
    }
    raw.end();
    await engineIsFine();
  });

  it('invalid BSON inside a kind-1 sequence gets an error reply or a closed connection', async () => {
    const { raw, outcome } = await send(opMsg({ insert: 'hostile', $db: 'dd_hostile' }, { sequences: { documents: [invalidBson()] } }));
    expect(['reply', 'closed']).toContain(outcome.kind);
    if (outcome.kind === 'reply') expect(outcome.doc.ok).toBe(0);
    raw.end();
    await engineIsFine();
    expect(await client.db('dd_hostile').collection('hostile').countDocuments()).toBe(0);
  });

  it('a BSON body whose own length overruns the message closes the connection', async () => {
    const body = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    body.writeInt32LE(body.length + 100, 0);
    const { raw, outcome } = await send(opMsg(body));
    expect(outcome.kind).toBe('closed');
    raw.end();
    await engineIsFine();
  });

  it('a kind-1 section with a bad size closes the connection', async () => {
    const good = opMsg({ insert: 'hostile', $db: 'dd_hostile' }, { sequences: { documents: [{ a: 1 }] } });
    const sizeAt = 16 + 4 + 1 + serialize({ insert: 'hostile', $db: 'dd_hostile' }).length + 1;
    for (const size of [good.length * 2, 3, -7]) {
      const bad = Buffer.from(good);
      bad.writeInt32LE(size, sizeAt);
      const { raw, outcome } = await send(bad);
      expect(outcome.kind, `size ${size}`).toBe('closed');
      raw.end();
    }
    await engineIsFine();
  });

  it('an unknown section kind, or an OP_MSG without a body, closes the connection', async () => {
    const flags = Buffer.alloc(4);
    for (const payload of [Buffer.concat([flags, Buffer.from([7]), Buffer.from(serialize({ ping: 1 }))]), flags]) {
      const { raw, outcome } = await send(rawMessage(OP_MSG, payload));
      expect(outcome.kind).toBe('closed');
      raw.end();
    }
    await engineIsFine();
  });

  it('a document nested 100,000 levels deep is refused, and not stored', async () => {
    const { raw, outcome } = await send(opMsg(insertBody('deep', 'dd_hostile', nested(100_000))), 5000);
    expect(['reply', 'closed']).toContain(outcome.kind);
    if (outcome.kind === 'reply') expect(outcome.doc.ok === 0 || outcome.doc.writeErrors?.[0]?.code === 15).toBe(true);
    raw.end();
    await engineIsFine();
    expect(await client.db('dd_hostile').collection('deep').countDocuments()).toBe(0);
  });

  it('an invalid database name is an error reply (73 InvalidNamespace)', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      expect(await raw.command({ insert: 'x', documents: [{ a: 1 }], $db: 'bad/name' })).toMatchObject({ ok: 0, code: 73, codeName: 'InvalidNamespace' });
    } finally {
      raw.end();
    }
    await engineIsFine();
  });

  it('an empty command document is an error reply', async () => {
    const { raw, outcome } = await send(opMsg({}));
    expect(outcome).toMatchObject({ kind: 'reply', doc: { ok: 0 } });
    raw.end();
    await engineIsFine();
  });

  it('an OP_QUERY with a broken collection name or document closes the connection', async () => {
    const good = opQuery({ ping: 1 });
    const noTerminator = Buffer.from(good);
    noTerminator.fill(0x41, 20); // everything after the flags: no cstring terminator, no document
    const { raw, outcome } = await send(noTerminator);
    expect(outcome.kind).toBe('closed');
    raw.end();
    await engineIsFine();
  });

  it('garbage bytes (an HTTP request, random noise) close the connection', async () => {
    const http = await send(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    expect(http.outcome.kind).toBe('closed');
    http.raw.end();
    for (let i = 0; i < 20; i++) {
      const noise = randomBytes(256);
      const { raw } = await send(noise, 50);
      raw.end(); // a random length may be plausible: then the engine just waits for the rest
    }
    await engineIsFine();
  });

  it('many hostile connections at once, while a driver client works', async () => {
    const attacks = Array.from({ length: 30 }, (_, i) =>
      send(i % 3 === 0 ? opMsg(invalidBson()) : i % 3 === 1 ? rawMessage(9999, Buffer.alloc(100)) : randomBytes(1024), 500).then(({ raw }) => raw.end()),
    );
    const work = (async () => {
      const coll = client.db('dd_hostile').collection('busy');
      for (let i = 0; i < 50; i++) await coll.insertOne({ i });
      return coll.countDocuments();
    })();
    const [count] = await Promise.all([work, ...attacks]);
    expect(count).toBe(50);
    await client.db('dd_hostile').dropDatabase();
    await engineIsFine();
  });
});

describe.runIf(onEmbeddedEngine())('odd but valid framing (engine only)', () => {
  it('a message sent one byte at a time is answered', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      const bytes = opMsg({ ping: 1, $db: 'admin' }, { requestId: 99 });
      for (const byte of bytes) await raw.write(Buffer.from([byte]));
      expect(await raw.next()).toMatchObject({ kind: 'reply', responseTo: 99, doc: { ok: 1 } });
    } finally {
      raw.end();
    }
  });

  it('pipelined messages in one write are answered in order', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      await raw.write(Buffer.concat([1, 2, 3].map((n) => opMsg({ ping: 1, $db: 'admin' }, { requestId: n }))));
      const replies = [await raw.next(), await raw.next(), await raw.next()];
      expect(replies.map((r) => (r.kind === 'reply' ? r.responseTo : r.kind))).toEqual([1, 2, 3]);
    } finally {
      raw.end();
    }
  });

  it('moreToCome gets no reply; the next request is answered normally', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      await raw.write(opMsg({ insert: 'quiet', documents: [{ a: 1 }], writeConcern: { w: 0 }, $db: 'dd_hostile2' }, { flags: 2, requestId: 1 }));
      await raw.write(opMsg({ count: 'quiet', $db: 'dd_hostile2' }, { requestId: 2 }));
      expect(await raw.next()).toMatchObject({ kind: 'reply', responseTo: 2, doc: { n: 1, ok: 1 } });
      expect((await raw.next(200)).kind).toBe('timeout');
      await raw.command({ dropDatabase: 1, $db: 'dd_hostile2' });
    } finally {
      raw.end();
    }
  });

  it('a checksum (checksumPresent) is skipped', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      expect(await raw.command({ ping: 1, $db: 'admin' }, { checksum: true })).toMatchObject({ ok: 1 });
    } finally {
      raw.end();
    }
  });

  it('an OP_QUERY command that wraps itself in $query is unwrapped', async () => {
    const raw = await RawConnection.open(mongoUri());
    try {
      await raw.write(opQuery({ $query: { ping: 1 }, $readPreference: { mode: 'primary' } }));
      expect(await raw.next()).toMatchObject({ kind: 'reply', opCode: OP_REPLY, doc: { ok: 1 } });
    } finally {
      raw.end();
    }
  });
});
