/**
 * The front of an engine run on threads (docs/WIRE.md, "Threads"): the TCP server, the
 * connections and their framing, authentication, and the commands that need no data — the
 * handshake (hello and its aliases), ping, the SASL conversation — answered here, on a thread
 * that no command holds up. A find by `_id` on a durable engine is read here too, straight
 * from LMDB (persistence/lmdb-reader.ts). Every other message goes, as its raw bytes, to the
 * executor thread (executor.ts); one connection's messages are handed over one at a time, so
 * its commands keep their order.
 */
import type { MessagePort } from 'node:worker_threads';
import { ObjectId, type Document } from 'bson';
import { helloReply } from '../commands/handshake.js';
import { toCommandError } from '../errors.js';
import { LmdbReader } from '../persistence/lmdb-reader.js';
import { maxTimeOf } from '../query/time-limit.js';
import { valueKey } from '../storage/value-key.js';
import { peekCommandName } from '../wire/command-name.js';
import type { Connection } from '../wire/connection.js';
import { encodeCursorReply } from '../wire/cursor-reply.js';
import { ConnectionGuard } from '../wire/guard.js';
import { ConnectionServer, mongodbUri } from '../wire/server.js';
import { encodeOpMsgReply, encodeOpReply, parseMessage, type CommandRequest } from '../wire/message.js';
import type { ExecuteReply, ExecuteRequest, FrontOptions } from './messages.js';

/** The handshake's names (the executor's lookup accepts hello and isMaster in any case: commands/index.ts). */
const isHello = (name: string): boolean => name.toLowerCase() === 'hello' || name.toLowerCase() === 'ismaster';
/** The authentication commands a session answers (auth/session.ts). */
const SESSION_COMMANDS: ReadonlySet<string> = new Set(['saslStart', 'saslContinue', 'logout', 'connectionStatus']);

/** The fields a find by `_id` may have for the front to answer it: none changes what a single document looks like. */
const BY_ID_FIELDS: ReadonlySet<string> = new Set([
  'find',
  'filter',
  '$db',
  'lsid',
  '$clusterTime',
  '$readPreference',
  'limit',
  'singleBatch',
  'batchSize',
  'maxTimeMS',
  'comment',
]);

interface Pending {
  resolve(parts: Buffer[] | undefined): void;
  reject(error: Error): void;
}

export class Front {
  private readonly server: ConnectionServer;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly reader: LmdbReader | undefined;
  private stopping = false;
  /** The executor thread is gone (stopped, or failed): nothing more can be handed to it. */
  private executorClosed = false;
  host: string;
  port: number;

  constructor(
    options: FrontOptions,
    private readonly executor: MessagePort,
    storageDir: string | undefined,
    log: (line: string) => void,
    /** The executor's link closed while the front was not stopping: the engine cannot go on. */
    private readonly onExecutorLost: () => void = () => undefined,
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.server = new ConnectionServer((message, connection) => this.handle(message, connection), new ConnectionGuard(options), log);
    this.reader = storageDir === undefined ? undefined : new LmdbReader(storageDir);
    executor.on('message', (reply: ExecuteReply) => this.settle(reply));
    executor.on('close', () => {
      this.executorGone();
      if (!this.stopping) this.onExecutorLost();
    });
  }

  get uri(): string {
    return mongodbUri(this.host, this.port);
  }

  async listen(): Promise<void> {
    this.port = await this.server.listen(this.host, this.port);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.server.close();
    await this.reader?.close();
  }

  private handle(message: Buffer, connection: Connection): Buffer[] | undefined | Promise<Buffer[] | undefined> {
    const name = peekCommandName(message);
    if (name !== undefined && (isHello(name) || name === 'ping' || SESSION_COMMANDS.has(name) || name === 'find')) {
      let request: CommandRequest | undefined;
      try {
        request = parseMessage(message);
      } catch {
        // the executor answers a message that does not parse, as the in-thread engine does
      }
      const answered = request && this.answer(name, request, connection);
      if (answered) return answered.reply;
    }
    return this.forward(message, connection);
  }

