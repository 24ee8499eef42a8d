/**
 * Progress on long work: a bar per phase on a terminal, a few plain lines otherwise (logs,
 * CI, pipes). Written to stderr so stdout stays clean for results.
 *
 * Some phases cannot report steps (the crunch's aggregation is one server command that jumps
 * from 0 to all), so elapsed time shows that work goes on: the bar shows it live, and the
 * plain lines repeat the phase's state after every `heartbeatMs` without news.
 */
import cliProgress from 'cli-progress';

export interface PhaseProgress {
  start(phase: string, total: number): void;
  update(done: number, total?: number, detail?: string): void;
  stop(): void;
}

export interface PhaseProgressOptions {
  /** Plain output only: a line after this long without one (default 10 s). */
  heartbeatMs?: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function phaseProgress(stream: NodeJS.WriteStream = process.stderr, options: PhaseProgressOptions = {}): PhaseProgress {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    return {
      start(phase, total) {
        bar?.stop();
        bar = new cliProgress.SingleBar(
          { format: `${phase.padEnd(9)} {bar} {percentage}% | {value}/{total} {detail} | {duration_formatted}`, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { detail: '' });
      },
      update(done, total, detail = '') {
        if (total !== undefined) bar?.setTotal(total);
        bar?.update(done, { detail });
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  let phaseName = '';
  let lastTenth = -1;
  let startedAt = 0;
  let lastWrite = 0;
  let done = 0;
  let total = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const write = (line: string): void => {
    lastWrite = Date.now();
    stream.write(`${line}\n`);
  };
  const stopHeartbeat = (): void => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  };
  return {
    start(phase, phaseTotal) {
      stopHeartbeat();
      phaseName = phase;
      lastTenth = -1;
      startedAt = Date.now();
      done = 0;
      total = phaseTotal;
      write(`${phase}: 0/${total}`);
      heartbeat = setInterval(() => {
        if (Date.now() - lastWrite >= heartbeatMs) write(`${phaseName}: ${done}/${total}, still running (${seconds(Date.now() - startedAt)})`);
      }, heartbeatMs);
      heartbeat.unref();
    },
    update(doneNow, totalNow, detail = '') {
      done = doneNow;
      if (totalNow !== undefined) total = totalNow;
      const tenth = total ? Math.floor((done / total) * 10) : 0;
      if (tenth > lastTenth && total) {
        lastTenth = tenth;
        if (tenth > 0) write(`${phaseName}: ${done}/${total} (${tenth * 10}%, ${seconds(Date.now() - startedAt)})${detail ? ` ${detail}` : ''}`);
      }
    },
    stop: stopHeartbeat,
  };
}
