/** The server side of SCRAM-SHA-256, replayed against RFC 7677's example exchange and the policy of when it is on. */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveEngineAuth, scramCredential, ScramConversation, ScramError } from '../../../../../src/db/embedded/auth/index.js';

// RFC 7677 §3: user "user", password "pencil".
const SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const CLIENT_FIRST = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

const rfcUser = scramCredential('user', 'pencil', SALT, 4096);
const conversation = (): ScramConversation =>
  new ScramConversation(
    (user) => (user === 'user' ? rfcUser : undefined),
    () => SERVER_NONCE,
  );

/** A client's final message for `serverFirst`, computed as a driver does (RFC 5802 §3). */
function clientFinal(clientFirstBare: string, serverFirst: string, password: string): string {
  const fields = Object.fromEntries(serverFirst.split(',').map((part) => [part[0], part.slice(2)]));
  const salted = pbkdf2Sync(password, Buffer.from(fields.s!, 'base64'), Number(fields.i), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const withoutProof = `c=biws,r=${fields.r}`;
  const signature = createHmac('sha256', storedKey).update(`${clientFirstBare},${serverFirst},${withoutProof}`).digest();
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
  return `${withoutProof},p=${proof.toString('base64')}`;
}

describe('SCRAM-SHA-256 conversation', () => {
  it("answers RFC 7677's example exchange byte for byte", () => {
    const scram = conversation();
    expect(scram.start(CLIENT_FIRST)).toBe(SERVER_FIRST);
    expect(scram.finish(CLIENT_FINAL)).toEqual({ serverFinal: SERVER_FINAL, user: 'user' });
  });

  it('refuses a wrong proof, a replayed or altered nonce, and a second finish', () => {
    const wrong = conversation();
    wrong.start(CLIENT_FIRST);
    expect(() => wrong.finish(clientFinal('n=user,r=rOprNGfwEbeRWgbNEkqO', SERVER_FIRST, 'pencils'))).toThrow(ScramError);
    const altered = conversation();
    altered.start(CLIENT_FIRST);
    expect(() => altered.finish(CLIENT_FINAL.replace('k0,p=', 'k1,p='))).toThrow(ScramError);
    const twice = conversation();
    twice.start(CLIENT_FIRST);
    twice.finish(CLIENT_FINAL);
    expect(() => twice.finish(CLIENT_FINAL)).toThrow(ScramError);
  });

  it('an unknown user gets a salt and iterations like any other, and fails at the proof', () => {
    const scram = new ScramConversation(() => undefined);
    const serverFirst = scram.start('n,,n=nobody,r=abc');
    expect(serverFirst).toMatch(/^r=abc[^,]+,s=[A-Za-z0-9+/=]+,i=15000$/);
    expect(() => scram.finish(clientFinal('n=nobody,r=abc', serverFirst, 'anything'))).toThrow(ScramError);
  });

  it('decodes =2C and =3D in user names and refuses channel binding or malformed messages', () => {
    const odd = scramCredential('a,b=c', 'pw', SALT, 4096);
    const scram = new ScramConversation((user) => (user === 'a,b=c' ? odd : undefined));
    const serverFirst = scram.start('n,,n=a=2Cb=3Dc,r=xyz');
    expect(scram.finish(clientFinal('n=a=2Cb=3Dc,r=xyz', serverFirst, 'pw')).user).toBe('a,b=c');
    expect(() => conversation().start('p=tls-unique,,n=user,r=abc')).toThrow(ScramError);
    expect(() => conversation().start('n,,r=abc')).toThrow(ScramError);
    expect(() => conversation().start('n,,n=a=2Xb,r=abc')).toThrow(ScramError);
  });
});

describe('when the engine requires authentication', () => {
  it('knows loopback addresses from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('stays open on loopback unless asked', () => {
    expect(resolveEngineAuth({ host: '127.0.0.1' })).toEqual({ kind: 'off' });
    expect(resolveEngineAuth({ host: '127.0.0.1', envPassword: 'from-env' })).toEqual({ kind: 'off' });
    expect(resolveEngineAuth({ host: '127.0.0.1', auth: true, envPassword: 'from-env' })).toEqual({
      kind: 'on',
      user: 'datadragon',
      password: 'from-env',
      generated: false,
    });
    expect(resolveEngineAuth({ host: 'localhost', password: 'pw' })).toEqual({ kind: 'on', user: 'datadragon', password: 'pw', generated: false });
  });

  it('is on for any other address, with a generated password when none is given', () => {
    const generated = resolveEngineAuth({ host: '0.0.0.0' });
    expect(generated).toMatchObject({ kind: 'on', user: 'datadragon', generated: true });
    expect(generated.kind === 'on' && generated.password.length).toBeGreaterThanOrEqual(24);
    expect(resolveEngineAuth({ host: '0.0.0.0' })).not.toEqual(generated); // a new secret every start
    expect(resolveEngineAuth({ host: '10.0.0.5', envUser: 'ops', envPassword: 'pw' })).toEqual({ kind: 'on', user: 'ops', password: 'pw', generated: false });
    expect(resolveEngineAuth({ host: '10.0.0.5', user: 'me', envUser: 'ops', envPassword: 'pw' })).toMatchObject({ user: 'me', password: 'pw' });
  });

  it('--no-auth starts open with a warning off loopback, and excludes credentials', () => {
    const open = resolveEngineAuth({ host: '0.0.0.0', auth: false });
    expect(open.kind).toBe('off');
    expect(open.kind === 'off' && open.warning).toMatch(/authentication is off \(--no-auth\) on 0\.0\.0\.0/);
    expect(resolveEngineAuth({ host: '127.0.0.1', auth: false })).toEqual({ kind: 'off' });
    expect(() => resolveEngineAuth({ host: '0.0.0.0', auth: false, password: 'pw' })).toThrow(/exclude each other/);
    expect(() => resolveEngineAuth({ host: '0.0.0.0', password: '' })).toThrow(/password is empty/);
  });
});
