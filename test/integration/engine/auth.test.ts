/**
 * Authentication of the engine (SCRAM-SHA-256), through the official driver: the right password
 * works (the driver's speculative handshake and the plain saslStart/saslContinue round trips),
 * a wrong one or an unknown user is refused with 18 AuthenticationFailed, and a client without
 * credentials may connect and ping but nothing else (13 Unauthorized), as with mongod --auth.
 * Engine only by nature: it starts engines of its own with authentication on.
 */
import { execFile } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Binary } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EmbeddedEngine } from '../../../src/db/embedded/in-process.js';
import { RawConnection, opQuery } from './raw-wire.js';

const USER = 'alice';
const PASSWORD = 'correct horse, battery=staple';
let engine: EmbeddedEngine;

function uri(user: string | undefined, password?: string): string {
  const base = engine.uri.replace('mongodb://', '');
  const credentials = user === undefined ? '' : `${encodeURIComponent(user)}:${encodeURIComponent(password ?? '')}@`;
  return `mongodb://${credentials}${base}?authSource=admin`;
}

async function connect(user: string | undefined, password?: string): Promise<MongoClient> {
  return MongoClient.connect(uri(user, password), { serverSelectionTimeoutMS: 3000 });
}

beforeAll(async () => {
  engine = await startEngine({ port: 0, auth: { user: USER, password: PASSWORD } });
});

afterAll(async () => {
  await engine.stop();
});

describe('with the right password', () => {
  it('reads and writes, and connectionStatus names the user', async () => {
    const client = await connect(USER, PASSWORD);
    try {
      const items = client.db('shop').collection('items');
      await items.insertMany([{ n: 1 }, { n: 2 }]);
      expect(await items.countDocuments({ n: { $gte: 1 } })).toBe(2);
      const status = await client.db('admin').command({ connectionStatus: 1 });
      expect(status.authInfo.authenticatedUsers).toEqual([{ user: USER, db: 'admin' }]);
      // every pooled connection authenticates: many at once all work
      await Promise.all(Array.from({ length: 8 }, (_, i) => items.insertOne({ n: 10 + i })));
      expect(await items.countDocuments()).toBe(10);
    } finally {
      await client.close();
    }
  });

  it('hello tells the driver which mechanism the user has', async () => {
    const raw = await RawConnection.open(engine.uri);
    try {
      await raw.write(opQuery({ isMaster: 1, saslSupportedMechs: `admin.${USER}` }));
      const known = await raw.next();
      expect(known).toMatchObject({ kind: 'reply', doc: { ok: 1, saslSupportedMechs: ['SCRAM-SHA-256'] } });
      await raw.write(opQuery({ isMaster: 1, saslSupportedMechs: 'admin.mallory' }));
      const unknown = await raw.next();
      expect(unknown.kind === 'reply' && unknown.doc.saslSupportedMechs).toBeUndefined();
    } finally {
      raw.end();
    }
  });

  it('the saslStart / saslContinue round trips (no speculative hello) authenticate a raw connection', async () => {
    const raw = await RawConnection.open(engine.uri);
    try {
      expect(await raw.command({ find: 'items', $db: 'shop' })).toMatchObject({ ok: 0, code: 13 });
      const clientNonce = randomBytes(18).toString('base64');
      const bare = `n=${USER},r=${clientNonce}`;
      const start = await raw.command({
        saslStart: 1,
        mechanism: 'SCRAM-SHA-256',
        payload: new Binary(Buffer.from(`n,,${bare}`)),
        options: { skipEmptyExchange: true },
        $db: 'admin',
      });
      expect(start).toMatchObject({ ok: 1, done: false });
      const serverFirst = Buffer.from((start.payload as Binary).buffer).toString('utf8');
      const fields = Object.fromEntries(serverFirst.split(',').map((part) => [part[0], part.slice(2)]));
      expect(fields.r!.startsWith(clientNonce)).toBe(true);
      const salted = pbkdf2Sync(PASSWORD, Buffer.from(fields.s!, 'base64'), Number(fields.i), 32, 'sha256');
      const clientKey = createHmac('sha256', salted).update('Client Key').digest();
      const storedKey = createHash('sha256').update(clientKey).digest();
      const withoutProof = `c=biws,r=${fields.r}`;
      const authMessage = `${bare},${serverFirst},${withoutProof}`;
      const signature = createHmac('sha256', storedKey).update(authMessage).digest();
      const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!)).toString('base64');
      const done = await raw.command({
        saslContinue: 1,
        conversationId: start.conversationId,
        payload: new Binary(Buffer.from(`${withoutProof},p=${proof}`)),
        $db: 'admin',
      });
      expect(done).toMatchObject({ ok: 1, done: true });
      const serverKey = createHmac('sha256', salted).update('Server Key').digest();
      expect(Buffer.from((done.payload as Binary).buffer).toString('utf8')).toBe(`v=${createHmac('sha256', serverKey).update(authMessage).digest('base64')}`);
      expect(await raw.command({ find: 'items', filter: {}, $db: 'shop' })).toMatchObject({ ok: 1 });
      // logout ends it again
      expect(await raw.command({ logout: 1, $db: 'admin' })).toMatchObject({ ok: 1 });
      expect(await raw.command({ find: 'items', $db: 'shop' })).toMatchObject({ ok: 0, code: 13 });
    } finally {
      raw.end();
    }
  });
});

