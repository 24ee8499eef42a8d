/**
 * `datadragon db` as built (dist/), as the fault suite runs it: a process of its own on
 * 127.0.0.1 (never another address), in memory or on a data directory, stopped or killed.
 * The suite talks to it through the official driver and raw sockets only, so it tests
 * whatever storage the engine has.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../bin/datadragon.js', import.meta.url));

export interface EngineProcess {
  readonly child: ChildProcess;
  readonly uri: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGKILL, resolved once the process is gone; returns when the signal was sent. */
  kill9(): Promise<number>;
  /** SIGTERM (a clean stop), SIGKILL after 20 s. */
  stop(): Promise<void>;
}

export function startEngineProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<EngineProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.MONGODB_URI;
  const child = spawn(process.execPath, [CLI, 'db', '--host', '127.0.0.1', '--port', '0', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`datadragon db did not start in 60 s:\n${output}`));
    }, 60_000);
    const poll = setInterval(() => {
      const match = /listening on (mongodb:\/\/\S+)/.exec(output);
      if (!match) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        child,
        uri: match[1]!,
        output: () => output,
        async kill9() {
          const at = Date.now();
          child.kill('SIGKILL');
          await exited;
          return at;
        },
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
          child.kill('SIGTERM');
          await exited;
          clearTimeout(kill);
        },
      });
    }, 20);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`datadragon db exited (${child.exitCode ?? child.signalCode}):\n${output}`));
    });
  });
}

/** The resident memory of a process, in MiB (NaN where /proc is missing). */
export function rssMiB(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/** The same seed gives the same attack: the tests' seeded PRNG (mulberry32). */
export { seededRandom } from '../../test/helpers/random.js';
