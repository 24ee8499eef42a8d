/**
 * A data directory that cannot be created is a clear error at once, never a hang (Node's
 * recursive mkdir spins forever under /proc); one that can is created with its parents.
 * The command that meets one: test/e2e/data-dir-cli.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDataDir } from '../../../src/db/backend.js';
import { AppError } from '../../../src/errors.js';

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
});
