/**
 * What every connection of one engine shares: the cap on open connections, the timeouts for
 * messages that stop arriving, and the authenticator that each connection's session uses.
 */
import { AuthSession, Authenticator } from '../auth/session.js';
import { EDGE_DEFAULTS, type EdgeOptions } from '../limits/options.js';

export class ConnectionGuard {
  readonly maxConnections: number;
  readonly frameIdleTimeoutMs: number;
  readonly frameDeadlineMs: number;
  private readonly authenticator: Authenticator | undefined;
  private open = 0;

  constructor(options: EdgeOptions = {}) {
    this.maxConnections = options.maxConnections ?? EDGE_DEFAULTS.maxConnections;
    this.frameIdleTimeoutMs = options.frameIdleTimeoutMs ?? EDGE_DEFAULTS.frameIdleTimeoutMs;
    this.frameDeadlineMs = options.frameDeadlineMs ?? EDGE_DEFAULTS.frameDeadlineMs;
    this.authenticator = options.auth ? new Authenticator([options.auth]) : undefined;
  }

  get authRequired(): boolean {
    return this.authenticator !== undefined;
  }

  get openConnections(): number {
    return this.open;
  }

  /** Counts a new connection in; false when the engine already has as many as it takes. */
  admit(): boolean {
    if (this.open >= this.maxConnections) return false;
    this.open++;
    return true;
  }

  release(): void {
    this.open = Math.max(0, this.open - 1);
  }

  newSession(): AuthSession {
    return new AuthSession(this.authenticator);
  }
}
