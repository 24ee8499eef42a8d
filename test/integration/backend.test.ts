/** Backend selection (docs/ARCHITECTURE.md §2): URI first, then a mongod binary, then the embedded engine (or the one already running). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/db/backend.js';

const quiet = (): void => undefined;
const emptyPath = { PATH: '' };

describe('openBackend', () => {
  it('uses MONGODB_URI when set, and starts nothing', async () => {
    const lines: string[] = [];
    const backend = await openBackend({ env: { MONGODB_URI: 'mongodb://user:secret@db.example:27017/x' }, log: (l) => lines.push(l) });
    expect(backend.kind).toBe('uri');
    expect(backend.uri).toBe('mongodb://user:secret@db.example:27017/x');
    expect(lines.join('\n')).toContain('MONGODB_URI');
    expect(lines.join('\n')).not.toContain('secret');
    await backend.stop();
  });

  it('refuses a MONGOD_BINARY that does not exist', async () => {
    await expect(openBackend({ env: { ...emptyPath, MONGOD_BINARY: '/nowhere/mongod' }, log: quiet })).rejects.toThrow(/MONGOD_BINARY/);
  });

  it('starts the embedded engine in memory when there is no URI and no mongod', async () => {
    const backend = await openBackend({ env: emptyPath, inMemory: true, log: quiet });
    try {
      expect(backend.kind).toBe('embedded');
      const client = await MongoClient.connect(backend.uri);
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      await client.close();
    } finally {
      await backend.stop();
    }
  });

  it('connects to the engine another process already runs on the data directory', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-backend-'));
    const lines: string[] = [];
    const owner = await openBackend({ env: emptyPath, dataDir, log: quiet });
    try {
      expect(owner.kind).toBe('embedded');
      const guest = await openBackend({ env: emptyPath, dataDir, log: (l) => lines.push(l) });
      expect(guest.kind).toBe('embedded-shared');
      expect(guest.uri).toBe(owner.uri);
      expect(lines.join('\n')).toContain('already running');
      await guest.stop(); // stops nothing: the owner still serves
      const client = await MongoClient.connect(owner.uri);
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      await client.close();
    } finally {
      await owner.stop();
    }
  });
});