describe('mongosh', () => {
  const run = promisify(execFile);
  const mongosh = (target: string, script: string, home: string) =>
    run(path.resolve('node_modules/.bin/mongosh'), [target, '--quiet', '--eval', script], { env: { ...process.env, HOME: home }, timeout: 60_000 });

  it('authenticates with the password and is refused without the right one', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'dd-mongosh-auth-'));
    try {
      const good = uri(USER, PASSWORD).replace('/?', '/shell?');
      const { stdout } = await mongosh(good, 'db.notes.insertOne({ n: 1 }); print(db.notes.countDocuments())', home);
      expect(stdout.trim()).toBe('1');
      const wrong = await mongosh(uri(USER, 'nope').replace('/?', '/shell?'), 'print(db.notes.countDocuments())', home).catch(
        (error: { stderr?: string; stdout?: string }) => error,
      );
      expect(`${(wrong as { stderr?: string }).stderr ?? ''}${(wrong as { stdout?: string }).stdout ?? ''}`).toMatch(/Authentication failed/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('refused', () => {
  it('a wrong password: 18 AuthenticationFailed, as mongod answers', async () => {
    const error = await connect(USER, 'wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 18, codeName: 'AuthenticationFailed', message: 'Authentication failed.' });
  });

  it('an unknown user: the same answer (it does not tell which users exist)', async () => {
    const error = await connect('mallory', PASSWORD).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 18, message: 'Authentication failed.' });
  });

  it('a mechanism other than SCRAM-SHA-256 says which one to use', async () => {
    const error = await MongoClient.connect(`${uri(USER, PASSWORD)}&authMechanism=SCRAM-SHA-1`, { serverSelectionTimeoutMS: 3000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 334 });
    expect(String((error as Error).message)).toMatch(/SCRAM-SHA-256/);
  });

  it('no credentials: hello, ping and buildInfo answer; every other command is 13 Unauthorized', async () => {
    const client = await connect(undefined);
    try {
      const admin = client.db('admin');
      expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
      expect(await admin.command({ buildInfo: 1 })).toMatchObject({ ok: 1 });
      expect(await admin.command({ hello: 1 })).toMatchObject({ ok: 1, isWritablePrimary: true });
      expect((await admin.command({ connectionStatus: 1 })).authInfo.authenticatedUsers).toEqual([]);
      const items = client.db('shop').collection('items');
      await expect(items.findOne({})).rejects.toMatchObject({ code: 13, codeName: 'Unauthorized', message: 'Command find requires authentication' });
      await expect(items.insertOne({ n: 99 })).rejects.toMatchObject({ code: 13 });
      await expect(admin.command({ listDatabases: 1 })).rejects.toMatchObject({ code: 13 });
      await expect(
        client
          .db('shop')
          .collection('items')
          .aggregate([{ $match: {} }])
          .toArray(),
      ).rejects.toMatchObject({ code: 13 });
    } finally {
      await client.close();
    }
    // nothing got in
    const owner = await connect(USER, PASSWORD);
    try {
      expect(await owner.db('shop').collection('items').countDocuments({ n: 99 })).toBe(0);
    } finally {
      await owner.close();
    }
  });

  it('an unknown command is still 59 CommandNotFound before authentication, as mongod answers', async () => {
    const raw = await RawConnection.open(engine.uri);
    try {
      expect(await raw.command({ noSuchCommand: 1, $db: 'admin' })).toMatchObject({ ok: 0, code: 59 });
    } finally {
      raw.end();
    }
  });
});
