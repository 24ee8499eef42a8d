/**
 * HTTP figures: the GraphQL server under autocannon load on a crunched database of
 * BENCH_HTTP_USERS customers (default 100,000). Three operations, each measured at full
 * speed (requests/s, p50, p99) in the same run:
 *   - `{ __typename }`: the limit (HTTP, Apollo, no resolver, no database);
 *   - `customerSpending(customerId)` with a different customer per request (a by-id read);
 *   - a filtered, sorted `customerSpendings` page of 20.
 * Then the by-id query at a fixed 1,000 requests/s for its latency under a steady load
 * (an open-loop schedule: see `fixedRate`), and `{ __typename }` on the same schedule (the
 * latency floor of the HTTP stack at that rate on this machine), each with the CPU time per
 * request of the server, the engine and the load generator (the cores the load keeps busy).
 * Targets: by-id p99 ≤ 5 ms at 1,000 req/s; by-id throughput ≥ 0.5 × the trivial query's.
 * The trivial and by-id runs alternate (two halves each; the worse percentiles are reported),
 * and every run starts once the previous one's requests are done (`settled`).
 *
 * Processes: the embedded engine (`datadragon db`), the server (`datadragon serve`), and
 * autocannon in this process, all on this machine's cores (2 here): the ratios are the
 * figures to trust, absolute numbers move with the machine's load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openDatabase } from '../src/db/connection.js';
import { crunchSpending, seedDatabase } from '../src/jobs/index.js';
import { parseSeedOptions } from '../src/seeding/index.js';
import { percentile, type Figure } from './report.js';

const CLI = fileURLToPath(new URL('../../bin/datadragon.js', import.meta.url));
const SUITE = 'http';

interface Child {
  child: ChildProcess;
  match: RegExpExecArray;
  stop(): Promise<void>;
}

/** Starts the CLI with `args` and waits for a line matching `ready`. */
function startCli(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        resolve({
          child,
          match,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`datadragon ${args.join(' ')} exited (${code}):\n${out}`)));
  });
}

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function run(options: autocannon.Options): Promise<Load> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) return reject(error);
      resolve({
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
    });
  });
}

/**
 * A minimal HTTP/1.1 keep-alive client for the fixed-rate run: one request at a time per
 * connection, responses framed by Content-Length (the server always sends it). Much cheaper per
 * request than node:http's client, which matters when it shares two cores with the server.
 */
class RawConnection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((status: number | Error) => void) | undefined;

  constructor(
    port: number,
    host: string,
    private readonly onClose: (connection: RawConnection) => void,
  ) {
    this.socket = net.connect(port, host);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk) => this.read(chunk));
    const fail = (error: Error): void => {
      this.waiting?.(error);
      this.waiting = undefined;
      this.onClose(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  /** Sends one request; resolves with the response's status (or an error). */
  send(request: Buffer): Promise<number | Error> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(request);
    });
  }

  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headerEnd = this.buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = this.buffer.subarray(0, headerEnd).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
    if (!Number.isFinite(length)) {
      this.socket.destroy(new Error('response without Content-Length'));
      return;
    }
    if (this.buffer.length < headerEnd + 4 + length) return;
    this.buffer = this.buffer.subarray(headerEnd + 4 + length);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(Number(head.slice(9, 12)));
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * An open-loop load at a fixed rate: request i is due at start + i / rate, whether or not the
 * earlier ones have been answered (a population of clients does not wait for each other), on
 * up to 64 keep-alive connections (beyond that, requests wait for a free one). Latency is
 * counted from when a request was due, so time spent waiting for a connection or for a late
 * timer counts too. A warm-up at the same rate on the same connections comes first.
 *
 * Not autocannon's `overallRate`: it lets each connection send back to back until its quota
 * for the current second is used up, then pause until the next second (1,000 requests in a
 * burst at full concurrency, then silence), and it corrects for coordinated omission with an
 * expected interval of ceil(1 / per-connection rate) = 1 ms instead of 20 ms, which adds a
 * synthetic sample for every millisecond of every response.
 */
