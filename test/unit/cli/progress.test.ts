/**
 * Progress output: plain lines (steps by tenths, percentages from the counts shown, thousands
 * separators, a heartbeat while a phase has no news), the terminal bar's numbers, and a job's
 * events drawn as phases.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCount, jobProgress, percentOf, phaseProgress } from '../../../src/cli/progress.js';

function plainStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

function terminalStream(): { stream: NodeJS.WriteStream; output: () => string } {
  let text = '';
  const stream = {
    isTTY: true,
    columns: 200,
    write: (chunk: string) => ((text += chunk), true),
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  } as unknown as NodeJS.WriteStream;
  // eslint-disable-next-line no-control-regex
  return { stream, output: () => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') };
}

describe('numbers and percentages', () => {
  it('one number format: thousands separators', () => {
    expect([formatCount(0), formatCount(999), formatCount(20_000), formatCount(1_234_567)]).toEqual(['0', '999', '20,000', '1,234,567']);
  });

  it('percentages match the counts: 1/4 is 25 %, 1/3 is 33 %, never 100 % before the end', () => {
    expect([percentOf(1, 4), percentOf(1, 3), percentOf(2, 3), percentOf(999, 1000), percentOf(1000, 1000), percentOf(5, 0), percentOf(7, 5)]).toEqual([
      25, 33, 66, 99, 100, 0, 100,
    ]);
  });
});

describe('phaseProgress, plain output', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the start, then each tenth reached with the percentage of the counts shown, and the elapsed time', () => {
    const { stream, lines } = plainStream();
    const progress = phaseProgress(stream);
    progress.start('activity', 20_000, 'users');
    vi.advanceTimersByTime(1500);
    progress.update(1_000, 20_000);
    progress.update(2_500, 20_000, '3,100 orders');
    progress.update(2_600, 20_000);
    progress.update(20_000, 20_000);
    progress.stop();
    expect(lines).toEqual([
      'activity: 0/20,000 users',
      'activity: 2,500/20,000 users (12%, 1.5 s), 3,100 orders',
      'activity: 20,000/20,000 users (100%, 1.5 s)',
    ]);
  });

  it('a split of four steps says 25 % after the first', () => {
    const { stream, lines } = plainStream();
    const progress = phaseProgress(stream);
    progress.start('split', 4, 'collections');
    progress.update(1, 4);
    progress.stop();
    expect(lines[1]).toBe('split: 1/4 collections (25%, 0.0 s)');
  });

  it('repeats the state while a phase has no news, and stops with the phase', () => {
    const { stream, lines } = plainStream();
    const progress = phaseProgress(stream, { heartbeatMs: 10_000 });
    progress.start('aggregate', 1000, 'customers');
    vi.advanceTimersByTime(25_000);
    expect(lines).toEqual([
      'aggregate: 0/1,000 customers',
      'aggregate: 0/1,000 customers, still running (10.0 s)',
      'aggregate: 0/1,000 customers, still running (20.0 s)',
    ]);
    progress.update(1000, 1000);
    progress.start('indexes', 3);
    vi.advanceTimersByTime(10_000);
    progress.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines.slice(3)).toEqual(['aggregate: 1,000/1,000 customers (100%, 25.0 s)', 'indexes: 0/3', 'indexes: 0/3, still running (10.0 s)']);
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

describe('phaseProgress, on a terminal', () => {
  it('shows the counts with thousands separators, the unit and the percentage', () => {
    const { stream, output } = terminalStream();
    const progress = phaseProgress(stream);
    progress.start('activity', 20_000, 'users');
    progress.update(5_000, 20_000, '6,000 orders');
    progress.stop();
    expect(output()).toMatch(/activity .* 25% \| 5,000\/20,000 users, 6,000 orders \|/);
  });
});

describe('jobProgress', () => {
  it('draws every phase of a job from its events, the other counts beside the unit, and stops at the swap', () => {
    const { stream, lines } = plainStream();
    const listener = jobProgress(stream);
    const job = undefined as never;
    listener({ type: 'phase', phase: 'activity', unit: 'users', total: 4000 }, job);
    listener({ type: 'progress', phase: 'activity', done: 2000, total: 4000, detail: { users: 2000, carts: 2600, orders: 1900 } }, job);
    listener({ type: 'phase-done', phase: 'activity', seconds: 1 }, job);
    listener({ type: 'phase', phase: 'split', unit: 'collections', total: 3 }, job);
    listener({ type: 'progress', phase: 'split', done: 3, total: 3, detail: {} }, job);
    listener({ type: 'commit' }, job);
    expect(lines.map((line) => line.replace(/ \([\d]+%, [\d.]+ s\)/, ' (…)'))).toEqual([
      'activity: 0/4,000 users',
      'activity: 2,000/4,000 users (…), 2,600 carts, 1,900 orders',
      'split: 0/3 collections',
      'split: 3/3 collections (…)',
    ]);
  });
});
