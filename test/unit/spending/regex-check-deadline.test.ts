/**
 * The regex checker runs in its own process or thread: when it dies or hangs, a request
 * waits no longer than CHECK_DEADLINE_MS and the pattern is refused with a clear error; the
 * refusal is not remembered, so the pattern is checked again once the checker answers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const checker = vi.hoisted(() => ({ hang: true, calls: 0 }));

vi.mock('recheck', () => ({
  check: (_source: string, _flags: string, options: { signal?: AbortSignal }) => {
    checker.calls++;
    if (!checker.hang) return Promise.resolve({ status: 'safe' });
    return new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new Error('cancelled'))));
  },
}));

const { assertSafePatterns, CHECK_DEADLINE_MS } = await import('../../../src/spending/regex-safety.js');

afterEach(() => {
  vi.useRealTimers();
});

describe('a checker that does not answer', () => {
  it('refuses the pattern at the deadline (UNSAFE_REGEX, saying why), then asks again', async () => {
    vi.useFakeTimers();
    checker.hang = true;
    const pending = assertSafePatterns({ email: { $regex: '^ana' } });
    const outcome = pending.then(
      () => 'accepted',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(CHECK_DEADLINE_MS - 1);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await outcome) as { reason?: string; path?: string; message: string };
    expect([error.reason, error.path]).toEqual(['UNSAFE_REGEX', 'email.$regex']);
    expect(error.message).toMatch(
      /"\^ana" at 'email.\$regex' could not be checked for catastrophic backtracking: the checker did not answer within 5 s, so it is refused; try again/,
    );

    checker.hang = false;
    const calls = checker.calls;
    await expect(assertSafePatterns({ email: { $regex: '^ana' } })).resolves.toBeUndefined();
    expect(checker.calls).toBe(calls + 1);
  });
});
