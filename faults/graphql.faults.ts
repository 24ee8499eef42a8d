/**
 * The GraphQL server under attack (issue 16 item 8): alias, depth, fragment and batch bombs,
 * huge bodies, catastrophic regular expressions, `$range` expressions, subscriptions, and
 * filters holding many new patterns (whose check runs off the event loop), each sent by 4
 * concurrent clients for a share of the time budget, while a separate process asks
 * `GET /health` every 25 ms. Figures: requests and p99 answer time per attack, the health
 * check's p50/p99/max during the attacks (bound: 100 ms), the longest the server's
 * event loop was held (the server measures it; it tells a stalled server from a machine too
 * busy to schedule the probe), the server's memory after.
 * Failures: an attack answered with another status than its refusal, a health check that
 * failed or whose p99 missed its bound, a server that no longer answers.
 *
 * The server is `datadragon serve` as built (dist/), on 127.0.0.1, with the embedded engine
 * in a temporary directory (MONGODB_URI is ignored: the suite stays on this machine).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaultContext } from './index.js';
import { percentile, type FaultReport, type Figure } from './report.js';

const CLI = fileURLToPath(new URL('../../bin/datadragon.js', import.meta.url));
const SUITE = 'graphql';
const HEALTH_BOUND_MS = 100;
const CLIENTS = Number(process.env.FAULTS_GRAPHQL_CLIENTS ?? 4);

interface Attack {
  name: string;
  /** The request, built once. */
  body: () => { body: string; headers?: Record<string, string> };
  /** The status every answer must have. */
  status: number;
}

const PAGE = 'edges { cursor node { customerId email year monthlyAvgExpense details { firstName lastName } monthlySpenses { jan fev mar abr mai jun jul ago set out nov dez } } }';
const json = (value: unknown): { body: string } => ({ body: JSON.stringify(value) });
const aliases = (n: number): string => `{ ${Array.from({ length: n }, (_, i) => `a${i}: customerSpendings(first: 100) { ${PAGE} }`).join(' ')} }`;
let novel = 0;

const ATTACKS: Attack[] = [
  { name: 'alias bomb, 10,000 aliases (2 MB body)', body: () => json({ query: aliases(10_000) }), status: 413 },
  { name: 'alias bomb, 1,200 aliases (250 kB)', body: () => json({ query: aliases(1_200) }), status: 400 },
  { name: 'alias bomb, 400 aliases', body: () => json({ query: aliases(400) }), status: 400 },
  { name: 'alias bomb, 31 small aliases', body: () => json({ query: `{ seedJobs { ${Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ')} } }` }), status: 400 },
  { name: 'depth bomb, 2,400 levels', body: () => json({ query: `${'{ seedJobs '.repeat(2_400)}${'}'.repeat(2_400)}` }), status: 400 },
  {
    name: 'fragment bomb, 2^20 expansions',
    body: () => json({ query: `{ ...F0 } ${Array.from({ length: 20 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F20 on Query { seedJobs { id } }` }),
    status: 400,
  },
  { name: 'batch of 1,000 operations', body: () => json(Array.from({ length: 1_000 }, () => ({ query: '{ seedJobs { id } }' }))), status: 400 },
  { name: 'body of 20 MB', body: () => json({ query: `{ __typename } # ${'x'.repeat(20_000_000)}` }), status: 413 },
  { name: 'catastrophic $regex', body: () => json({ query: 'query($f: SpendingFilter) { customerSpendings(filter: $f) { totalCount } }', variables: { f: { where: { email: { $regex: '^(.|.){0,21}!' } } } } }), status: 400 },
  { name: '$expr with $range', body: () => json({ query: 'query($f: SpendingFilter) { customerSpendings(filter: $f) { totalCount } }', variables: { f: { where: { $expr: { $gt: [{ $size: { $range: [0, 300_000] } }, 0] } } } } }), status: 400 },
  { name: 'subscription', body: () => json({ query: 'subscription { seedJobs { id } }' }), status: 400 },
];

/** Not built once: 20 patterns never seen before per request, each checked for catastrophic backtracking. */
const NOVEL_PATTERNS: Attack = {
  name: '20 new regular expressions per request',
  body: () =>
    json({
      query: 'query($f: SpendingFilter) { customerSpendings(filter: $f) { totalCount } }',
      variables: { f: { where: { $or: Array.from({ length: 20 }, () => ({ email: { $regex: `^(ab|cd)+x${novel++}[a-z]*@` } })) } } },
    }),
  status: 200,
};

interface Served {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function serve(dataDir: string): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATADRAGON_DATA_DIR: dataDir, HOST: '127.0.0.1', ADMIN_TOKEN: '' };
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /GraphQL API at (http:\/\/\S+)/.exec(output);
      if (match && /admin mutations/.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({
          child,
          url: match[1]!,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
              child.once('exit', () => (clearTimeout(kill), done()));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

/** `GET /health` every 25 ms from a process of its own (the attackers' work must not delay it), until stdin closes. */
const PROBE = `
const url = process.argv[1];
const latencies = [];
const loopDelays = [];
const failures = [];
let running = true;
process.stdin.on('close', () => { running = false; });
process.stdin.resume();
while (running) {
  const started = performance.now();
  try {
    const response = await fetch(url);
    const body = await response.text();
    if (response.status !== 200) failures.push('status ' + response.status);
    else loopDelays.push([Date.now(), JSON.parse(body).eventLoopDelayMaxMs]);
  } catch (error) {
    failures.push(String(error));
  }
  latencies.push([Date.now(), performance.now() - started]);
  await new Promise((resolve) => setTimeout(resolve, 25));
}
process.stdout.write(JSON.stringify({ latencies, loopDelays, failures }));
`;

interface ProbeResult {
  /** [when, ms] of each health check, as the probe measured it. */
  latencies: [number, number][];
  /** [when, ms]: the longest the server's event loop was held since the previous check, as the server measured it. */
  loopDelays: [number, number][];
  failures: string[];
}

function startProbe(url: string): { stop(): Promise<ProbeResult> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out) as ProbeResult;
    },
  };
}

