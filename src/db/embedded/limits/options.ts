/** The engine's options for its edges: who may connect, and how much any one client may hold. */
export interface EdgeOptions {
  /**
   * Turns authentication on: every connection must authenticate (SCRAM-SHA-256) as this user
   * before anything but the handshake commands. Off by default (loopback use, as today).
   */
  auth?: { user: string; password: string };
  /** Open connections at most; one more is answered with an error and closed. Default 1000. */
  maxConnections?: number;
  /** Open cursors at most, over all clients. Default 10,000. */
  maxCursors?: number;
  /** A message that stops arriving half-way (no byte for this long) gets its connection closed. Default 2000 ms. */
  frameIdleTimeoutMs?: number;
  /** A message must arrive whole within this time from its first byte. Default 60 s. */
  frameDeadlineMs?: number;
}

export const EDGE_DEFAULTS = Object.freeze({
  maxConnections: 1000,
  maxCursors: 10_000,
  frameIdleTimeoutMs: 2000,
  frameDeadlineMs: 60_000,
});
