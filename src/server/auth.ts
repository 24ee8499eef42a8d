/**
 * Who may run the admin mutations (docs/ARCHITECTURE.md §4.6): callers with `Authorization: Bearer
 * $ADMIN_TOKEN`. Without a token configured the server only runs on a loopback address,
 * where every caller is admin (startup says so); on any other address it refuses to start.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { UserInputError } from '../errors.js';
import type { AdminAccess } from '../resolvers/index.js';

/** 127.0.0.0/8, ::1, localhost (and ::ffff:127.x): only this machine can connect. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./.test(bare) || bare === '0:0:0:0:0:0:0:1';
  return false;
}

export type AuthMode = { kind: 'token' } | { kind: 'open-loopback' };

/** Decides the auth mode at startup; refuses an open server on a non-loopback address. */
export function authModeFor(host: string, adminToken: string | undefined): AuthMode {
  if (adminToken) return { kind: 'token' };
  if (isLoopback(host)) return { kind: 'open-loopback' };
  throw new UserInputError(
    `refusing to listen on ${host} without an admin token: anyone who can reach it could seed or reset the database. ` +
      'Set ADMIN_TOKEN (e.g. ADMIN_TOKEN=$(openssl rand -hex 24)), or listen on 127.0.0.1',
  );
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The caller's admin access, from the Authorization header (compared in constant time). */
export function accessOf(authorization: string | undefined, adminToken: string | undefined): AdminAccess {
  if (!adminToken) return 'open';
  if (authorization === undefined || authorization.trim() === '') return 'missing';
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match) return 'malformed';
  return timingSafeEqual(digest(match[1]!), digest(adminToken)) ? 'admin' : 'wrong';
}
