/** The data directory's lock file: owner-only, and stale by more than its pid (a reused pid does not block). */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLock, DataDirLockedError, LOCK_FILE, processStartTime, readLockHolder } from '../../../../../src/db/embedded/persistence/lock.js';

const onLinux = fs.existsSync('/proc/self/stat');
let other: ChildProcess;

beforeAll(async () => {
  // a live process that is not this one, to hold (or seem to hold) locks
  other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await new Promise((resolve) => other.once('spawn', resolve));
});

afterAll(() => {
  other.kill('SIGKILL');
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dd-lock-'));
}

function writeLock(dir: string, holder: Record<string, unknown>): void {
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ startedAt: new Date().toISOString(), ...holder }));
}

describe('engine.lock', () => {
  it('is readable and writable by its owner only, before and after the address is published', () => {
    const dir = tempDir();
    const lock = DataDirLock.acquire(dir);
    expect(fs.statSync(lock.file).mode & 0o777).toBe(0o600);
    lock.publish('mongodb://127.0.0.1:1234/');
    expect(fs.statSync(lock.file).mode & 0o777).toBe(0o600);
    expect(readLockHolder(dir)).toMatchObject({ pid: process.pid, uri: 'mongodb://127.0.0.1:1234/' });
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  it('a live holder blocks, named in the error', () => {
    const dir = tempDir();
    writeLock(dir, { pid: other.pid, token: 'abc', processStart: processStartTime(other.pid!), uri: 'mongodb://127.0.0.1:4321/' });
    const error = (() => {
      try {
        DataDirLock.acquire(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect(String(error)).toContain('mongodb://127.0.0.1:4321/');
  });

  it.runIf(onLinux)('a live pid that started at another time is another process: the lock is stale and taken over', () => {
    const dir = tempDir();
    writeLock(dir, { pid: other.pid, token: 'abc', processStart: '1' });
    expect(readLockHolder(dir)).toBeUndefined();
    const lock = DataDirLock.acquire(dir);
    expect(readLockHolder(dir)).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('a pid that is gone is stale', async () => {
    const dir = tempDir();
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    writeLock(dir, { pid: gone.pid, token: 'abc' });
    DataDirLock.acquire(dir).release();
  });

  it('a lock of the older format (pid only) still blocks while its pid lives', () => {
    const dir = tempDir();
    writeLock(dir, { pid: other.pid });
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
  });

  it('a second engine of this same process on the same directory is refused; after release it is not', () => {
    const dir = tempDir();
    const first = DataDirLock.acquire(dir);
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
    first.release();
    DataDirLock.acquire(dir).release();
  });

  it("release leaves another holder's lock alone", () => {
    const dir = tempDir();
    const lock = DataDirLock.acquire(dir);
    writeLock(dir, { pid: other.pid, token: 'someone-else', processStart: processStartTime(other.pid!) });
    lock.release();
    expect(readLockHolder(dir)).toMatchObject({ pid: other.pid });
  });
});
