/**
 * SCRAM-SHA-256 (RFC 5802 / RFC 7677), the server's side, as mongod speaks it to the official
 * drivers and mongosh: `saslStart` carries the client-first message, the reply the server-first
 * one, `saslContinue` the client proof, its reply the server signature. The password itself is
 * never kept: only the salted keys are, derived once when the engine starts.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { saslprep } from '@mongodb-js/saslprep';

/** mongod's default (scramSHA256IterationCount); drivers refuse fewer than 4096. */
export const SCRAM_ITERATIONS = 15_000;
export const SCRAM_MECHANISM = 'SCRAM-SHA-256';

export interface ScramCredential {
  readonly user: string;
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

const hmac = (key: Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** Derives the keys a server stores for `user` (the password is SASLprep'd, as drivers do for SHA-256). */
export function scramCredential(user: string, password: string, salt: Buffer = randomBytes(28), iterations = SCRAM_ITERATIONS): ScramCredential {
  const salted = pbkdf2Sync(saslprep(password), salt, iterations, 32, 'sha256');
  return { user, salt, iterations, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

/** A SCRAM step the client got wrong: answered as mongod does, "Authentication failed." (18). */
export class ScramError extends Error {
  override name = 'ScramError';
}

/** `a=1,b=2` into { a: '1', b: '2' } (values may contain '='). */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** RFC 5802 saslname: '=2C' is ',' and '=3D' is '='; any other '=' is invalid. */
function decodeSaslName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw new ScramError('invalid username encoding');
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** The user named in a client-first message (`n,,n=<user>,r=<nonce>`), or undefined if it is malformed. */
export function scramUserOf(clientFirst: string): string | undefined {
  try {
    return parseClientFirst(clientFirst).user;
  } catch {
    return undefined;
  }
}

function parseClientFirst(clientFirst: string): { user: string; nonce: string; bare: string } {
  // gs2 header: no channel binding ('n' or 'y'), no authzid
  const match = /^[ny],,(.*)$/s.exec(clientFirst);
  if (!match) throw new ScramError('unsupported SCRAM gs2 header (channel binding and authzid are not supported)');
  const bare = match[1]!;
  const fields = attributes(bare);
  const user = fields.get('n');
  const nonce = fields.get('r');
  if (user === undefined || user.length === 0 || nonce === undefined || nonce.length === 0) throw new ScramError('malformed SCRAM client-first message');
  return { user: decodeSaslName(user), nonce, bare };
}

/**
 * One conversation: `start(clientFirst)` answers the server-first message, `finish(clientFinal)`
 * checks the proof and answers the server-final message (`v=<signature>`).
 */
export class ScramConversation {
  private state: { bare: string; serverFirst: string; nonce: string; credential: ScramCredential } | undefined;
  private done = false;

  /**
   * `lookup` finds the stored credential of a user; an unknown user fails only at the proof, as
   * RFC 5802 advises. `serverNonce` is random unless given (tests replay the RFC's exchange).
   */
  constructor(
    private readonly lookup: (user: string) => ScramCredential | undefined,
    private readonly serverNonce: () => string = () => randomBytes(24).toString('base64'),
  ) {}

  start(clientFirst: string): string {
    const { user, nonce: clientNonce, bare } = parseClientFirst(clientFirst);
    // An unknown user gets a made-up salt (and keys no proof matches), so that the answer does
    // not tell which users exist; no key derivation is spent on it.
    const credential = this.lookup(user) ?? {
      user,
      salt: randomBytes(28),
      iterations: SCRAM_ITERATIONS,
      storedKey: randomBytes(32),
      serverKey: randomBytes(32),
    };
    const nonce = clientNonce + this.serverNonce();
    const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
    this.state = { bare, serverFirst, nonce, credential };
    return serverFirst;
  }

  /** Returns the server-final message and the authenticated user; throws ScramError on a wrong proof. */
  finish(clientFinal: string): { serverFinal: string; user: string } {
    const state = this.state;
    if (!state || this.done) throw new ScramError('no SCRAM conversation in progress');
    this.done = true;
    const fields = attributes(clientFinal);
    const proof = fields.get('p');
    if (fields.get('c') !== 'biws' || fields.get('r') !== state.nonce || proof === undefined) throw new ScramError('malformed SCRAM client-final message');
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
    const authMessage = `${state.bare},${state.serverFirst},${withoutProof}`;
    const clientSignature = hmac(state.credential.storedKey, authMessage);
    const proofBytes = Buffer.from(proof, 'base64');
    if (proofBytes.length !== clientSignature.length) throw new ScramError('wrong SCRAM proof');
    const clientKey = Buffer.alloc(proofBytes.length);
    for (let i = 0; i < clientKey.length; i++) clientKey[i] = proofBytes[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(sha256(clientKey), state.credential.storedKey)) throw new ScramError('wrong SCRAM proof');
    return { serverFinal: `v=${hmac(state.credential.serverKey, authMessage).toString('base64')}`, user: state.credential.user };
  }
}
