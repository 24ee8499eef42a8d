/**
 * One engine per data directory: a lock file holding the owner's pid and, once it listens,
 * its address. A second engine is refused with the running one's address; other datadragon
 * processes read the address to connect to the running engine instead of starting one.
 *
 * The file is readable by its owner only (it names the engine's port). A lock is stale when its
 * process is gone (kill -9, crash) — and a pid alone does not say so: after a reboot or a long
 * time the pid may belong to another, unrelated live process. So the lock also records when its
 * process started (from /proc/<pid>/stat on Linux) and a random token: a live pid whose start
 * time differs is someone else, and the lock is taken over.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'engine.lock';
/** Owner read/write only. */
export const LOCK_MODE = 0o600;

export interface LockHolder {
  pid: number;
  startedAt: string;
  /** Random, per lock: tells this lock from an earlier one of the same pid. */
  token?: string;
  /** The holder process's start time in clock ticks since boot (/proc/<pid>/stat field 22), where known. */
  processStart?: string;
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

/** Fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses). */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** When `pid` started (clock ticks since boot), or undefined without /proc (not Linux) or without the process. */
export function processStartTime(pid: number): string | undefined {
  // after the name: field 3 (state) is index 0, field 22 (starttime) index 19
  return procStat(pid)?.[19];
}

/** Whether the process that wrote `holder` is still running. */
export function isHolderAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(holder.pid);
  if (!stat) return !fs.existsSync('/proc/self/stat'); // no /proc at all: trust kill(); with /proc, the pid is gone
  if (stat[0] === 'Z') return false; // killed, not yet reaped
  // the same pid, started at another time: another process got the pid
  return holder.processStart === undefined || holder.processStart === stat[19];
}

/** The live engine that holds `dataDir`, if any. */
export function readLockHolder(dataDir: string): LockHolder | undefined {
  let holder: LockHolder;
  try {
    holder = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
  return typeof holder.pid === 'number' && isHolderAlive(holder) ? holder : undefined;
}

/** Tokens of the locks this process holds now: a second engine of this process on the same directory is refused too. */
const heldTokens = new Set<string>();

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
    const holder: LockHolder = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      token: randomBytes(16).toString('hex'),
      processStart: processStartTime(process.pid),
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(holder), { flag: 'wx', mode: LOCK_MODE });
        heldTokens.add(holder.token!);
        return new DataDirLock(dataDir, holder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const current = readLockHolder(dataDir);
        // This process's own lock is stale only if no engine of this process holds it any more.
        if (current && (current.pid !== process.pid || (current.token !== undefined && heldTokens.has(current.token))))
          throw new DataDirLockedError(dataDir, current);
        fs.rmSync(file, { force: true }); // stale: its process is gone
      }
    }
    throw new Error(`could not take the lock ${file}: another process keeps recreating it`);
  }

  /** Records the address clients should use, once the engine listens. */
  publish(uri: string): void {
    this.holder = { ...this.holder, uri };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.rmSync(temp, { force: true }); // a leftover would keep its own mode
    fs.writeFileSync(temp, JSON.stringify(this.holder), { mode: LOCK_MODE });
    fs.renameSync(temp, this.file);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    heldTokens.delete(this.holder.token!);
    try {
      const current = JSON.parse(fs.readFileSync(this.file, 'utf8')) as LockHolder;
      if (current.token === this.holder.token) fs.rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}
