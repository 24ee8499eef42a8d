/** The plain (non-terminal) progress lines: steps by tenths, and a heartbeat while a phase has no news. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { phaseProgress } from '../../../src/cli/progress.js';

function plainStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('phaseProgress, plain output', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the start, then each tenth reached, with the elapsed time', () => {
    const { stream, lines } = plainStream();
    const progress = phaseProgress(stream);
    progress.start('activity', 200);
    vi.advanceTimersByTime(1500);
    progress.update(10, 200);
    progress.update(25, 200, 'users');
    progress.update(26, 200);
    progress.update(200, 200);
    progress.stop();
    expect(lines).toEqual(['activity: 0/200', 'activity: 25/200 (10%, 1.5 s) users', 'activity: 200/200 (100%, 1.5 s)']);
  });

  it('repeats the state while a phase has no news, and stops with the phase', () => {
    const { stream, lines } = plainStream();
    const progress = phaseProgress(stream, { heartbeatMs: 10_000 });
    progress.start('aggregate', 1000);
    vi.advanceTimersByTime(25_000);
    expect(lines).toEqual(['aggregate: 0/1000', 'aggregate: 0/1000, still running (10.0 s)', 'aggregate: 0/1000, still running (20.0 s)']);
    progress.update(1000, 1000);
    progress.start('indexes', 3);
    vi.advanceTimersByTime(10_000);
    progress.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines.slice(3)).toEqual(['aggregate: 1000/1000 (100%, 25.0 s)', 'indexes: 0/3', 'indexes: 0/3, still running (10.0 s)']);
  });

  it('says nothing more when work reports often enough', () => {
    const { stream, lines } = plainStream();
    const progress = phaseProgress(stream, { heartbeatMs: 10_000 });
    progress.start('split', 100);
    for (let i = 1; i <= 9; i++) {
      vi.advanceTimersByTime(4000);
      progress.update(i * 10, 100);
    }
    progress.stop();
    expect(lines.filter((line) => line.includes('still running'))).toEqual([]);
  });
});