async function attack(url: string, spec: Attack, until: number): Promise<{ times: number[]; unexpected: string[] }> {
  const prebuilt = spec === NOVEL_PATTERNS ? undefined : spec.body();
  const times: number[] = [];
  const unexpected: string[] = [];
  const client = async (): Promise<void> => {
    while (Date.now() < until) {
      const { body, headers } = prebuilt ?? spec.body();
      const started = performance.now();
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        const text = await response.text();
        if (response.status !== spec.status) unexpected.push(`HTTP ${response.status}: ${text.slice(0, 200)}`);
      } catch (error) {
        unexpected.push(String(error));
      }
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { times, unexpected };
}

function rssMiB(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

export async function graphqlFaults(context: FaultContext): Promise<FaultReport> {
  const figures: Figure[] = [];
  const failures: string[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadragon-faults-'));
  const served = await serve(dataDir);
  try {
    // FAULTS_GRAPHQL_ONLY=<text>: only the attacks whose name contains it (to study one)
    const only = process.env.FAULTS_GRAPHQL_ONLY;
    const attacks = [...ATTACKS, NOVEL_PATTERNS].filter((spec) => !only || spec.name.includes(only));
    const probe = startProbe(served.url.replace(/\/graphql$/, '/health'));
    const slice = Math.max(1_000, (context.deadline - Date.now() - 15_000) / attacks.length);
    const windows: { name: string; from: number; to: number }[] = [];
    for (const spec of attacks) {
      const from = Date.now();
      const { times, unexpected } = await attack(served.url, spec, Date.now() + slice);
      windows.push({ name: spec.name, from, to: Date.now() });
      const sorted = [...times].sort((a, b) => a - b);
      context.log(`${spec.name}: ${times.length} requests, p99 ${percentile(sorted, 99).toFixed(1)} ms`);
      figures.push({ suite: SUITE, name: `${spec.name}: requests`, value: times.length, unit: 'requests' });
      figures.push({ suite: SUITE, name: `${spec.name}: p99 answer`, value: percentile(sorted, 99), unit: 'ms' });
      if (unexpected.length) failures.push(`${spec.name}: ${unexpected.length} of ${times.length} answers were not HTTP ${spec.status}, e.g. ${unexpected[0]}`);
    }
    const health = await probe.stop();
    for (const window of windows) {
      const within = (samples: [number, number][]): number[] => samples.filter(([at]) => at >= window.from && at <= window.to).map(([, ms]) => ms);
      figures.push({ suite: SUITE, name: `${window.name}: health check max`, value: Math.max(...within(health.latencies)), unit: 'ms' });
      figures.push({ suite: SUITE, name: `${window.name}: server event loop held, max`, value: Math.max(...within(health.loopDelays)), unit: 'ms' });
    }
    const sorted = health.latencies.map(([, latency]) => latency).sort((a, b) => a - b);
    const max = sorted.at(-1) ?? NaN;
    figures.push({ suite: SUITE, name: 'health checks during the attacks', value: sorted.length, unit: 'requests' });
    figures.push({ suite: SUITE, name: 'health check p50', value: percentile(sorted, 50), unit: 'ms' });
    figures.push({ suite: SUITE, name: 'health check p99', value: percentile(sorted, 99), unit: 'ms', target: `≤ ${HEALTH_BOUND_MS} ms`, pass: percentile(sorted, 99) <= HEALTH_BOUND_MS });
    figures.push({ suite: SUITE, name: 'health check max', value: max, unit: 'ms', target: `≤ ${HEALTH_BOUND_MS} ms`, pass: max <= HEALTH_BOUND_MS });
    if (health.failures.length) failures.push(`the health check failed ${health.failures.length} times, e.g. ${health.failures[0]}`);
    const held = Math.max(...health.loopDelays.map(([, ms]) => ms));
    figures.push({ suite: SUITE, name: 'server event loop held, max', value: held, unit: 'ms', target: `≤ ${HEALTH_BOUND_MS} ms`, pass: held <= HEALTH_BOUND_MS });
    // The maxima are shown against the bound; the p99 fails the suite: on a machine whose cores
    // other work also wants, a probe or the server can miss its turn for a while whatever it does.
    const p99 = percentile(sorted, 99);
    if (!(p99 <= HEALTH_BOUND_MS)) failures.push(`the health check took ${p99.toFixed(1)} ms (p99) during the attacks; the bound is ${HEALTH_BOUND_MS} ms`);
    const alive = await fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }).catch((error: unknown) => error as Error);
    if (alive instanceof Error || alive.status !== 200) failures.push(`the server does not answer after the attacks: ${alive instanceof Error ? alive.message : `HTTP ${alive.status}`}`);
    figures.push({ suite: SUITE, name: 'server memory after the attacks (RSS)', value: rssMiB(served.child.pid), unit: 'MiB' });
  } finally {
    await served.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, failures };
}
