/**
 * The GraphQL server under attack: alias, depth, fragment and batch bombs,
 * huge bodies, catastrophic regular expressions, `$range` expressions, subscriptions, and
 * filters holding many new patterns (whose check runs off the event loop), each sent by 4
 * concurrent clients for a share of the time budget, while a separate process asks
 * `GET /health` every 25 ms.
 *
 * The health check is first measured with the server idle, in the same run, for a few
 * seconds: on a machine shared with other work, a fixed bound in milliseconds measures the
 * machine as much as the server. During the attacks, the health check's median must stay
 * within HEALTH_P50_MARGIN_MS of the idle median, its p99 within HEALTH_P99_MARGIN_MS of the
 * idle p99, and the longest the server's event loop was held between two checks (the server
 * measures it: it tells a stalled server from a probe that missed its turn), p99 over the
 * checks, within HEALTH_P99_MARGIN_MS of the idle one.
 *
 * Failures: an attack answered with anything but its refusal (the status and the error's code
 * and reason are checked, and the data of the requests that must be answered), a health check
 * that failed, answered anything but a connected status, or missed the bounds above, a server
 * that no longer answers. Figures: requests and p99 answer time per attack, the health check's
 * p50/p99/max idle and under attack, the event loop's, the server's memory after.
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
/** How much slower than idle the health check's median may be during the attacks. */
const HEALTH_P50_MARGIN_MS = 25;
/** How much slower than idle its p99 (and the event loop's p99) may be during the attacks. */
const HEALTH_P99_MARGIN_MS = 150;
/** How long the health check is measured with the server idle, before the attacks. */
const IDLE_MS = 4_000;
const CLIENTS = Number(process.env.FAULTS_GRAPHQL_CLIENTS ?? 4);

interface Attack {
  name: string;
  /** The request, built once. */
  body: () => { body: string; headers?: Record<string, string> };
  /** The status every answer must have. */
  status: number;
  /** The `extensions.code` (and `reason`) of its first error, or what its data must be (checks every answer). */
  answer: { code: string; reason?: string } | ((body: AnswerBody) => string | undefined);
}

interface AnswerBody {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: { code?: string; reason?: string } }[];
}

