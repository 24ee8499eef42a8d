/**
 * A memory cgroup for a bench's engine process (Linux, cgroup v1 or v2, where this process
 * may create one: root, as in this project's containers): the kernel holds everything the
 * process is charged for — its own (anonymous) memory and the page cache it uses, the LMDB
 * file's mapped pages among them — within the limit, reclaiming clean file pages first and
 * killing the process only when its own memory does not fit. So "ran within the limit" is
 * what a bounded engine must show; its RSS alone also counts file pages the OS would reclaim.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface MemoryCgroup {
  readonly limitBytes: number;
  /** Moves a process (and the threads and children it starts from then on) into the group. */
  add(pid: number): void;
  /** The group's peak charge (anonymous memory and page cache) in bytes, when the kernel reports it. */
  peakBytes(): number | undefined;
  /** How many times the kernel killed a process of the group for want of memory. */
  oomKills(): number;
  /** Removes the group, once its processes have exited. */
  remove(): void;
}

const V1 = '/sys/fs/cgroup/memory';
const V2 = '/sys/fs/cgroup';

/** A new group limited to `limitBytes`, or undefined where cgroups cannot be created here. */
export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup | undefined {
  const v1 = fs.existsSync(path.join(V1, 'memory.limit_in_bytes'));
  const v2 = !v1 && fs.existsSync(path.join(V2, 'cgroup.controllers'));
  if (!v1 && !v2) return undefined;
  const dir = path.join(v1 ? V1 : V2, name);
  try {
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, v1 ? 'memory.limit_in_bytes' : 'memory.max'), String(limitBytes));
  } catch {
    return undefined; // not allowed here
  }
  const read = (file: string): string | undefined => {
    try {
      return fs.readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    limitBytes,
    add: (pid) => fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid)),
    peakBytes: () => {
      const peak = read(v1 ? 'memory.max_usage_in_bytes' : 'memory.peak');
      return peak === undefined ? undefined : Number(peak.trim());
    },
    oomKills: () => Number(/oom_kill (\d+)/.exec(read(v1 ? 'memory.oom_control' : 'memory.events') ?? '')?.[1] ?? 0),
    remove: () => {
      try {
        fs.rmdirSync(dir);
      } catch {
        // a process still in it: the group stays, empty once it exits
      }
    },
  };
}
