/**
 * The fault suite's raw wire client: sends bytes the driver never would and reports what the
 * engine did with them — a reply (decoded), a closed connection, or nothing within a bound.
 */
import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';

export type Outcome = { kind: 'reply'; doc: Document | undefined; ms: number } | { kind: 'closed'; ms: number } | { kind: 'timeout'; ms: number };

export function addressOf(uri: string): { host: string; port: number } {
  const match = /^mongodb:\/\/(?:[^@/]*@)?\[?([^\]/:,]+)\]?:(\d+)/.exec(uri);
  if (!match) throw new Error(`cannot read host:port from ${uri}`);
  return { host: match[1]!, port: Number(match[2]) };
}

let nextRequestId = 1;

/** An OP_MSG with a kind-0 body (a document or raw bytes) and `flags`. */
export function opMsg(body: Document | Uint8Array, flags = 0): Buffer {
  const bytes = Buffer.from(body instanceof Uint8Array ? body : serialize(body));
  const out = Buffer.alloc(21 + bytes.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(nextRequestId++, 4);
  out.writeInt32LE(2013, 12);
  out.writeUInt32LE(flags >>> 0, 16);
  out[20] = 0;
  bytes.copy(out, 21);
  return out;
}

/** Opens a connection, writes `bytes`, and waits up to `boundMs` for the first reply or a close. */
export async function sendOnce(uri: string, bytes: Buffer, boundMs: number): Promise<Outcome> {
  const { host, port } = addressOf(uri);
  const socket = net.connect({ host, port });
  socket.on('error', () => undefined); // a reset is an outcome like a close
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const started = performance.now();
  return new Promise<Outcome>((resolve) => {
    let buffered = Buffer.alloc(0);
    const done = (outcome: Outcome): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ kind: 'timeout', ms: performance.now() - started }), boundMs);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4 || buffered.length < buffered.readInt32LE(0)) return;
      const opCode = buffered.readInt32LE(12);
      let doc: Document | undefined;
      try {
        doc = deserialize(buffered.subarray(opCode === 2013 ? 21 : 36, buffered.readInt32LE(0)));
      } catch {
        doc = undefined;
      }
      done({ kind: 'reply', doc, ms: performance.now() - started });
    });
    socket.on('close', () => done({ kind: 'closed', ms: performance.now() - started }));
    socket.write(bytes);
  });
}
