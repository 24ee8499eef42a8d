/**
 * Handshake and server-information commands. The hello reply describes a Standalone with
 * sessions on (logicalSessionTimeoutMinutes) and no topologyVersion, compression or cluster
 * time: each of those would switch the drivers to behaviour the engine does not serve.
 * Authentication adds its own fields to it (auth/session.ts).
 */
import os from 'node:os';
import type { Document } from 'bson';
import { Limits } from '../wire/opcodes.js';
import type { CommandDefinition } from './context.js';

/** MongoDB 7.0's wire version: every driver 6/7 and mongosh 2 accept it. */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

/** The hello reply (before authentication adds to it); the front thread answers it too (host/front.ts). */
export function helloReply(connectionId: number): Document {
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: Limits.maxBsonObjectSize,
    maxMessageSizeBytes: Limits.maxMessageSizeBytes,
    maxWriteBatchSize: Limits.maxWriteBatchSize,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

const ok = (): Document => ({ ok: 1 });

export const handshakeCommands: CommandDefinition[] = [
  { name: 'hello', aliases: ['ismaster', 'isMaster'], run: (_command, context) => helloReply(context.connectionId) },
  { name: 'ping', run: ok },
  {
    name: 'buildInfo',
    aliases: ['buildinfo'],
    run: () => ({
      version: SERVER_VERSION,
      gitVersion: 'datadragon-embedded',
      versionArray: [7, 0, 0, 0],
      modules: [],
      allocator: 'system',
      javascriptEngine: 'none',
      sysInfo: 'deprecated',
      bits: 64,
      debug: false,
      maxBsonObjectSize: Limits.maxBsonObjectSize,
      storageEngines: ['datadragon'],
      ok: 1,
    }),
  },
  // getLog '*' lists the logs there are (mongod: global, startupWarnings); the engine keeps none.
  { name: 'getLog', run: (command) => (command.getLog === '*' ? { names: ['global', 'startupWarnings'], ok: 1 } : { totalLinesWritten: 0, log: [], ok: 1 }) },
  {
    name: 'hostInfo',
    run: () => ({
      system: {
        currentTime: new Date(),
        hostname: os.hostname(),
        cpuAddrSize: 64,
        memSizeMB: Math.round(os.totalmem() / 1048576),
        numCores: os.availableParallelism(),
        cpuArch: os.arch(),
      },
      os: { type: os.type(), name: os.platform(), version: os.release() },
      extra: {},
      ok: 1,
    }),
  },
  { name: 'connectionStatus', run: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }) },
  { name: 'whatsmyuri', run: (_command, context) => ({ you: `127.0.0.1:${context.connectionId}`, ok: 1 }) },
  {
    name: 'getCmdLineOpts',
    run: (_command, context) => ({ argv: ['datadragon', 'db'], parsed: { net: { bindIp: context.engine.host, port: context.engine.port } }, ok: 1 }),
  },
  {
    name: 'serverStatus',
    run: (_command, context) => ({
      host: `${os.hostname()}:${context.engine.port}`,
      version: SERVER_VERSION,
      process: 'datadragon',
      pid: process.pid,
      uptime: Math.floor((Date.now() - context.engine.startedAt.getTime()) / 1000),
      localTime: new Date(),
      connections: {},
      ok: 1,
    }),
  },
  // Sessions are accepted and ignored (lsid is opaque here); ending them is a no-op.
  { name: 'endSessions', run: ok },
  { name: 'refreshSessions', run: ok },
  { name: 'killSessions', run: ok },
  { name: 'killAllSessions', run: ok },
  { name: 'listCommands', run: () => ({ commands: {}, ok: 1 }) },
  { name: 'logout', run: ok },
];