export async function fixedRate(url: string, rate: number, seconds: number, body: () => string, warmUpSeconds = 2): Promise<Load> {
  const target = new URL(url);
  const port = Number(target.port);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const requestOf = (payload: string): Buffer => {
    const bytes = Buffer.from(payload);
    const head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
  };
  const idle: RawConnection[] = [];
  const open = new Set<RawConnection>();
  const queue: (() => void)[] = [];
  const acquire = (): Promise<RawConnection> => {
    const connection = idle.pop();
    if (connection) return Promise.resolve(connection);
    if (open.size < 64) {
      const fresh = new RawConnection(port, host, (closed) => {
        open.delete(closed);
        const at = idle.indexOf(closed);
        if (at >= 0) idle.splice(at, 1);
      });
      open.add(fresh);
      return Promise.resolve(fresh);
    }
    return new Promise((resolve) => queue.push(() => resolve(acquire())));
  };
  const release = (connection: RawConnection): void => {
    if (open.has(connection)) idle.push(connection);
    queue.shift()?.();
  };

  const schedule = async (duration: number): Promise<Load> => {
    const latencies: number[] = [];
    let errors = 0;
    let non2xx = 0;
    const send = async (due: number): Promise<void> => {
      const connection = await acquire();
      const status = await connection.send(requestOf(body()));
      release(connection);
      if (status instanceof Error) errors++;
      else {
        latencies.push(performance.now() - due);
        if (status < 200 || status >= 300) non2xx++;
      }
    };
    const total = Math.round(rate * duration);
    const pending: Promise<void>[] = [];
    const start = performance.now();
    let sent = 0;
    await new Promise<void>((finished) => {
      const tick = (): void => {
        const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
        while (sent < due) pending.push(send(start + (sent++ * 1000) / rate));
        if (sent < total) setTimeout(tick, 1);
        else finished();
      };
      tick();
    });
    await Promise.all(pending);
    latencies.sort((a, b) => a - b);
    const round2 = (ms: number): number => Math.round(ms * 100) / 100;
    return {
      requestsPerSecond: latencies.length / ((performance.now() - start) / 1000),
      p50: round2(percentile(latencies, 50)),
      p99: round2(percentile(latencies, 99)),
      errors,
      non2xx,
    };
  };
  try {
    if (warmUpSeconds > 0) await schedule(warmUpSeconds);
    return await schedule(seconds);
  } finally {
    for (const connection of open) connection.close();
  }
}

/**
 * CPU time a process has used so far, in ms (Linux /proc; clock ticks at the usual 100 Hz), or
 * undefined where /proc is not there.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU ms per request of each process during `work`, which sends `requests` requests. */
async function cpuPerRequest<T>(
  pids: Record<string, number | undefined>,
  requests: number,
  work: () => Promise<T>,
): Promise<{ result: T; perRequest: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  const self = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(self);
  const perRequest: Record<string, number> = { 'load generator': (used.user + used.system) / 1000 / requests };
  for (const [name, pid] of Object.entries(pids)) {
    const after = processCpuMs(pid);
    if (after !== undefined && before[name] !== undefined) perRequest[name] = (after - before[name]!) / requests;
  }
  return { result, perRequest };
}

/** Runs of the same operation together: requests/s averaged, the worse latency percentiles. */
function combined(loads: Load[]): Load {
  return {
    requestsPerSecond: loads.reduce((sum, l) => sum + l.requestsPerSecond, 0) / loads.length,
    p50: Math.max(...loads.map((l) => l.p50)),
    p99: Math.max(...loads.map((l) => l.p99)),
    errors: loads.reduce((sum, l) => sum + l.errors, 0),
    non2xx: loads.reduce((sum, l) => sum + l.non2xx, 0),
  };
}

/**
 * Waits until the server and the database are idle again after a run: a single by-id request
 * answers within 20 ms three times in a row (or 60 s have passed).
 */
async function settled(url: string, body: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let fast = 0;
  while (fast < 3 && Date.now() < deadline) {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
    await response.arrayBuffer();
    fast = performance.now() - started < 20 ? fast + 1 : 0;
  }
}

const BY_ID = `query ById($id: ID!) {
  customerSpending(customerId: $id) {
    customerId email year monthlyAvgExpense
    monthlySpenses { jan fev mar abr mai jun jul ago set out nov dez }
    categorizedMonthlyAvgExpense { category amount }
  }
}`;

