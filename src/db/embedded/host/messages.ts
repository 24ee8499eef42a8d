/**
 * The messages between the engine's threads (docs/WIRE.md, "Threads"): the owner (the app's
 * thread, engine-threads.ts), the front thread (front.ts: sockets, handshake, authentication,
 * by-id reads) and the executor thread (executor.ts: the store and every other command).
 */
import type { MessagePort } from 'node:worker_threads';
import type { EngineOptions } from '../engine.js';

/** A whole client message the front hands to the executor; `bytes` is transferred. */
export interface ExecuteRequest {
  readonly id: number;
  readonly connectionId: number;
  /** The connection has authenticated, or the engine asks for no authentication. */
  readonly mayRunAnything: boolean;
  readonly bytes: Uint8Array;
}

/** The executor's answer: the reply's bytes (none when the client asked for none), or why the connection must close. */
export interface ExecuteReply {
  readonly id: number;
  readonly bytes?: Uint8Array;
  readonly protocolError?: string;
}

export type ExecutorOptions = Omit<EngineOptions, 'log' | 'host' | 'port'>;

export interface ExecutorData {
  readonly options: ExecutorOptions;
  /** The front's end of the channel is the other port. */
  readonly link: MessagePort;
}

export type FrontOptions = Pick<EngineOptions, 'host' | 'port' | 'auth' | 'maxConnections' | 'frameIdleTimeoutMs' | 'frameDeadlineMs'>;

export interface FrontData {
  readonly options: FrontOptions;
  /** A durable engine's LMDB directory, read for finds by `_id`; none in memory. */
  readonly storageDir: string | undefined;
  readonly link: MessagePort;
}

/** From either thread to the owner. */
export type ThreadMessage =
  | { type: 'ready'; cacheSize: number; storageDir: string | undefined }
  | { type: 'listening'; uri: string; host: string; port: number }
  | { type: 'published' }
  | { type: 'failed'; message: string }
  | { type: 'log'; line: string }
  | { type: 'stopped' };

/** From the owner to either thread. */
export type OwnerMessage = { type: 'stop' } | { type: 'publish'; uri: string };

/** One buffer of its own (never a slice of Node's shared pool, which cannot be transferred) holding `parts`. */
export function ownBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
