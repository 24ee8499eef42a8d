/**
 * When `datadragon db` turns authentication on, and with which credentials. On a loopback
 * address the engine stays open, as mongod's default is (only local processes reach it). On any
 * other address it refuses to run without authentication: credentials come from the flags, the
 * environment, or a secret generated and printed once; `--no-auth` starts it open anyway, with
 * a warning.
 */
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';

export const DEFAULT_ENGINE_USER = 'datadragon';

export interface EngineAuthRequest {
  host: string;
  /** true for --auth, false for --no-auth, undefined when neither was given. */
  auth?: boolean;
  /** From --user / --password (flags) — either one turns authentication on. */
  user?: string;
  password?: string;
  /** From DATADRAGON_DB_USER / DATADRAGON_DB_PASSWORD: used once authentication is on. */
  envUser?: string;
  envPassword?: string;
}

export type EngineAuthChoice = { kind: 'off'; warning?: string } | { kind: 'on'; user: string; password: string; generated: boolean };

/** Whether only this machine can reach `host` (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) {
    const lower = bare.toLowerCase();
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

export function resolveEngineAuth(request: EngineAuthRequest): EngineAuthChoice {
  const loopback = isLoopbackHost(request.host);
  const flagged = request.user !== undefined || request.password !== undefined;
  if (request.auth === false) {
    if (flagged) throw new Error('--no-auth and --user/--password exclude each other: choose one');
    if (loopback) return { kind: 'off' };
    return {
      kind: 'off',
      warning:
        `warning: authentication is off (--no-auth) on ${request.host}, an address other machines can reach: ` +
        'anyone who reaches this port can read, change and delete every database. Drop --no-auth to require a password.',
    };
  }
  if (loopback && request.auth !== true && !flagged) return { kind: 'off' };
  const user = request.user ?? request.envUser ?? DEFAULT_ENGINE_USER;
  if (user.length === 0) throw new Error('the engine user name is empty: give one with --user or DATADRAGON_DB_USER');
  const password = request.password ?? request.envPassword;
  if (password !== undefined && password.length === 0)
    throw new Error('the engine password is empty: give one with --password or DATADRAGON_DB_PASSWORD, or leave both out for a generated one');
  if (password !== undefined) return { kind: 'on', user, password, generated: false };
  return { kind: 'on', user, password: randomBytes(18).toString('base64url'), generated: true };
}
