/**
 * The job lock's decisions that need no database (lock.ts makes the writes): whether a
 * holder is gone, and what a heartbeat's answer means for the job that holds the lock.
 */

/** Whether a process of this host still runs: `process.kill(pid, 0)` (EPERM: it exists, under another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A holder whose process is known dead is gone at once; one of another host is only ever
 * judged by its heartbeat (its pid means nothing here).
 */
export function holderIsGone(holder: { host: string; pid: number }, thisHost: string, isAlive: (pid: number) => boolean): boolean {
  return holder.host === thisHost && !isAlive(holder.pid);
}

/** A heartbeat's answer: the lock document matched (still ours) or not, or the server could not be reached. */
export type BeatAnswer = { matched: boolean } | { error: Error };

/**
 * Why the holder must give the lock up after a heartbeat's answer, or undefined to keep it:
 * a lock no longer ours is lost; so is one whose beats have failed for so long that another
 * job may take it over before the next beat (others wait `staleMs` without a beat).
 */
export function lostReason(
  answer: BeatAnswer,
  msSinceLastBeat: number,
  { heartbeatMs, staleMs }: { heartbeatMs: number; staleMs: number },
): string | undefined {
  if ('matched' in answer) return answer.matched ? undefined : 'another job took it over, or it was deleted';
  if (msSinceLastBeat > staleMs - heartbeatMs) return `no heartbeat for ${Math.round(msSinceLastBeat / 1000)} s: ${answer.error.message}`;
  return undefined;
}
