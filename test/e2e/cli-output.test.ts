/**
 * The CLI's manners, as a user meets them (the built CLI): --version, a reader that goes away
 * early (`| head -1`: a quiet status 0, never an EPIPE stack trace), one prefix for every
 * error, commander's own messages included, the config file's keys checked and its
 * mongodbUri honoured, and `npm start` handing SIGINT/SIGTERM to the
 * server (which then stops and frees its port).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { crunchSpending } from '../../src/jobs/index.js';
import { CLI, ROOT, runCli } from '../helpers/cli.js';
import { uriWithDb } from '../helpers/database.js';
import { openServiceDatabase, seed } from '../helpers/seeded.js';

const VERSION = (JSON.parse(fs.readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }).version;
const STACK = /\n\s+at |EPIPE|Unhandled/;

interface Closed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI and closes the reading end of its stdout after `keep` bytes (0: at once,
 * before it writes anything), as `| head` does.
 */
function runWithReaderGone(args: string[], env: NodeJS.ProcessEnv = {}, keep = 0): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (keep === 0) child.stdout.destroy();
    else
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.length >= keep) child.stdout.destroy();
      });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`datadragon ${args.join(' ')} did not end:\n${stderr}`));
    }, 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('--version', () => {
  it('prints the package version and exits 0, short and long', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('is in the help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/-V, --version\s+print the version and exit/);
    for (const command of ['seed', 'reset', 'crunch', 'find', 'db', 'serve']) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});

describe('a reader that goes away early', () => {
  for (const args of [['--help'], ['seed', '--help'], ['find', '--help'], ['serve', '--help'], ['--version']]) {
    it(`datadragon ${args.join(' ')} with its stdout closed: status 0, no stack trace`, async () => {
      const result = await runWithReaderGone(args);
      expect(result.stderr).not.toMatch(STACK);
      expect(result).toMatchObject({ code: 0, signal: null });
    });
  }

  describe('find, with a crunched database', () => {
    let database: Database;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      database = await openServiceDatabase('cli_output');
      await seed(database, { users: 300, seed: 5, workers: 1 });
      await crunchSpending(database);
      env = { MONGODB_URI: uriWithDb(database.dbName) };
    });
    afterAll(async () => {
      await database?.db.dropDatabase().catch(() => undefined);
      await database?.close();
    });

    for (const format of ['json', 'ndjson', 'csv', 'table']) {
      it(`find --format ${format} stops quietly when the reader leaves after the first bytes`, async () => {
        const result = await runWithReaderGone(['find', '--format', format, '--limit', '0'], env, 200);
        expect(result.stdout.length).toBeGreaterThanOrEqual(200);
        expect(result.stderr).not.toMatch(STACK);
        expect(result).toMatchObject({ code: 0, signal: null });
      });
    }

    it('find | head -1 in a shell: status 0 through pipefail, one line', async () => {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" find --format ndjson | head -1`], {
          cwd: ROOT,
          env: { ...process.env, ...env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(result.stderr).not.toMatch(STACK);
      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(JSON.parse(result.stdout)).toHaveProperty('customer_id');
    });
  });
});

describe('errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option (commander)', ['find', '--bogus'], /^datadragon: error: unknown option '--bogus'\n/],
    ['an unknown command (commander)', ['bogus'], /^datadragon: error: unknown command 'bogus'\n/],
    ['a missing option value (commander)', ['find', '--limit'], /^datadragon: error: option '--limit <n>' argument missing\n/],
    ['a bad flag value (the command)', ['find', '--format', 'xml'], /^datadragon: error: --format: expected one of/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: one prefix, status 2`, async () => {
      const result = await runCli(args, { env: { MONGODB_URI: 'mongodb://127.0.0.1:1/unused' } });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^error:/m);
      expect(result.code).toBe(2);
    });
  }
});

describe('the config file', () => {
  const dirs: string[] = [];
  const withConfig = (config: Record<string, unknown>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-config-e2e-'));
    fs.writeFileSync(path.join(dir, 'datadragon.config.json'), JSON.stringify(config));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown key before opening any database, with the nearest known one (status 2)', async () => {
    const result = await runCli(['find'], { cwd: withConfig({ mongoUri: 'mongodb://127.0.0.1:1/x' }), env: { MONGODB_URI: '' } });
    expect(result.stderr).toMatch(/^datadragon: error: unknown key in the config file .*: "mongoUri" \(did you mean "mongodbUri"\?\); the known keys are /);
    expect(result.stderr).not.toMatch(/database:/);
    expect(result.code).toBe(2);
  });

  it('honours mongodbUri, with MONGODB_URI first', async () => {
    // Port 1: nothing listens there, so the command names the server it was told to use, then fails.
    const dir = withConfig({ mongodbUri: 'mongodb://127.0.0.1:1/from_file' });
    const fromFile = await runCli(['find'], { cwd: dir, env: { MONGODB_URI: '' } });
    expect(fromFile.stderr).toMatch(/database: MongoDB at mongodb:\/\/127\.0\.0\.1:1\/from_file/);
    expect(fromFile.code).toBe(1);
    const fromEnv = await runCli(['find'], { cwd: dir, env: { MONGODB_URI: 'mongodb://127.0.0.1:2/from_env' } });
    expect(fromEnv.stderr).toMatch(/database: MongoDB at mongodb:\/\/127\.0\.0\.1:2\/from_env/);
    expect(fromEnv.code).toBe(1);
  });
});

describe('npm start', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openServiceDatabase('cli_npm_start');
  });
  afterAll(async () => {
    await database?.db.dropDatabase().catch(() => undefined);
    await database?.close();
  });

  const refused = (port: number): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`passes ${signal} to the server, which stops and frees its port`, async () => {
      const npm = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', MONGODB_URI: uriWithDb(database.dbName) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        npm.on('close', (code, sig) => resolve({ code, signal: sig })),
      );
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start did not listen:\n${output}`)), 60_000);
        const onData = (d: Buffer): void => {
          output += d.toString();
          const match = /GraphQL API at http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        };
        npm.stdout.on('data', onData);
        npm.stderr.on('data', onData);
      });
      expect(await refused(port)).toBe(false);
      npm.kill(signal);
      const end = await exited;
      expect(output).toContain(`datadragon: ${signal}: stopping`);
      expect(output).toContain('datadragon: stopped.');
      expect(end.code === 0 || end.signal === signal).toBe(true);
      expect(await refused(port)).toBe(true);
    });
  }
});
