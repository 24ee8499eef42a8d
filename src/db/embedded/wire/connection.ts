/**
 * One client connection: splits the byte stream into messages by their length prefix and
 * hands them to the engine one at a time, in order. Broken framing closes this connection
 * only; the engine keeps serving everyone else. A message that stops arriving half-way (a
 * slow or hostile client) is not waited for forever: its connection is closed once no byte
 * came for the guard's idle timeout, or the message is not whole by its deadline.
 */
import type { Socket } from 'node:net';
import type { AuthSession } from '../auth/session.js';
import { CommandError } from '../errors.js';
import { ConnectionGuard } from './guard.js';
import { encodeOpMsgReply, encodeOpReply, readHeader } from './message.js';
import { Limits, OpCode } from './opcodes.js';

export interface MessageSink {
  /**
   * Handles one whole message; returns the reply's buffers, or undefined for no reply — or a
   * promise of them when another thread runs the command (host/front.ts). The next message of
   * this connection is not handed over before the reply is written: its commands stay in order.
   * A thrown error (or a rejected promise) is a protocol error: the connection is closed.
   */
  (message: Buffer, connection: Connection): Buffer[] | undefined | Promise<Buffer[] | undefined>;
}

/** A timer that fires this late was held up by a long command, not by the client: look again first. */
const LATE_TIMER_MS = 100;

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closed = false;
  private admitted: boolean;
  /** When the first byte of the message now arriving came, and when the last one did. */
  private frameStartedAt = 0;
  private lastByteAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = 0;
  /** A reply from another thread is awaited: the messages that follow wait in the buffer. */
  private busy = false;
  /** This connection's authentication state. */
  readonly session: AuthSession;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly sink: MessageSink,
    private readonly onProtocolError: (connection: Connection, reason: string) => void,
    // the engine's, shared by all its connections; one of its own (no cap) when none is given
    private readonly guard: ConnectionGuard = new ConnectionGuard(),
  ) {
    this.admitted = guard.admit();
    this.session = guard.newSession();
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.markClosed());
    if (!this.admitted) {
      // Answer the client's first message (its hello) with the reason, so that the driver reports it.
      this.onProtocolError(this, `refused: ${guard.maxConnections} connections are open already`);
      this.armTimer(Math.min(1000, guard.frameIdleTimeoutMs));
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.markClosed();
    this.socket.destroy();
  }

  private markClosed(): void {
    if (!this.closed) {
      this.closed = true;
      if (this.admitted) this.guard.release();
      this.admitted = false;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.buffered === 0) this.frameStartedAt = now;
    this.lastByteAt = now;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.drain();
  }

  /** Hands over the whole messages buffered, one at a time, until one awaits its reply. */
  private drain(): void {
    while (!this.closed && !this.busy && this.buffered >= 4) {
      const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.flatten();
      const length = head.readInt32LE(0);
      if (length < Limits.headerSize || length > Limits.maxMessageSizeBytes) {
        this.onProtocolError(this, `message length ${length} is outside [${Limits.headerSize}, ${Limits.maxMessageSizeBytes}]`);
        this.close();
        return;
      }
      if (this.buffered < length) break;
      const all = this.flatten();
      const message = all.subarray(0, length);
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.frameStartedAt = Date.now();
      if (!this.admitted) {
        this.refuse(message);
        return;
      }
      let reply: Buffer[] | undefined | Promise<Buffer[] | undefined>;
      try {
        reply = this.sink(message, this);
      } catch (error) {
        this.protocolFailure(error);
        return;
      }
      if (reply instanceof Promise) {
        this.busy = true;
        reply.then(
          (parts) => {
            this.busy = false;
            this.write(parts);
            // The client's clock for a partly sent next message starts again: it waited on us.
            this.frameStartedAt = this.lastByteAt = Date.now();
            this.drain();
          },
          (error: unknown) => {
            this.busy = false;
            this.protocolFailure(error);
          },
        );
        return;
      }
      this.write(reply);
    }
    if (this.closed || this.busy) return;
    if (this.buffered > 0) this.armTimer(this.guard.frameIdleTimeoutMs);
    else if (this.admitted && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private write(reply: Buffer[] | undefined): void {
    if (!reply || this.closed) return;
    this.socket.cork();
    for (const part of reply) this.socket.write(part);
    this.socket.uncork();
  }

  private protocolFailure(error: unknown): void {
    if (this.closed) return;
    this.onProtocolError(this, error instanceof Error ? error.message : String(error));
    this.close();
  }

  /** Over the connection cap: the first message gets an error reply, then the connection is closed. */
  private refuse(message: Buffer): void {
    const header = readHeader(message);
    const error = new CommandError(
      'OperationFailed',
      `the datadragon engine has ${this.guard.maxConnections} connections open, as many as it takes: close idle clients (or lower their maxPoolSize), or start the engine with a higher --max-connections`,
    ).toReply();
    const reply = header.opCode === OpCode.OP_QUERY ? encodeOpReply(header.requestId, error) : encodeOpMsgReply(header.requestId, error);
    this.socket.cork();
    for (const part of reply) this.socket.write(part);
    this.socket.uncork();
    this.socket.end();
    this.markClosed();
    // A client that does not read its reply does not keep the socket either.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private armTimer(ms: number): void {
    if (this.timer) return; // already watching; onTimer looks at the latest times
    this.timerDueAt = Date.now() + ms;
    this.timer = setTimeout(() => this.onTimer(), ms);
    this.timer.unref();
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.closed) return;
    const now = Date.now();
    if (now - this.timerDueAt > LATE_TIMER_MS) {
      // The event loop was busy (a long command): bytes may be waiting unread. Read them first.
      this.armTimer(LATE_TIMER_MS);
      return;
    }
    if (!this.admitted) {
      this.onProtocolError(this, 'refused connection sent nothing');
      this.close();
      return;
    }
    if (this.buffered === 0 || this.busy) return; // busy: the bytes wait for the reply, not for the client
    const idle = now - this.lastByteAt;
    const age = now - this.frameStartedAt;
    if (idle >= this.guard.frameIdleTimeoutMs || age >= this.guard.frameDeadlineMs) {
      this.onProtocolError(
        this,
        idle >= this.guard.frameIdleTimeoutMs
          ? `a message stopped arriving (${this.buffered} bytes, nothing for ${idle} ms)`
          : `a message took more than ${this.guard.frameDeadlineMs} ms to arrive`,
      );
      this.close();
      return;
    }
    this.armTimer(Math.max(10, Math.min(this.guard.frameIdleTimeoutMs - idle, this.guard.frameDeadlineMs - age)));
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }
}
