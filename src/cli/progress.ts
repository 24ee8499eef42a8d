/**
 * Progress on long work: a bar per phase on a terminal, a few plain lines otherwise (logs,
 * CI, pipes). Written to stderr so stdout stays clean for results. `jobProgress` draws a job
 * from its events, the same events the GraphQL job queries report.
 *
 * One number format everywhere (thousands separators: `20,000/20,000 users`), and percentages
 * computed from the counts shown (1/4 is 25 %, never more than the counts say). Plain output
 * writes a line each time a phase crosses a tenth of its size, and repeats the phase's state
 * after every `heartbeatMs` without news, so that logs show that work goes on.
 */
import cliProgress from 'cli-progress';
import type { JobListener, ProgressDetail } from '../jobs/index.js';

export interface PhaseProgress {
  start(phase: string, total: number, unit?: string): void;
  update(done: number, total?: number, detail?: string): void;
  stop(): void;
}

export interface PhaseProgressOptions {
  /** Plain output only: a line after this long without one (default 10 s). */
  heartbeatMs?: number;
}

/** 20000 → "20,000". */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** The whole percent `done` is of `total` (rounded down: 100 only when done). */
export function percentOf(done: number, total: number): number {
  return total > 0 ? Math.floor((Math.min(done, total) * 100) / total) : 0;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function phaseProgress(stream: NodeJS.WriteStream = process.stderr, options: PhaseProgressOptions = {}): PhaseProgress {
  return stream.isTTY ? terminalProgress(stream) : plainProgress(stream, options.heartbeatMs ?? 10_000);
}

function terminalProgress(stream: NodeJS.WriteStream): PhaseProgress {
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(phase, total, unit = '') {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          format: `${phase.padEnd(9)} {bar} {percentage}% | {value}/{total}${unit ? ` ${unit}` : ''}{detail} | {duration_formatted}`,
          formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? formatCount(Number(value)) : String(value)),
          stream,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { detail: '' });
    },
    update(done, total, detail = '') {
      if (total !== undefined) bar?.setTotal(total);
      bar?.update(done, { detail: detail ? `, ${detail}` : '' });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function plainProgress(stream: NodeJS.WriteStream, heartbeatMs: number): PhaseProgress {
  let phaseName = '';
  let unitName = '';
  let lastTenth = -1;
  let startedAt = 0;
  let lastWrite = 0;
  let done = 0;
  let total = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const counts = (): string => `${formatCount(done)}/${formatCount(total)}${unitName ? ` ${unitName}` : ''}`;
  const write = (line: string): void => {
    lastWrite = Date.now();
    stream.write(`${line}\n`);
  };
  const stopHeartbeat = (): void => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  };
  return {
    start(phase, phaseTotal, unit = '') {
      stopHeartbeat();
      [phaseName, unitName, lastTenth, startedAt, done, total] = [phase, unit, -1, Date.now(), 0, phaseTotal];
      write(`${phase}: ${counts()}`);
      heartbeat = setInterval(() => {
        if (Date.now() - lastWrite >= heartbeatMs) write(`${phaseName}: ${counts()}, still running (${seconds(Date.now() - startedAt)})`);
      }, heartbeatMs);
      heartbeat.unref();
    },
    update(doneNow, totalNow, detail = '') {
      done = doneNow;
      if (totalNow !== undefined) total = totalNow;
      if (!total) return;
      const tenth = Math.floor(percentOf(done, total) / 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        if (tenth > 0) write(`${phaseName}: ${counts()} (${percentOf(done, total)}%, ${seconds(Date.now() - startedAt)})${detail ? `, ${detail}` : ''}`);
      }
    },
    stop: stopHeartbeat,
  };
}

/** A phase's counts other than its own unit ("24,000 carts, 16,000 orders" beside users). */
function detailText(unit: string, detail: ProgressDetail): string {
  return Object.entries(detail)
    .filter(([name]) => name !== unit)
    .map(([name, n]) => `${formatCount(n)} ${name}`)
    .join(', ');
}

/** Draws a job's phases from its events; stops with the job. */
export function jobProgress(stream: NodeJS.WriteStream = process.stderr, options: PhaseProgressOptions = {}): JobListener<unknown> {
  const progress = phaseProgress(stream, options);
  const units = new Map<string, string>();
  return (event) => {
    switch (event.type) {
      case 'phase':
        units.set(event.phase, event.unit);
        progress.start(event.phase, event.total, event.unit);
        break;
      case 'progress':
        progress.update(event.done, event.total, detailText(units.get(event.phase) ?? '', event.detail));
        break;
      case 'commit':
      case 'settled':
        progress.stop();
        break;
      case 'phase-done':
        break;
    }
  };
}