  /** The front's own answer, or undefined for the executor's. */
  private answer(name: string, request: CommandRequest, connection: Connection): { reply: Buffer[] | undefined } | undefined {
    const command = request.command;
    let reply: Document | Uint8Array | undefined;
    try {
      if (name === 'find') reply = this.findById(command, connection);
      else if (isHello(name)) reply = connection.session.decorateHello(command, helloReply(connection.id));
      else if (name === 'ping') reply = { ok: 1 };
      else reply = connection.session.handle(name, command);
    } catch (error) {
      reply = toCommandError(error).toReply();
    }
    if (reply === undefined) return undefined;
    if (request.noReply) return { reply: undefined };
    return { reply: request.kind === 'query' ? encodeOpReply(request.header.requestId, reply) : encodeOpMsgReply(request.header.requestId, reply) };
  }

  /**
   * `find` with the filter `{_id: <scalar>}` and nothing that shapes the result, on a plain
   * collection of a durable engine: the stored BSON itself, as the executor's find returns it.
   */
  private findById(command: Document, connection: Connection): Uint8Array | undefined {
    if (!this.reader || !connection.session.mayRunAnything) return undefined;
    const db = command.$db;
    const name = command.find;
    if (typeof db !== 'string' || typeof name !== 'string' || name === '' || name.includes('\0')) return undefined;
    for (const field of Object.keys(command)) if (!BY_ID_FIELDS.has(field)) return undefined;
    const filter = command.filter as Document | undefined;
    if (!filter || typeof filter !== 'object' || Object.keys(filter).length !== 1 || !('_id' in filter)) return undefined;
    const id = idKeyOf(filter._id);
    if (id === undefined) return undefined;
    if (command.limit !== undefined && !Number.isInteger(command.limit)) return undefined;
    if (command.batchSize !== undefined && !(Number.isInteger(command.batchSize) && (command.batchSize as number) > 0)) return undefined;
    if (command.singleBatch !== undefined && typeof command.singleBatch !== 'boolean') return undefined;
    try {
      maxTimeOf(command.maxTimeMS);
    } catch {
      return undefined;
    }
    const read = this.reader.readById(db, name, id);
    if (read.kind === 'executor') return undefined;
    return encodeCursorReply('firstBatch', read.kind === 'found' ? [read.bytes] : [], 0n, `${db}.${name}`);
  }

  private forward(message: Buffer, connection: Connection): Promise<Buffer[] | undefined> {
    if (this.stopping || this.executorClosed)
      return Promise.reject(new Error(this.stopping ? 'the engine is stopping' : "the engine's executor thread has stopped"));
    const id = this.nextRequestId++;
    const bytes = new Uint8Array(message); // a copy of this message alone, to transfer
    const request: ExecuteRequest = { id, connectionId: connection.id, mayRunAnything: connection.session.mayRunAnything, bytes };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.executor.postMessage(request, [bytes.buffer]);
    });
  }

  private settle(reply: ExecuteReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.protocolError !== undefined) pending.reject(new Error(reply.protocolError));
    else pending.resolve(reply.bytes ? [Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength)] : undefined);
  }

  private executorGone(): void {
    this.executorClosed = true;
    for (const pending of this.pending.values()) pending.reject(new Error('the engine stopped'));
    this.pending.clear();
  }
}

/**
 * The `_id` key of a value whose match is plain equality of keys; undefined for values whose
 * match needs the query engine (documents, arrays, regular expressions, null, NaN...).
 */
function idKeyOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return valueKey(value);
  if (typeof value === 'number') return Number.isFinite(value) ? valueKey(value) : undefined;
  if (value instanceof ObjectId || value instanceof Date) return valueKey(value);
  const bsontype = (value as { _bsontype?: string } | null)?._bsontype;
  return bsontype === 'Long' ? valueKey(value) : undefined;
}
