/**
 * The embedded engine: a MongoDB-wire-compatible server over the catalog, its documents kept
 * in memory or, with a data directory, in LMDB behind a bounded cache (persistence/lmdb-store.ts).
 * Lifecycle: new → starting → running → stopping → stopped.
 */
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { Document } from 'bson';
import type { CommandSession } from './auth/session.js';
import type { CommandContext, EngineInfo } from './commands/index.js';
import { dispatchCommand } from './dispatch.js';
import { CommandError } from './errors.js';
import type { EdgeOptions } from './limits/options.js';
import { DataDirLock } from './persistence/lock.js';
import { convertLegacyDirectory } from './persistence/legacy-convert.js';
import { LmdbStore, STORAGE_DIR } from './persistence/lmdb-store.js';
import { MemoryStore } from './persistence/memory-store.js';
import type { Store } from './storage/store.js';
import { defaultCacheSize } from './storage/cache-size.js';
import { Catalog } from './storage/catalog.js';
import { CursorRegistry } from './storage/cursors.js';
import type { Connection } from './wire/connection.js';
import { ConnectionGuard } from './wire/guard.js';
import { ConnectionServer, mongodbUri } from './wire/server.js';
import { encodeOpMsgReply, encodeOpReply, parseMessage, readHeader, ProtocolError } from './wire/message.js';
import { OpCode, OpMsgFlag } from './wire/opcodes.js';

export type EngineState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Authentication and the caps on connections and cursors: see EdgeOptions. */
export interface EngineOptions extends EdgeOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * Keep data durably in this directory (locked to this engine while it runs).
   * Without it, everything lives in memory and is gone when the engine stops.
   */
  dataDir?: string;
  /** Bytes of decoded documents a durable engine keeps in memory; default storage/cache-size.ts. */
  cacheSize?: number;
  /** Idle cursor timeout, default 10 minutes. */
  cursorTimeoutMs?: number;
  /** Where protocol problems are reported; silent by default. */
  log?: (line: string) => void;
}

export class EmbeddedEngine extends EventEmitter {
  private state: EngineState = 'new';
  private readonly server: ConnectionServer;
  private store: Store = new MemoryStore();
  private lock: DataDirLock | undefined;
  catalog: Catalog = new Catalog(this.store);
  readonly cursors: CursorRegistry;
  private info: EngineInfo;

  constructor(private readonly options: EngineOptions = {}) {
    super();
    this.cursors = new CursorRegistry(options.cursorTimeoutMs, options.maxCursors);
    this.server = new ConnectionServer((message, connection) => this.handle(message, connection), new ConnectionGuard(options), options.log);
    this.info = {
      startedAt: new Date(),
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      durable: options.dataDir !== undefined,
      dataDir: options.dataDir,
    };
  }

  /** The durable engine's document cache, in bytes. */
  get cacheSize(): number {
    return this.options.cacheSize ?? defaultCacheSize();
  }

  get status(): EngineState {
    return this.state;
  }

  get host(): string {
    return this.info.host;
  }

  get port(): number {
    return this.info.port;
  }

  /** A connection string for drivers and mongosh. */
  get uri(): string {
    return mongodbUri(this.info.host, this.info.port);
  }

  async start(): Promise<this> {
    await this.openStore();
    await this.listen();
    return this;
  }

  /**
   * Opens the data without listening: the engine of the executor thread (host/executor.ts),
   * whose commands come from the front thread's connections.
   */
  async startWithoutServer(): Promise<this> {
    await this.openStore();
    this.state = 'running';
    return this;
  }

  private async openStore(): Promise<void> {
    if (this.state !== 'new') throw new Error(`cannot start an engine that is ${this.state}`);
    this.state = 'starting';
    if (this.options.dataDir !== undefined) {
      this.lock = DataDirLock.acquire(this.options.dataDir);
      const log = this.options.log ?? ((line: string) => console.error(line));
      try {
        await convertLegacyDirectory(this.options.dataDir, log);
        this.store = new LmdbStore(path.join(this.options.dataDir, STORAGE_DIR), { cacheSize: this.cacheSize });
        this.catalog = new Catalog(this.store);
        const leftovers = this.catalog.dropLeftovers(this.catalog.loadFromStore());
        if (leftovers.dropped > 0) log(`dropped ${leftovers.dropped} temporary collection(s) left by a write that was cut short`);
        if (leftovers.failed !== undefined)
          log(
            `could not drop a temporary collection left by a write that was cut short (${String(leftovers.failed)}): it is never listed, and the next open tries again`,
          );
      } catch (error) {
        await this.store.close();
        this.lock.release();
        this.state = 'stopped';
        throw error;
      }
    }
  }

  private async listen(): Promise<void> {
    let port: number;
    try {
      port = await this.server.listen(this.info.host, this.info.port);
    } catch (error) {
      this.state = 'stopped';
      await this.store.close();
      this.lock?.release();
      throw error;
    }
    this.info = { ...this.info, port, startedAt: new Date() };
    this.lock?.publish(this.uri);
    this.state = 'running';
  }

  /** Publishes in the data directory's lock file where clients reach it (the front's address). */
  publishUri(uri: string): void {
    this.lock?.publish(uri);
  }

  /** Stops listening, closes every connection, flushes and closes the store. */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping' || this.state === 'new') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    await this.server.close();
    this.cursors.dispose();
    await this.store.close();
    this.lock?.release();
    this.state = 'stopped';
    this.emit('stopped');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Runs a command directly (no socket): used by tools and tests of the engine itself. */
  runCommand(command: Document, db = 'admin'): Document {
    const reply = dispatchCommand(command, this.context(db, 0, new Map()), this.store);
    if (reply instanceof Uint8Array) throw new Error('runCommand does not decode cursor replies');
    return reply;
  }

  private context(db: string, connectionId: number, rawSequences: ReadonlyMap<string, Uint8Array[]>): CommandContext {
    return { catalog: this.catalog, cursors: this.cursors, engine: this.info, db, connectionId, rawSequences };
  }

  private handle(message: Buffer, connection: Connection): Buffer[] | undefined {
    return this.execute(message, connection.id, connection.session);
  }

  /**
   * Runs one whole message of connection `connectionId`: its reply's buffers, or undefined
   * when the client asked for none. Throws ProtocolError for a message that cannot be read
   * (the connection is to be closed).
   */
  execute(message: Buffer, connectionId: number, session?: CommandSession): Buffer[] | undefined {
    const header = readHeader(message);
    let request;
    try {
      request = parseMessage(message);
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      // A client that set moreToCome reads no reply: answering would desynchronise it.
      if (header.opCode === OpCode.OP_MSG && message.length >= 20 && (message.readUInt32LE(16) & OpMsgFlag.moreToCome) !== 0) return undefined;
      // The frame is sound but its content is not (e.g. invalid BSON): answer, keep the connection.
      const reply = (error instanceof CommandError ? error : new CommandError('BadValue', String(error))).toReply();
      return header.opCode === OpCode.OP_QUERY ? encodeOpReply(header.requestId, reply) : encodeOpMsgReply(header.requestId, reply);
    }
    const db = typeof request.command.$db === 'string' ? request.command.$db : 'admin';
    const reply = dispatchCommand(request.command, this.context(db, connectionId, request.rawSequences), this.store, session);
    if (request.noReply) return undefined;
    return request.kind === 'query' ? encodeOpReply(header.requestId, reply) : encodeOpMsgReply(header.requestId, reply);
  }
}

/** Starts an engine and resolves once it listens. */
export async function startEngine(options: EngineOptions = {}): Promise<EmbeddedEngine> {
  return new EmbeddedEngine(options).start();
}
