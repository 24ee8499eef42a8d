/**
 * One client connection: splits the byte stream into messages by their length prefix and
 * hands them to the engine one at a time, in order. Broken framing closes this connection
 * only; the engine keeps serving everyone else.
 */
import type { Socket } from 'node:net';
import { Limits } from './opcodes.js';

export interface MessageSink {
  /** Handles one whole message; returns the reply's buffers, or undefined for no reply. */
  (message: Buffer, connection: Connection): Buffer[] | undefined;
}

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly sink: MessageSink,
    private readonly onProtocolError: (connection: Connection, reason: string) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => (this.closed = true));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.closed && this.buffered >= 4) {
      const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.flatten();
      const length = head.readInt32LE(0);
      if (length < Limits.headerSize || length > Limits.maxMessageSizeBytes) {
        this.onProtocolError(this, `message length ${length} is outside [${Limits.headerSize}, ${Limits.maxMessageSizeBytes}]`);
        this.close();
        return;
      }
      if (this.buffered < length) return;
      const all = this.flatten();
      const message = all.subarray(0, length);
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      let reply: Buffer[] | undefined;
      try {
        reply = this.sink(message, this);
      } catch (error) {
        this.onProtocolError(this, (error as Error).message);
        this.close();
        return;
      }
      if (reply && !this.closed) {
        this.socket.cork();
        for (const part of reply) this.socket.write(part);
        this.socket.uncork();
      }
    }
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }
}
