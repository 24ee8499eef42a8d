/**
 * The engine's TCP side, whichever thread holds it (the in-thread engine, engine.ts, or the
 * front thread, host/front.ts): listens, turns each socket into a Connection that hands its
 * messages to `sink`, and closes them all at the end.
 */
import net from 'node:net';
import { Connection, type MessageSink } from './connection.js';
import type { ConnectionGuard } from './guard.js';

/** A connection string for drivers and mongosh (an IPv6 host in brackets). */
export function mongodbUri(host: string, port: number): string {
  return `mongodb://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

export class ConnectionServer {
  private server: net.Server | undefined;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;
  private closing = false;

  constructor(
    private readonly sink: MessageSink,
    private readonly guard: ConnectionGuard,
    private readonly log?: (line: string) => void,
  ) {}

  /** Listens on `host`:`port` (0 picks a free one) and resolves with the port it got. */
  async listen(host: string, port: number): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        throw new Error(`port ${port} on ${host} is already in use: choose another with --port, or stop what is listening there`, { cause: error });
      throw error;
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    this.closing = true;
    const server = this.server;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const connection of this.connections) connection.close();
    this.connections.clear();
    await closed;
  }

  private accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const connection = new Connection(
      this.nextConnectionId++,
      socket,
      this.sink,
      (conn, reason) => this.log?.(`[engine] closing connection ${conn.id}: ${reason}`),
      this.guard,
    );
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
  }
}
