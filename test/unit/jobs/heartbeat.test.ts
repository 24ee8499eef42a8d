/**
 * The job lock's decisions without a database (src/jobs/heartbeat.ts): when a holder counts
 * as gone, and when a heartbeat's answer makes the job give the lock up.
 * test/integration/job-lock.test.ts runs the lock itself on a database.
 */
import { describe, expect, it } from 'vitest';
import { holderIsGone, lostReason, processIsAlive } from '../../../src/jobs/heartbeat.js';
import { LOCK_DEFAULTS } from '../../../src/jobs/index.js';

describe('a holder', () => {
  const dead = (): boolean => false;
  const alive = (): boolean => true;
  it('of this host whose process is dead is gone at once', () => {
    expect(holderIsGone({ host: 'here', pid: 42 }, 'here', dead)).toBe(true);
    expect(holderIsGone({ host: 'here', pid: 42 }, 'here', alive)).toBe(false);
  });
  it('of another host is never judged by its pid (only its heartbeat can make it stale)', () => {
    let asked = false;
    expect(
      holderIsGone({ host: 'elsewhere', pid: 42 }, 'here', () => {
        asked = true;
        return false;
      }),
    ).toBe(false);
    expect(asked).toBe(false);
  });
  it('this process is alive; a pid no process has is not', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(2 ** 22 + 12345)).toBe(false);
  });
});

describe('a heartbeat’s answer', () => {
  const timing = { heartbeatMs: 2_000, staleMs: 15_000 };
  const down = { error: new Error('connection refused') };

  it('the lock still ours: kept', () => {
    expect(lostReason({ matched: true }, 60_000, timing)).toBeUndefined();
  });

  it('the lock no longer ours (taken over, or deleted): lost at once', () => {
    expect(lostReason({ matched: false }, 0, timing)).toBe('another job took it over, or it was deleted');
  });

  it('the server out of reach: kept while no other job may take it over before the next beat, lost after', () => {
    // others take over after staleMs without a beat; the next beat comes heartbeatMs later
    expect(lostReason(down, 12_999, timing)).toBeUndefined();
    expect(lostReason(down, 13_000, timing)).toBeUndefined();
    expect(lostReason(down, 13_001, timing)).toBe('no heartbeat for 13 s: connection refused');
    expect(lostReason(down, 14_600, timing)).toBe('no heartbeat for 15 s: connection refused');
  });

  it('with the default timing, gives up 2 s before the 15 s others wait', () => {
    expect(LOCK_DEFAULTS).toEqual({ heartbeatMs: 2_000, staleMs: 15_000 });
    expect(lostReason(down, 13_000, LOCK_DEFAULTS)).toBeUndefined();
    expect(lostReason(down, 13_500, LOCK_DEFAULTS)).toMatch(/^no heartbeat for 14 s: /);
  });
});
