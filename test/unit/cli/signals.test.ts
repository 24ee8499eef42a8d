/**
 * Stopping on SIGINT/SIGTERM: the first signal stops in order; the duplicate that npm forwards
 * for the same Ctrl-C changes nothing; a later one forces the exit (130).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onStopSignals, SAME_SIGNAL_MS, SIGNAL_EXIT_CODE, untilSignal } from '../../../src/cli/run.js';

const listening: (() => void)[] = [];
afterEach(() => {
  for (const stop of listening.splice(0)) stop();
});

describe('onStopSignals', () => {
  it('first, then again only past SAME_SIGNAL_MS; stops listening when asked', () => {
    let clock = 1_000;
    const seen: string[] = [];
    const stop = onStopSignals({ first: (signal) => seen.push(`first ${signal}`), again: (signal) => seen.push(`again ${signal}`), now: () => clock });
    listening.push(stop);
    process.emit('SIGINT', 'SIGINT');
    clock += 10;
    process.emit('SIGINT', 'SIGINT'); // npm's copy of the same Ctrl-C
    clock += SAME_SIGNAL_MS;
    process.emit('SIGTERM', 'SIGTERM');
    expect(seen).toEqual(['first SIGINT', 'again SIGTERM']);
    stop();
    process.emit('SIGINT', 'SIGINT');
    expect(seen).toHaveLength(2);
  });
});

describe('untilSignal', () => {
  it('resolves with the first signal; the duplicate is ignored; a later one exits 130, saying so', async () => {
    let clock = 0;
    const exit = vi.fn();
    const lines: string[] = [];
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    const stopped = untilSignal({ now: () => clock, exit, log: (line) => lines.push(line) });
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    await expect(stopped).resolves.toBe('SIGINT');
    expect(exit).not.toHaveBeenCalled();
    clock += SAME_SIGNAL_MS + 1;
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(SIGNAL_EXIT_CODE);
    expect(lines).toEqual(['datadragon: SIGINT again: stopping at once, without finishing what was under way']);
    for (const name of ['SIGINT', 'SIGTERM'] as const) for (const listener of process.listeners(name).slice(before[name])) process.off(name, listener);
  });
});
