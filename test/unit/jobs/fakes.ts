/**
 * Fakes for the job tests (no database): a host (lock, swap, staging) that records what the
 * runner asks of it, and a phase that waits until the test lets it finish.
 */
import { JobConflictError, type JobHost, type JobLock, LockLostError, type Phase, type PhaseContext, type SwapStep } from '../../../src/jobs/index.js';

export interface FakeHost extends JobHost {
  calls: string[];
  /** The lock of the last job, to lose it. */
  lose(reason: string): void;
}

export function fakeHost(
  behaviour: { conflict?: boolean; commit?: (steps: readonly SwapStep[]) => Promise<void>; recover?: () => Promise<void> } = {},
): FakeHost {
  const calls: string[] = [];
  let controller = new AbortController();
  let recovers = 0;
  return {
    calls,
    lose: (reason) => controller.abort(new LockLostError(reason)),
    async acquireLock(kind, _jobId, lockId) {
      calls.push(lockId === undefined ? `lock ${kind}` : `lock ${kind} ${lockId}`);
      if (behaviour.conflict) throw new JobConflictError(kind, { kind: 'seed', job: 'other', pid: 1, host: 'elsewhere', startedAt: new Date(0) });
      controller = new AbortController();
      const lock: JobLock = {
        kind,
        token: 'token',
        lost: controller.signal,
        assertHeld: async () => {
          calls.push('assert held');
          if (controller.signal.aborted) throw controller.signal.reason as Error;
        },
        detach: () => void calls.push('detach'),
        release: async () => void calls.push('release'),
      };
      return lock;
    },
    async recover() {
      calls.push('recover');
      if (recovers++ > 0) await behaviour.recover?.();
      return { dropped: [] };
    },
    async commit(_jobId, steps) {
      calls.push(`commit ${steps.length}`);
      await behaviour.commit?.(steps);
    },
    async discard() {
      calls.push('discard');
    },
    staging: (_jobId, name) => `staging_${name}`,
  };
}

/** A phase that waits for `release()` (checking the signal as real phases do), reporting progress on the way. */
export function gatedPhase(name: string, total: number): Phase & { release(): void; started: Promise<PhaseContext> } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let started!: (context: PhaseContext) => void;
  const startedPromise = new Promise<PhaseContext>((resolve) => (started = resolve));
  return {
    name,
    unit: 'things',
    total,
    started: startedPromise,
    release: () => open(),
    async run(context) {
      started(context);
      context.progress(1, undefined, { things: 1, others: 5 });
      await Promise.race([
        gate,
        new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason as Error), { once: true })),
      ]);
      context.signal.throwIfAborted();
      context.progress(total);
    },
  };
}
