/**
 * A raw MongoDB wire-protocol client on a plain `net` socket, for what the official driver
 * will not send: oversize and malformed messages, unknown opcodes, invalid BSON. It builds
 * OP_MSG / OP_QUERY messages by hand and reads replies (or notices the server closing).
 */
import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

export interface Reply {
  kind: 'reply';
  requestId: number;
  responseTo: number;
  opCode: number;
  flags: number;
  doc: Document;
}
export type Outcome = Reply | { kind: 'closed' } | { kind: 'timeout' };

/** host and port of a `mongodb://host:port/...` URI (single host, as the engine's is). */
export function addressOf(uri: string): { host: string; port: number } {
  const match = /^mongodb:\/\/(?:[^@/]*@)?\[?([^\]/:,]+)\]?:(\d+)/.exec(uri);
  if (!match) throw new Error(`cannot read host:port from ${uri}`);
  return { host: match[1]!, port: Number(match[2]) };
}

let nextRequestId = 1000;

function header(length: number, requestId: number, opCode: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(0, 8);
  out.writeInt32LE(opCode, 12);
  return out;
}

export interface OpMsgOptions {
  flags?: number;
  requestId?: number;
  /** kind-1 document sequences: identifier → documents (already-encoded BSON is sent as is). */
  sequences?: Record<string, (Document | Uint8Array)[]>;
  /** Appends a (zero) CRC-32C and sets checksumPresent. */
  checksum?: boolean;
}

/** An OP_MSG with a kind-0 body (a document, or raw bytes to send as the body) and optional kind-1 sections. */
export function opMsg(body: Document | Uint8Array, options: OpMsgOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const flags = (options.flags ?? 0) | (options.checksum ? 1 : 0);
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags >>> 0, 0);
  parts.push(flagBytes, Buffer.from([0]), Buffer.from(body instanceof Uint8Array ? body : serialize(body)));
  for (const [identifier, docs] of Object.entries(options.sequences ?? {})) {
    const encoded = docs.map((d) => Buffer.from(d instanceof Uint8Array ? d : serialize(d)));
    const name = Buffer.from(`${identifier}\0`, 'utf8');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + name.length + encoded.reduce((n, d) => n + d.length, 0), 0);
    parts.push(Buffer.from([1]), size, name, ...encoded);
  }
  if (options.checksum) parts.push(Buffer.alloc(4));
  const payload = Buffer.concat(parts);
  return Buffer.concat([header(16 + payload.length, options.requestId ?? nextRequestId++, OP_MSG), payload]);
}

/** A legacy OP_QUERY on admin.$cmd, as drivers send their first hello. */
export function opQuery(query: Document, requestId = nextRequestId++): Buffer {
  const flags = Buffer.alloc(4);
  const name = Buffer.from('admin.$cmd\0', 'utf8');
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(-1, 4);
  const payload = Buffer.concat([flags, name, skipReturn, Buffer.from(serialize(query))]);
  return Buffer.concat([header(16 + payload.length, requestId, OP_QUERY), payload]);
}

/** A message with an arbitrary header (any opcode, any claimed length) followed by `payload`. */
export function rawMessage(opCode: number, payload: Buffer, claimedLength = 16 + payload.length): Buffer {
  return Buffer.concat([header(claimedLength, nextRequestId++, opCode), payload]);
}

export class RawConnection {
  private buffered = Buffer.alloc(0);
  private readonly replies: Reply[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.parse();
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined); // ECONNRESET and EPIPE are expected outcomes here
  }

  static async open(uri: string): Promise<RawConnection> {
    const { host, port } = addressOf(uri);
    const socket = net.connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  /** Writes bytes; false when the socket is already gone (the server may close mid-write). */
  async write(bytes: Buffer): Promise<boolean> {
    if (this.closed || this.socket.destroyed) return false;
    return new Promise((resolve) => this.socket.write(bytes, (error) => resolve(!error)));
  }

  /** The next reply, or 'closed' once the server hung up, or 'timeout'. */
  async next(timeoutMs = 2000): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) return reply;
      if (this.closed) return { kind: 'closed' };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends a command as OP_MSG and returns its reply document (throws on close or timeout). */
  async command(body: Document | Uint8Array, options: OpMsgOptions = {}): Promise<Document> {
    await this.write(opMsg(body, options));
    const outcome = await this.next();
    if (outcome.kind !== 'reply') throw new Error(`expected a reply, got ${outcome.kind}`);
    return outcome.doc;
  }

  /** Resolves once the server has closed the connection (or after the timeout, with false). */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      const outcome = await this.next(deadline - Date.now());
      if (outcome.kind === 'timeout') break;
    }
    return this.closed;
  }

  end(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private parse(): void {
    while (this.buffered.length >= 16) {
      const length = this.buffered.readInt32LE(0);
      if (this.buffered.length < length) return;
      const message = this.buffered.subarray(0, length);
      this.buffered = this.buffered.subarray(length);
      const opCode = message.readInt32LE(12);
      let flags: number;
      let doc: Document;
      if (opCode === OP_MSG) {
        flags = message.readUInt32LE(16);
        if (message[20] !== 0) throw new Error(`reply section kind ${message[20]}`);
        doc = deserialize(message.subarray(21), { promoteLongs: false });
      } else {
        flags = message.readInt32LE(16);
        doc = deserialize(message.subarray(36), { promoteLongs: false });
      }
      this.replies.push({ kind: 'reply', requestId: message.readInt32LE(4), responseTo: message.readInt32LE(8), opCode, flags, doc });
    }
  }
}