/** What is wrong with an answer, or undefined when it is the expected one. */
function answerProblem(spec: Attack, status: number, text: string): string | undefined {
  if (status !== spec.status) return `HTTP ${status} instead of ${spec.status}: ${text.slice(0, 200)}`;
  let body: AnswerBody;
  try {
    body = JSON.parse(text) as AnswerBody;
  } catch {
    return `HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  if (typeof spec.answer === 'function') return spec.answer(body);
  const extensions = body.errors?.[0]?.extensions;
  const expected = spec.answer;
  if (extensions?.code !== expected.code || (expected.reason !== undefined && extensions.reason !== expected.reason)) {
    return `expected ${expected.code}${expected.reason ? ` (${expected.reason})` : ''}, got ${JSON.stringify(body.errors?.[0] ?? body).slice(0, 200)}`;
  }
  if (body.data) return `a refusal with data: ${text.slice(0, 200)}`;
  return undefined;
}

const PAGE =
  'edges { cursor node { customerId email year monthlyAvgExpense details { firstName lastName } monthlySpenses { jan fev mar abr mai jun jul ago set out nov dez } } }';
const json = (value: unknown): { body: string } => ({ body: JSON.stringify(value) });
const aliases = (n: number): string => `{ ${Array.from({ length: n }, (_, i) => `a${i}: customerSpendings(first: 100) { ${PAGE} }`).join(' ')} }`;
let novel = 0;

const ATTACKS: Attack[] = [
  { name: 'alias bomb, 10,000 aliases (2 MB body)', body: () => json({ query: aliases(10_000) }), status: 413, answer: { code: 'BAD_REQUEST' } },
  { name: 'alias bomb, 1,200 aliases (250 kB)', body: () => json({ query: aliases(1_200) }), status: 400, answer: { code: 'GRAPHQL_PARSE_FAILED' } },
  { name: 'alias bomb, 400 aliases', body: () => json({ query: aliases(400) }), status: 400, answer: { code: 'GRAPHQL_PARSE_FAILED' } },
  {
    name: 'alias bomb, 31 small aliases',
    body: () => json({ query: `{ seedJobs { ${Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ')} } }` }),
    status: 400,
    answer: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'TOO_MANY_ALIASES' },
  },
  {
    name: 'depth bomb, 2,400 levels',
    body: () => json({ query: `${'{ seedJobs '.repeat(2_400)}${'}'.repeat(2_400)}` }),
    status: 400,
    answer: { code: 'GRAPHQL_PARSE_FAILED' },
  },
  {
    name: 'fragment bomb, 2^20 expansions',
    body: () =>
      json({
        query: `{ ...F0 } ${Array.from({ length: 20 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F20 on Query { seedJobs { id } }`,
      }),
    status: 400,
    answer: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'REPEATED_FIELD' },
  },
  {
    name: 'batch of 1,000 operations',
    body: () => json(Array.from({ length: 1_000 }, () => ({ query: '{ seedJobs { id } }' }))),
    status: 400,
    answer: { code: 'BAD_REQUEST' },
  },
  { name: 'body of 20 MB', body: () => json({ query: `{ __typename } # ${'x'.repeat(20_000_000)}` }), status: 413, answer: { code: 'BAD_REQUEST' } },
  {
    name: 'catastrophic $regex',
    body: () =>
      json({
        query: 'query($f: SpendingFilter) { customerSpendings(filter: $f) { totalCount } }',
        variables: { f: { where: { email: { $regex: '^(.|.){0,21}!' } } } },
      }),
    status: 400,
    answer: { code: 'BAD_USER_INPUT', reason: 'UNSAFE_REGEX' },
  },
  {
    name: '$expr with $range',
    body: () =>
      json({
        query: 'query($f: SpendingFilter) { customerSpendings(filter: $f) { totalCount } }',
        variables: { f: { where: { $expr: { $gt: [{ $size: { $range: [0, 300_000] } }, 0] } } } },
      }),
    status: 400,
    answer: { code: 'BAD_USER_INPUT', reason: 'FORBIDDEN_OPERATOR' },
  },
  {
    name: 'subscription',
    body: () => json({ query: 'subscription { seedJobs { id } }' }),
    status: 400,
    answer: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'OPERATION_NOT_SERVED' },
  },
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
  // the database is empty: every request is answered, and counts nothing
  answer: (body) =>
    body.errors === undefined && (body.data?.customerSpendings as { totalCount?: unknown } | undefined)?.totalCount === 0
      ? undefined
      : `expected a total count of 0, got ${JSON.stringify(body).slice(0, 200)}`,
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
    const health = response.status === 200 ? JSON.parse(body) : undefined;
    if (!health || health.status !== 'ok' || health.database !== 'connected' || typeof health.eventLoopDelayMaxMs !== 'number') failures.push('HTTP ' + response.status + ': ' + body.slice(0, 200));
    else loopDelays.push([Date.now(), health.eventLoopDelayMaxMs]);
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
        const problem = answerProblem(spec, response.status, await response.text());
        if (problem) unexpected.push(problem);
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

/** p50, p99 and max of some samples. */
function spread(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
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
    const idle = { from: Date.now(), to: 0 };
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    idle.to = Date.now();
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
      if (unexpected.length) failures.push(`${spec.name}: ${unexpected.length} of ${times.length} answers were not the expected ones, e.g. ${unexpected[0]}`);
    }
    const health = await probe.stop();
    const within = (samples: [number, number][], window: { from: number; to: number }): number[] =>
      samples.filter(([at]) => at >= window.from && at <= window.to).map(([, ms]) => ms);
    for (const window of windows) {
      figures.push({ suite: SUITE, name: `${window.name}: health check max`, value: Math.max(...within(health.latencies, window)), unit: 'ms' });
      figures.push({ suite: SUITE, name: `${window.name}: server event loop held, max`, value: Math.max(...within(health.loopDelays, window)), unit: 'ms' });
    }
    const attacked = { from: windows[0]?.from ?? idle.to, to: windows.at(-1)?.to ?? idle.to };
    const idleHealth = spread(within(health.latencies, idle));
    const idleLoop = spread(within(health.loopDelays, idle));
    const underAttack = within(health.latencies, attacked);
    const attackHealth = spread(underAttack);
    const attackLoop = spread(within(health.loopDelays, attacked));
    const bounds = { p50: idleHealth.p50 + HEALTH_P50_MARGIN_MS, p99: idleHealth.p99 + HEALTH_P99_MARGIN_MS, loop: idleLoop.p99 + HEALTH_P99_MARGIN_MS };
    const held = (value: number, bound: number): boolean => value <= bound;
    figures.push({ suite: SUITE, name: 'health checks idle', value: within(health.latencies, idle).length, unit: 'requests' });
    figures.push({ suite: SUITE, name: 'health check idle p50', value: idleHealth.p50, unit: 'ms' });
    figures.push({ suite: SUITE, name: 'health check idle p99', value: idleHealth.p99, unit: 'ms' });
    figures.push({ suite: SUITE, name: 'server event loop held idle, p99', value: idleLoop.p99, unit: 'ms' });
    figures.push({ suite: SUITE, name: 'health checks during the attacks', value: underAttack.length, unit: 'requests' });
    figures.push({
      suite: SUITE,
      name: 'health check p50',
      value: attackHealth.p50,
      unit: 'ms',
      target: `≤ ${bounds.p50.toFixed(1)} ms (idle + ${HEALTH_P50_MARGIN_MS})`,
      pass: held(attackHealth.p50, bounds.p50),
    });
    figures.push({
      suite: SUITE,
      name: 'health check p99',
      value: attackHealth.p99,
      unit: 'ms',
      target: `≤ ${bounds.p99.toFixed(1)} ms (idle + ${HEALTH_P99_MARGIN_MS})`,
      pass: held(attackHealth.p99, bounds.p99),
    });
    figures.push({ suite: SUITE, name: 'health check max', value: attackHealth.max, unit: 'ms' });
    figures.push({
      suite: SUITE,
      name: 'server event loop held, p99',
      value: attackLoop.p99,
      unit: 'ms',
      target: `≤ ${bounds.loop.toFixed(1)} ms (idle + ${HEALTH_P99_MARGIN_MS})`,
      pass: held(attackLoop.p99, bounds.loop),
    });
    figures.push({ suite: SUITE, name: 'server event loop held, max', value: attackLoop.max, unit: 'ms' });
    if (health.failures.length) failures.push(`the health check failed ${health.failures.length} times, e.g. ${health.failures[0]}`);
    if (!(idleHealth.p50 >= 0) || !(attackHealth.p50 >= 0))
      failures.push(`too few health checks to judge (${within(health.latencies, idle).length} idle, ${underAttack.length} during the attacks)`);
    // The maxima are shown only: on a machine whose cores other work also wants, a probe or the
    // server can miss its turn for a while whatever it does; the median and p99 against the
    // idle ones, measured minutes apart on the same machine, tell the server's share.
    if (!held(attackHealth.p50, bounds.p50))
      failures.push(
        `the health check's median was ${attackHealth.p50.toFixed(1)} ms during the attacks, ${idleHealth.p50.toFixed(1)} ms idle: more than ${HEALTH_P50_MARGIN_MS} ms slower`,
      );
    if (!held(attackHealth.p99, bounds.p99))
      failures.push(
        `the health check's p99 was ${attackHealth.p99.toFixed(1)} ms during the attacks, ${idleHealth.p99.toFixed(1)} ms idle: more than ${HEALTH_P99_MARGIN_MS} ms slower`,
      );
    if (!held(attackLoop.p99, bounds.loop))
      failures.push(
        `the server's event loop was held ${attackLoop.p99.toFixed(1)} ms (p99 over the checks) during the attacks, ${idleLoop.p99.toFixed(1)} ms idle: more than ${HEALTH_P99_MARGIN_MS} ms longer`,
      );
    const alive = await fetch(served.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    }).catch((error: unknown) => error as Error);
    const aliveBody = alive instanceof Error ? undefined : await alive.text();
    const typename = (() => {
      try {
        return (JSON.parse(aliveBody ?? '') as { data?: { __typename?: unknown } }).data?.__typename;
      } catch {
        return undefined;
      }
    })();
    if (alive instanceof Error || alive.status !== 200 || typename !== 'Query') {
      failures.push(
        `the server does not answer after the attacks: ${alive instanceof Error ? alive.message : `HTTP ${alive.status}: ${aliveBody?.slice(0, 200)}`}`,
      );
    }
    figures.push({ suite: SUITE, name: 'server memory after the attacks (RSS)', value: rssMiB(served.child.pid), unit: 'MiB' });
  } finally {
    await served.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { figures, failures };
}
