/**
 * Progress on long work: a bar per phase on a terminal, a few plain lines otherwise (logs,
 * CI, pipes). Written to stderr so stdout stays clean for results.
 */
import cliProgress from 'cli-progress';

export interface PhaseProgress {
  start(phase: string, total: number): void;
  update(done: number, total?: number, detail?: string): void;
  stop(): void;
}

export function phaseProgress(stream: NodeJS.WriteStream = process.stderr): PhaseProgress {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    return {
      start(phase, total) {
        bar?.stop();
        bar = new cliProgress.SingleBar(
          { format: `${phase.padEnd(9)} {bar} {percentage}% | {value}/{total} {detail}`, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
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
  let phaseName = '';
  let lastTenth = -1;
  let startedAt = 0;
  return {
    start(phase, total) {
      phaseName = phase;
      lastTenth = -1;
      startedAt = performance.now();
      stream.write(`${phase}: 0/${total}\n`);
    },
    update(done, total, detail = '') {
      const tenth = total ? Math.floor((done / total) * 10) : 0;
      if (tenth > lastTenth && total) {
        lastTenth = tenth;
        if (tenth > 0) stream.write(`${phaseName}: ${done}/${total} (${tenth * 10}%, ${((performance.now() - startedAt) / 1000).toFixed(1)} s)${detail ? ` ${detail}` : ''}\n`);
      }
    },
    stop() {},
  };
}
