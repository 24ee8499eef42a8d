/** A `datadragon db` process for the benches: spawned on a free port, ready once it says where it listens. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MemoryCgroup } from './memory-cgroup.js';

const CLI = fileURLToPath(new URL('../../bin/datadragon.js', import.meta.url));

export interface EngineProcess {
  readonly uri: string;
  /** Milliseconds from the spawn to the "listening" line. */
  readonly startMs: number;
  /** The process's resident memory now, in KiB (Linux). */
  rssKiB(): number;
  /** The process's peak resident memory since it started or since `resetPeak`, in KiB (Linux). */
  peakRssKiB(): number;
  /**
   * The peak of the process's anonymous resident memory (its heap and LMDB's dirty pages; not
   * the data file's mapped pages, which the OS reclaims like its page cache) since the last
   * `resetPeak`, in KiB, sampled every 100 ms (Linux).
   */
  peakAnonKiB(): number;
  /** Starts the peak over (Linux: /proc/<pid>/clear_refs); false where that is not allowed. */
  resetPeak(): boolean;
  /** What the process printed last (up to 32 KiB): why it stopped, when it did. */
  output(): string;
  stop(): Promise<void>;
}

/** `cgroup`: a memory cgroup (memory-cgroup.ts) the process runs in, from its first steps on. */
export async function startEngineProcess(args: string[], options: { cgroup?: MemoryCgroup } = {}): Promise<EngineProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'db', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (options.cgroup && child.pid !== undefined) options.cgroup.add(child.pid);
  let out = '';
  const uri = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.length > 64 * 1024) out = out.slice(-32 * 1024);
      const m = /listening on (mongodb:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`engine exited (${code}): ${out}`)));
  });
  const status = (field: string): number => {
    try {
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0; // exited
    }
  };
  let peakAnon = 0;
  const sampler = setInterval(() => (peakAnon = Math.max(peakAnon, status('RssAnon'))), 100);
  sampler.unref();
  child.once('exit', () => clearInterval(sampler));
  return {
    uri,
    startMs: performance.now() - started,
    rssKiB: () => status('VmRSS'),
    peakRssKiB: () => status('VmHWM'),
    peakAnonKiB: () => Math.max(peakAnon, status('RssAnon')),
    resetPeak: () => {
      peakAnon = 0;
      try {
        fs.writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(); // it died (the caller reports why)
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