const PAGE = `query Page {
  customerSpendings(
    filter: { minMonthlyAvg: 50, month: { month: DEZ, min: 1 } }
    sort: { field: MONTHLY_AVG_EXPENSE, direction: DESC }
    first: 20
  ) {
    pageInfo { hasNextPage endCursor }
    edges { node { customerId email monthlyAvgExpense monthlySpenses { nov dez } } }
  }
}`;

export interface HttpBenchOptions {
  users: number;
  /** Seconds per full-speed run. */
  seconds: number;
  connections: number;
}

const WARM_UP_SECONDS = 2;

function cpuFigures(label: string, perRequest: Record<string, number>): Figure[] {
  const total = Object.values(perRequest).reduce((sum, ms) => sum + ms, 0);
  return [
    ...Object.entries(perRequest).map(([name, ms]) => ({ suite: SUITE, name: `${label}: CPU per request, ${name}`, value: ms, unit: 'ms' })),
    { suite: SUITE, name: `${label}: cores busy (all three processes)`, value: total, unit: 'cores' },
  ];
}

export async function httpBench(options: HttpBenchOptions): Promise<Figure[]> {
  const engine = await startCli(['db', '--in-memory', '--port', '0'], /listening on (mongodb:\/\/\S+)/);
  let server: Child | undefined;
  try {
    // Long socket timeouts: the crunch of 100k customers is one aggregate command that keeps
    // the engine busy for a while, and the driver's monitor must not give up on it meanwhile.
    const uri = `${engine.match[1]!.replace(/\/$/, '')}/bench_http?connectTimeoutMS=600000&socketTimeoutMS=0`;
    const database = await openDatabase(uri, { timeoutMs: 600_000 });
    let ids: string[];
    try {
      console.error(`bench http: seeding ${options.users.toLocaleString('en-US')} customers and crunching...`);
      const seeded = await seedDatabase(database, parseSeedOptions({ users: options.users, seed: 5, year: 2025 }));
      console.error(`bench http: seeded in ${seeded.seconds.total.toFixed(1)} s`);
      const crunched = await crunchSpending(database, { year: 2025 });
      console.error(`bench http: crunched ${crunched.customers.toLocaleString('en-US')} customers in ${crunched.seconds.toFixed(1)} s`);
      ids = (
        await database.db
          .collection('customer_spending')
          .aggregate<{ _id: string }>([{ $sample: { size: 2000 } }, { $project: { _id: 1 } }])
          .toArray()
      ).map((d) => d._id);
    } finally {
      await database.close();
    }

    server = await startCli(['serve', '--port', '0'], /GraphQL API at (http:\/\/\S+)/, { MONGODB_URI: uri, ADMIN_TOKEN: '', NODE_ENV: 'production' });
    const url = server.match[1]!;
    const headers = { 'content-type': 'application/json' };
    const trivialBody = JSON.stringify({ query: '{ __typename }' });
    const pageBody = JSON.stringify({ query: PAGE });
    let next = 0;
    const byIdRequest = [
      {
        method: 'POST' as const,
        setupRequest: (request: autocannon.Request) => ({ ...request, body: JSON.stringify({ query: BY_ID, variables: { id: ids[next++ % ids.length] } }) }),
      },
    ];
    const base = { url, method: 'POST' as const, headers, connections: options.connections, duration: options.seconds };

    const probeBody = (): string => JSON.stringify({ query: BY_ID, variables: { id: ids[next++ % ids.length] } });
    const settle = (): Promise<void> => settled(url, probeBody);

    // Warm-up: JIT, connection pools, the engine's caches.
    await run({ ...base, duration: 3, requests: byIdRequest });
    await run({ ...base, duration: 2, body: trivialBody });

    // The trivial and by-id runs alternate, in halves: a burst of load from elsewhere on the
    // machine then weighs on both, not on one, and their ratio stays meaningful.
    const half = { ...base, duration: Math.max(1, Math.round(options.seconds / 2)) };
    const loads: Record<'trivial' | 'byId', Load[]> = { trivial: [], byId: [] };
    for (let round = 0; round < 2; round++) {
      await settle();
      loads.trivial.push(await run({ ...half, body: trivialBody }));
      await settle();
      loads.byId.push(await run({ ...half, requests: byIdRequest }));
    }
    const trivial = combined(loads.trivial);
    const byId = combined(loads.byId);
    await settle();
    const page = await run({ ...base, body: pageBody });
    // The page run leaves queries queued in the engine (each a scan) when autocannon stops:
    // the fixed-rate run starts once they are done, or it would measure their backlog.
    await settle();
    // CPU per request of each process at that rate: how much of the machine's cores the load
    // takes, which is what the latency tail grows with.
    const pids = { server: server.child.pid, engine: engine.child.pid };
    const steadyRequests = 1000 * (options.seconds + WARM_UP_SECONDS);
    const { result: steady, perRequest: steadyCpu } = await cpuPerRequest(pids, steadyRequests, () =>
      fixedRate(url, 1000, options.seconds, probeBody, WARM_UP_SECONDS),
    );
    // The same schedule with the trivial query: the latency floor of HTTP + Apollo at that rate
    // on this machine, for the by-id figure to be read against.
    await settle();
    const { result: steadyTrivial, perRequest: trivialCpu } = await cpuPerRequest(pids, steadyRequests, () =>
      fixedRate(url, 1000, options.seconds, () => trivialBody, WARM_UP_SECONDS),
    );

    for (const [name, load] of Object.entries({ trivial, byId, page, steady, steadyTrivial })) {
      if (load.errors || load.non2xx) throw new Error(`bench http: ${name}: ${load.errors} errors, ${load.non2xx} non-2xx responses`);
    }
    const ratio = byId.requestsPerSecond / trivial.requestsPerSecond;
    return [
      { suite: SUITE, name: `customers crunched`, value: options.users, unit: 'customers' },
      { suite: SUITE, name: '{ __typename } (the limit)', value: Math.round(trivial.requestsPerSecond), unit: 'req/s' },
      { suite: SUITE, name: '{ __typename } p50', value: trivial.p50, unit: 'ms' },
      { suite: SUITE, name: '{ __typename } p99', value: trivial.p99, unit: 'ms' },
      { suite: SUITE, name: 'customerSpending(customerId)', value: Math.round(byId.requestsPerSecond), unit: 'req/s' },
      { suite: SUITE, name: 'customerSpending p50', value: byId.p50, unit: 'ms' },
      { suite: SUITE, name: 'customerSpending p99', value: byId.p99, unit: 'ms' },
      { suite: SUITE, name: 'customerSpending / { __typename } throughput', value: ratio, unit: 'ratio', target: '≥ 0.5', pass: ratio >= 0.5 },
      { suite: SUITE, name: 'customerSpending at 1,000 req/s: achieved', value: Math.round(steady.requestsPerSecond), unit: 'req/s' },
      { suite: SUITE, name: 'customerSpending at 1,000 req/s: p50', value: steady.p50, unit: 'ms' },
      { suite: SUITE, name: 'customerSpending at 1,000 req/s: p99', value: steady.p99, unit: 'ms', target: '≤ 5 ms', pass: steady.p99 <= 5 },
      ...cpuFigures('customerSpending at 1,000 req/s', steadyCpu),
      { suite: SUITE, name: '{ __typename } at 1,000 req/s: p50 (the floor)', value: steadyTrivial.p50, unit: 'ms' },
      { suite: SUITE, name: '{ __typename } at 1,000 req/s: p99 (the floor)', value: steadyTrivial.p99, unit: 'ms' },
      ...cpuFigures('{ __typename } at 1,000 req/s', trivialCpu),
      { suite: SUITE, name: 'customerSpendings filtered page of 20', value: Math.round(page.requestsPerSecond), unit: 'req/s' },
      { suite: SUITE, name: 'customerSpendings page p50', value: page.p50, unit: 'ms' },
      { suite: SUITE, name: 'customerSpendings page p99', value: page.p99, unit: 'ms' },
      { suite: SUITE, name: 'customerSpendings page / { __typename } throughput', value: page.requestsPerSecond / trivial.requestsPerSecond, unit: 'ratio' },
    ];
  } finally {
    await server?.stop();
    await engine.stop();
  }
}
