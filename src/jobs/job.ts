/**
 * One running or finished job: its state is the sum of the events the runner emits, and
 * listeners (the CLI's progress bars) get the very same events, so what a terminal shows
 * and what `job(id)` answers cannot disagree.
 *
 * Lifecycle (transitions only in `emit`):
 *   running (phase by phase, then committing) → succeeded | failed | cancelled
 */
import { AppError } from '../errors.js';
import type { JobKind, JobStatus, JobTimes, Phase, PhaseState, ProgressDetail } from './types.js';

export interface JobErrorInfo {
  /** The AppError code (FAILED, CANCELLED, UNAVAILABLE...) or INTERNAL. */
  code: string;
  message: string;
}

export interface PhaseProgress {
  name: string;
  unit: string;
  state: PhaseState;
  done: number;
  /** 0 until the phase knows its size. */
  total: number;
  /** Seconds in the phase so far (final once done). */
  seconds: number;
  /** The counts of the phase's last report (empty if none). */
  detail: ProgressDetail;
}

export type JobState<Result> =
  | { status: 'running'; phase: string | undefined; committing: boolean }
  | { status: 'succeeded'; result: Result }
  | { status: 'failed'; error: JobErrorInfo }
  | { status: 'cancelled'; error: JobErrorInfo };

export type SettledState<Result> = Exclude<JobState<Result>, { status: 'running' }>;

export type JobEvent<Result = unknown> =
  | { type: 'phase'; phase: string; unit: string; total: number }
  | { type: 'progress'; phase: string; done: number; total: number; detail: ProgressDetail }
  | { type: 'phase-done'; phase: string; seconds: number }
  | { type: 'commit' }
  | { type: 'settled'; state: SettledState<Result> };

export type JobListener<Result> = (event: JobEvent<Result>, job: Job<unknown, Result>) => void;

/** Why a job's signal was aborted by a cancel (as opposed to a lost lock). */
export class CancelRequest extends Error {
  override name = 'CancelRequest';
  constructor() {
    super('cancelled');
  }
}

export function errorInfo(error: unknown): JobErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export class Job<Plan = unknown, Result = unknown> {
  readonly startedAt = new Date();
  private finished: Date | undefined;
  private current: JobState<Result> = { status: 'running', phase: undefined, committing: false };
  private readonly entries: (PhaseProgress & { enteredAt: number })[];
  private readonly listeners = new Set<JobListener<Result>>();
  private readonly controller = new AbortController();
  private readonly started = performance.now();
  private resolveSettled!: (state: SettledState<Result>) => void;
  /** Resolves with the final state once the job has stopped and cleaned up (never rejects). */
  readonly settled = new Promise<SettledState<Result>>((resolve) => (this.resolveSettled = resolve));

  constructor(
    readonly id: string,
    readonly kind: JobKind,
    readonly plan: Plan,
    phases: readonly Pick<Phase, 'name' | 'unit' | 'total'>[],
  ) {
    this.entries = phases.map((p) => ({ name: p.name, unit: p.unit, state: 'pending', done: 0, total: p.total, seconds: 0, detail: {}, enteredAt: 0 }));
  }

  /** Aborted on cancel (reason: CancelRequest) or when the lock is lost (reason: LockLostError). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get state(): JobState<Result> {
    return this.current;
  }

  get status(): JobStatus {
    return this.current.status;
  }

  get finishedAt(): Date | undefined {
    return this.finished;
  }

  /** Seconds since the start (final once finished). */
  get seconds(): number {
    return ((this.finished?.getTime() ?? Date.now()) - this.startedAt.getTime()) / 1000;
  }

  /** Whether a cancel can still stop the job (not once its swap has begun, nor after the end). */
  get cancellable(): boolean {
    return this.current.status === 'running' && !this.current.committing;
  }

  /** Every phase, in order, with its progress and time. */
  get progress(): PhaseProgress[] {
    const now = performance.now();
    // The phase a job stopped in stays 'running' (it tells where it stopped), its time the one settling froze.
    const live = this.current.status === 'running';
    return this.entries.map(({ enteredAt, ...entry }) => (live && entry.state === 'running' ? { ...entry, seconds: (now - enteredAt) / 1000 } : { ...entry }));
  }

  /** Seconds per phase and in all, as the job's result reports them. */
  times(): JobTimes {
    return { phases: Object.fromEntries(this.entries.map((e) => [e.name, e.seconds])), total: (performance.now() - this.started) / 1000 };
  }

  /** Asks the job to stop; true when it will (it settles `cancelled` once cleaned up). */
  cancel(): boolean {
    if (!this.cancellable) return false;
    // Already stopping for another reason (its lock lost): it will settle failed, not cancelled.
    if (this.controller.signal.aborted) return this.controller.signal.reason instanceof CancelRequest;
    this.controller.abort(new CancelRequest());
    return true;
  }

  /** Called with every event from now on (and the job); returns the unsubscribe function. */
  subscribe(listener: JobListener<Result>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The runner's side: stops the job for another reason than a cancel (a lost lock). */
  abort(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** The runner's side: applies an event to the state, then tells the listeners. */
  emit(event: JobEvent<Result>): void {
    if (this.current.status !== 'running') return;
    const now = performance.now();
    switch (event.type) {
      case 'phase': {
        const entry = this.entry(event.phase);
        Object.assign(entry, { state: 'running', total: event.total, enteredAt: now });
        this.current = { status: 'running', phase: event.phase, committing: false };
        break;
      }
      case 'progress':
        Object.assign(this.entry(event.phase), { done: event.done, total: event.total, detail: event.detail });
        break;
      case 'phase-done':
        Object.assign(this.entry(event.phase), { state: 'done', seconds: event.seconds });
        break;
      case 'commit':
        this.current = { status: 'running', phase: undefined, committing: true };
        break;
      case 'settled':
        for (const entry of this.entries) if (entry.state === 'running') entry.seconds = (now - entry.enteredAt) / 1000;
        this.current = event.state;
        this.finished = new Date();
        break;
    }
    for (const listener of this.listeners) {
      try {
        listener(event, this as Job<unknown, Result>);
      } catch {
        // A listener's failure (a closed terminal...) must not stop the job or its bookkeeping.
      }
    }
    if (event.type === 'settled') this.resolveSettled(event.state);
  }

  private entry(name: string): PhaseProgress & { enteredAt: number } {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`job ${this.kind} has no phase ${name}`);
    return entry;
  }
}
