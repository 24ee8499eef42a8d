/**
 * Authentication, per connection, as mongod does it: until the connection has authenticated,
 * only the handshake commands run (hello, ping, buildInfo, the SASL conversation...), anything
 * else answers 13 Unauthorized. The SASL conversation also rides on the first hello
 * (`speculativeAuthenticate`), which the official driver and mongosh use to save a round trip.
 */
import { Binary, type Document } from 'bson';
import { CommandError } from '../errors.js';
import { SCRAM_MECHANISM, ScramConversation, ScramError, scramCredential, scramUserOf, type ScramCredential } from './scram.js';

/** Commands mongod runs without authentication (their requiresAuth() is false). */
const OPEN_COMMANDS: ReadonlySet<string> = new Set(['hello', 'ping', 'buildInfo', 'saslStart', 'saslContinue', 'logout', 'connectionStatus']);

/** The users an engine accepts (one, from the command line or the environment). */
export class Authenticator {
  private readonly credentials = new Map<string, ScramCredential>();

  constructor(users: readonly { user: string; password: string }[]) {
    for (const { user, password } of users) this.credentials.set(user, scramCredential(user, password));
  }

  find(user: string): ScramCredential | undefined {
    return this.credentials.get(user);
  }
}

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw new CommandError('AuthenticationFailed', 'Authentication failed.');
}

const binary = (text: string): Binary => new Binary(Buffer.from(text, 'utf8'));
const authenticationFailed = () => new CommandError('AuthenticationFailed', 'Authentication failed.');

/** What dispatch.ts asks of a connection's authentication state. */
export interface CommandSession {
  handle(name: string, command: Document): Document | undefined;
  checkAllowed(canonicalName: string, requestedName: string): void;
  decorateHello(command: Document, reply: Document): Document;
}

function unauthorized(requestedName: string): CommandError {
  return new CommandError('Unauthorized', `Command ${requestedName} requires authentication`);
}

/**
 * A connection's authentication state as the executor thread sees it (host/executor.ts): the
 * front thread holds the session, answers the authentication commands and the handshake
 * itself, and says with each command it hands over whether the connection may run anything.
 */
export class ForwardedSession implements CommandSession {
  constructor(private readonly mayRunAnything: boolean) {}

  handle(): undefined {
    return undefined;
  }

  checkAllowed(canonicalName: string, requestedName: string): void {
    if (!this.mayRunAnything && !OPEN_COMMANDS.has(canonicalName)) throw unauthorized(requestedName);
  }

  decorateHello(_command: Document, reply: Document): Document {
    return reply;
  }
}

/** One connection's authentication state. Without an Authenticator every command runs (no auth). */
export class AuthSession implements CommandSession {
  private user: string | undefined;
  private conversation: ScramConversation | undefined;
  private conversationId = 0;

  constructor(private readonly authenticator: Authenticator | undefined) {}

  get authenticatedUser(): string | undefined {
    return this.user;
  }

  /** No authentication asked, or done: every command may run. */
  get mayRunAnything(): boolean {
    return !this.authenticator || this.user !== undefined;
  }

  /** Throws 13 Unauthorized for a command (by its canonical name) this connection may not run yet. */
  checkAllowed(canonicalName: string, requestedName: string): void {
    if (!this.authenticator || this.user !== undefined || OPEN_COMMANDS.has(canonicalName)) return;
    throw unauthorized(requestedName);
  }

  /** The reply to an authentication command, or undefined when `name` is not one this session answers. */
  handle(name: string, command: Document): Document | undefined {
    if (!this.authenticator) return undefined;
    switch (name) {
      case 'saslStart':
        return this.saslStart(command);
      case 'saslContinue':
        return this.saslContinue(command);
      case 'logout':
        this.user = undefined;
        return { ok: 1 };
      case 'connectionStatus':
        return {
          authInfo: {
            authenticatedUsers: this.user === undefined ? [] : [{ user: this.user, db: 'admin' }],
            authenticatedUserRoles: this.user === undefined ? [] : [{ role: 'root', db: 'admin' }],
          },
          ok: 1,
        };
      default:
        return undefined;
    }
  }

  /** Adds what the handshake asked about authentication to a hello reply. */
  decorateHello(command: Document, reply: Document): Document {
    if (!this.authenticator) return reply;
    const out = { ...reply };
    if (typeof command.saslSupportedMechs === 'string') {
      const user = command.saslSupportedMechs.slice(command.saslSupportedMechs.indexOf('.') + 1);
      if (this.authenticator.find(user)) out.saslSupportedMechs = [SCRAM_MECHANISM];
    }
    const speculative = command.speculativeAuthenticate as Document | undefined;
    if (speculative && typeof speculative === 'object') {
      // A failed speculative start is left out of the reply: the driver then runs saslStart and gets the error.
      try {
        const { ok, ...rest } = this.saslStart(speculative);
        void ok;
        out.speculativeAuthenticate = rest;
      } catch {
        // see above
      }
    }
    return out;
  }

  private saslStart(command: Document): Document {
    const authenticator = this.authenticator!;
    if (command.mechanism !== SCRAM_MECHANISM) {
      throw new CommandError(
        'MechanismUnavailable',
        `Unable to use ${String(command.mechanism)} based authentication: the datadragon engine speaks ${SCRAM_MECHANISM} only (the driver's default; set authMechanism=${SCRAM_MECHANISM})`,
      );
    }
    const clientFirst = payloadText(command.payload);
    if (scramUserOf(clientFirst) === undefined) throw authenticationFailed();
    this.conversation = new ScramConversation((user) => authenticator.find(user));
    this.conversationId++;
    const serverFirst = this.conversation.start(clientFirst);
    return { conversationId: this.conversationId, done: false, payload: binary(serverFirst), ok: 1 };
  }

  private saslContinue(command: Document): Document {
    const conversation = this.conversation;
    if (!conversation || Number(command.conversationId) !== this.conversationId) {
      throw new CommandError('AuthenticationFailed', 'No SASL session state found');
    }
    this.conversation = undefined;
    try {
      const { serverFinal, user } = conversation.finish(payloadText(command.payload));
      this.user = user;
      return { conversationId: this.conversationId, done: true, payload: binary(serverFinal), ok: 1 };
    } catch (error) {
      if (error instanceof ScramError) throw authenticationFailed();
      throw error;
    }
  }
}
