/**
 * A data directory that cannot be created is a clear error at once, never a hang (Node's
 * recursive mkdir spins forever under /proc); one that can is created with its parents.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDataDir } from '../../../src/db/backend.js';
import { AppError } from '../../../src/errors.js';
import { runCli } from '../../helpers/cli.js';

describe('the data directory', () => {
  it('is created with its missing parents; an existing one is kept', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-datadir-'));
    try {
      const dir = path.join(base, 'a', 'b', 'data');
      createDataDir(dir);
      expect(fs.statSync(dir).isDirectory()).toBe(true);
      fs.writeFileSync(path.join(dir, 'kept'), 'x');
      createDataDir(dir);
      expect(fs.readFileSync(path.join(dir, 'kept'), 'utf8')).toBe('x');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it.each([
    ['under /proc', '/proc/nope/data', /cannot create the data directory \/proc\/nope\/data \(ENOENT[^)]*\): set DATADRAGON_DATA_DIR/],
    ['a file', '/etc/hostname', /the data directory \/etc\/hostname is a file, not a folder/],
  ])('%s: an UNAVAILABLE error saying what to do', (_what, dir, message) => {
    let error: unknown;
    try {
      createDataDir(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(message);
  });

  it('DATADRAGON_DATA_DIR=/proc/nope: the command fails at once with that message', async () => {
    const started = Date.now();
    const result = await runCli(['find'], {
      env: { MONGODB_URI: '', MONGOD_BINARY: '', DATADRAGON_DATA_DIR: '/proc/nope', PATH: '/usr/bin:/bin' },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/datadragon: error: cannot create the data directory \/proc\/nope/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
