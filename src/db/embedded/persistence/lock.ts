/**
 * One engine per data directory: a lock file holding the owner's pid and, once it listens,
 * its address. A second engine is refused with the running one's address; other datadragon
 * processes read the address to connect to the running engine instead of starting one.
 * A lock whose process is gone (kill -9, crash) is stale and taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'engine.lock';

export interface LockHolder {
  pid: number;
  startedAt: string;
  uri?: string;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data directory ${dataDir} is in use by another datadragon engine (pid ${holder.pid}${holder.uri ? `, serving ${holder.uri}` : ', still starting'}): ` +
        `connect to that one (MONGODB_URI=${holder.uri ?? '<its address>'}), stop it, or choose another --data-dir`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process nobody has reaped yet (a zombie) still answers kill(pid, 0).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill()
  }
}

/** The live engine that holds `dataDir`, if any. */
export function readLockHolder(dataDir: string): LockHolder | undefined {
  let holder: LockHolder;
  try {
    holder = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
  return typeof holder.pid === 'number' && isAlive(holder.pid) ? holder : undefined;
}

export class DataDirLock {
  private released = false;

  private constructor(
    readonly dataDir: string,
    private holder: LockHolder,
  ) {}

  get file(): string {
    return path.join(this.dataDir, LOCK_FILE);
  }

  static acquire(dataDir: string): DataDirLock {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, LOCK_FILE);
    const holder: LockHolder = { pid: process.pid, startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(holder), { flag: 'wx' });
        return new DataDirLock(dataDir, holder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const current = readLockHolder(dataDir);
        if (current && current.pid !== process.pid) throw new DataDirLockedError(dataDir, current);
        fs.rmSync(file, { force: true }); // stale: its process is gone
      }
    }
    throw new Error(`could not take the lock ${file}: another process keeps recreating it`);
  }

  /** Records the address clients should use, once the engine listens. */
  publish(uri: string): void {
    this.holder = { ...this.holder, uri };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.holder));
    fs.renameSync(temp, this.file);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const current = JSON.parse(fs.readFileSync(this.file, 'utf8')) as LockHolder;
      if (current.pid === process.pid) fs.rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}
