/**
 * A data directory of the previous format (the SQLite journal `datadragon.sqlite`), written
 * here by that format's own writer, is converted on first open: every live document, the
 * collections' options and uuids, the indexes; the old journal kept aside; progress reported.
 * Engine-only by nature: the conversion runs when an engine opens the directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Long, serialize, UUID, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../../src/db/embedded/engine.js';
import { legacyKey, SqliteJournal, STORE_FILE } from '../../../src/db/embedded/persistence/legacy-journal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const uuid = new UUID();
const bigId = Long.fromString('1541815603606036481');

/** An old-format directory: users (a unique index, a document deleted, one replaced), and a dropped collection. */
function writeOldDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-legacy-'));
  dirs.push(dir);
  const journal = new SqliteJournal(dir);
  const docs = (list: Document[]): Uint8Array => Buffer.concat(list.map((doc) => serialize(doc)));
  journal.begin();
  journal.apply([
    {
      op: 'create',
      cid: 1,
      db: 'shop',
      name: 'users',
      options: serialize({ options: { validator: { email: { $type: 'string' } } }, uuid }),
      indexes: serialize({ list: [{ v: 2, key: { email: 1 }, name: 'email_1', unique: true }] }),
    },
    { op: 'put', cid: 1, payload: docs(Array.from({ length: 25_000 }, (_, i) => ({ _id: i, email: `u${i}@x.br` }))) },
    {
      op: 'put',
      cid: 1,
      payload: docs([
        { _id: bigId, email: 'big@x.br' },
        { _id: 3, email: 'u3@x.br', vip: true },
      ]),
    },
    { op: 'delete', cid: 1, payload: serialize({ ids: [legacyKey(7), legacyKey(bigId)] }) },
    { op: 'create', cid: 2, db: 'shop', name: 'temp', options: serialize({ options: {}, uuid: new UUID() }), indexes: serialize({ list: [] }) },
    { op: 'put', cid: 2, payload: docs([{ _id: 1 }]) },
    { op: 'drop', cid: 2 },
  ]);
  journal.commit();
  journal.close();
  return dir;
}

describe('an old data directory', () => {
  it('is converted on first open, with progress, and keeps the old journal aside', async () => {
    const dir = writeOldDirectory();
    const lines: string[] = [];
    const engine = await new EmbeddedEngine({ dataDir: dir, log: (line) => lines.push(line) }).start();
    const client = await MongoClient.connect(engine.uri);
    try {
      const db = client.db('shop');
      const users = db.collection('users');
      expect(await users.countDocuments()).toBe(24_999);
      expect(await users.findOne({ _id: 3 } as Document)).toEqual({ _id: 3, email: 'u3@x.br', vip: true });
      expect(await users.findOne({ _id: 7 } as Document)).toBeNull();
      expect(await users.findOne({ _id: bigId } as Document)).toBeNull(); // deleted by its old key
      expect(await users.findOne({ email: 'u24999@x.br' })).toMatchObject({ _id: 24_999 });
      await expect(users.insertOne({ email: 'u1@x.br' })).rejects.toMatchObject({ code: 11000 });
      const [info] = await db.listCollections({ name: 'users' }).toArray();
      expect(info).toMatchObject({ options: { validator: { email: { $type: 'string' } } }, info: { uuid: expect.objectContaining({}) } });
      expect(String((info as Document).info.uuid.toHexString?.() ?? '')).toBe(uuid.toHexString());
      expect((await db.listCollections().toArray()).map((c) => c.name)).toEqual(['users']);
    } finally {
      await client.close();
      await engine.stop();
    }
    expect(lines.join('\n')).toMatch(/converting .* to the new storage format/);
    expect(lines.join('\n')).toMatch(/converting shop\.users: 20,000 of 24,999 documents/);
    expect(lines.join('\n')).toMatch(/converted 24,999 documents/);
    expect(fs.existsSync(path.join(dir, STORE_FILE))).toBe(false);
    expect(fs.existsSync(path.join(dir, `${STORE_FILE}.converted`))).toBe(true);

    // The next open finds the new storage: nothing to convert.
    lines.length = 0;
    const again = await new EmbeddedEngine({ dataDir: dir, log: (line) => lines.push(line) }).start();
    const client2 = await MongoClient.connect(again.uri);
    expect(await client2.db('shop').collection('users').countDocuments()).toBe(24_999);
    await client2.close();
    await again.stop();
    expect(lines).toEqual([]);
  });

  it('refuses a journal it cannot read, saying what to do, and leaves it in place', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-legacy-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, STORE_FILE), 'not a database at all, just some bytes '.repeat(200));
    await expect(new EmbeddedEngine({ dataDir: dir, log: () => undefined }).start()).rejects.toThrow(/move it out of .* to start with an empty database/);
    expect(fs.existsSync(path.join(dir, STORE_FILE))).toBe(true);
  });
});
