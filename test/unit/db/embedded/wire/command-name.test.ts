/** The command name the front thread reads from a message's bytes (wire/command-name.ts), without decoding it. */
import { serialize, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { peekCommandName } from '../../../../../src/db/embedded/wire/command-name.js';

function header(length: number, opCode: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeInt32LE(length, 0);
  bytes.writeInt32LE(7, 4);
  bytes.writeInt32LE(opCode, 12);
  return bytes;
}

function opMsg(body: Document, options: { sequenceFirst?: boolean; checksum?: boolean } = {}): Buffer {
  const bodySection = Buffer.concat([Buffer.from([0]), serialize(body)]);
  const docs = Buffer.concat([serialize({ _id: 1 }), serialize({ _id: 2 })]);
  const identifier = Buffer.from('documents\0');
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + identifier.length + docs.length);
  const sequence = Buffer.concat([Buffer.from([1]), size, identifier, docs]);
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.checksum ? 1 : 0);
  const sections = options.sequenceFirst ? [sequence, bodySection] : [bodySection, sequence];
  const tail = options.checksum ? [Buffer.alloc(4)] : [];
  const payload = Buffer.concat([flags, ...sections, ...tail]);
  return Buffer.concat([header(16 + payload.length, 2013), payload]);
}

function opQuery(query: Document): Buffer {
  const payload = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(8), serialize(query)]);
  return Buffer.concat([header(16 + payload.length, 2004), payload]);
}

describe('peekCommandName', () => {
  it('reads the first key of the body, whichever section comes first, with or without a checksum', () => {
    expect(peekCommandName(opMsg({ insert: 'items', $db: 'shop' }))).toBe('insert');
    expect(peekCommandName(opMsg({ insert: 'items', $db: 'shop' }, { sequenceFirst: true }))).toBe('insert');
    expect(peekCommandName(opMsg({ find: 'items', $db: 'shop' }, { checksum: true }))).toBe('find');
  });

  it('reads the legacy OP_QUERY handshake', () => {
    expect(peekCommandName(opQuery({ isMaster: 1, helloOk: true }))).toBe('isMaster');
  });

  it('gives undefined, never throws, for what it cannot read: the executor answers those', () => {
    const whole = opMsg({ ping: 1, $db: 'admin' });
    expect(peekCommandName(whole.subarray(0, 24))).toBeUndefined();
    expect(peekCommandName(opMsg({}))).toBeUndefined();
    const badSequence = Buffer.from(opMsg({ ping: 1 }, { sequenceFirst: true }));
    badSequence.writeInt32LE(2, 21); // a sequence size below its own length field
    expect(peekCommandName(badSequence)).toBeUndefined();
    const unknownKind = Buffer.from(whole);
    unknownKind[20] = 9;
    expect(peekCommandName(unknownKind)).toBeUndefined();
    expect(peekCommandName(Buffer.concat([header(26, 2012), Buffer.alloc(10)]))).toBeUndefined();
  });
});
