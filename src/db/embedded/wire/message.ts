/**
 * Parsing of client messages (OP_MSG, and OP_QUERY for the legacy handshake) and encoding of
 * replies (OP_MSG, OP_REPLY). Framing is the connection's job; this file turns one whole
 * message into a request and a reply document into bytes.
 */
import { calculateObjectSize, deserialize, serialize, type Document } from 'bson';
import { CommandError } from '../errors.js';
import { checkBsonDepth } from '../limits/depth.js';
import { Limits, OpCode, OpMsgFlag } from './opcodes.js';

/** bson options for everything the engine reads from clients. */
export const DESERIALIZE_OPTIONS = Object.freeze({ promoteValues: true, promoteBuffers: false, bsonRegExp: false });

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A command as the engine runs it: the kind-0 body with the kind-1 sequences folded in. */
export interface CommandRequest {
  readonly header: MessageHeader;
  readonly kind: 'msg' | 'query';
  /** moreToCome: the client expects no reply. */
  readonly noReply: boolean;
  readonly command: Document;
  /** Raw bytes of kind-1 documents by identifier (same order as in `command[identifier]`). */
  readonly rawSequences: ReadonlyMap<string, Uint8Array[]>;
}

/** A message that cannot be read: the connection is closed rather than answered. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function readHeader(buffer: Buffer, offset = 0): MessageHeader {
  return {
    messageLength: buffer.readInt32LE(offset),
    requestId: buffer.readInt32LE(offset + 4),
    responseTo: buffer.readInt32LE(offset + 8),
    opCode: buffer.readInt32LE(offset + 12),
  };
}

function readBsonLength(buffer: Buffer, offset: number, end: number, what: string): number {
  if (offset + 5 > end) throw new ProtocolError(`truncated ${what}`);
  const length = buffer.readInt32LE(offset);
  if (length < 5 || offset + length > end) throw new ProtocolError(`invalid ${what} length ${length}`);
  return length;
}

function readCString(buffer: Buffer, offset: number, end: number): [string, number] {
  const zero = buffer.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated cstring');
  return [buffer.toString('utf8', offset, zero), zero + 1];
}

function parseDocument(bytes: Uint8Array, what: string): Document {
  // Before bson recurses through it: mongod refuses deeper documents as it reads a message.
  checkBsonDepth(bytes);
  try {
    return deserialize(bytes, DESERIALIZE_OPTIONS);
  } catch (error) {
    throw new CommandError('InvalidBSON', `invalid BSON in ${what}: ${(error as Error).message}`);
  }
}

/**
 * Parses one whole message. Throws ProtocolError when the framing itself is broken (close the
 * connection) and CommandError when the frame is sound but its content is not (answer it).
 */
export function parseMessage(message: Buffer): CommandRequest {
  const header = readHeader(message);
  switch (header.opCode) {
    case OpCode.OP_MSG:
      return parseOpMsg(message, header);
    case OpCode.OP_QUERY:
      return parseOpQuery(message, header);
    default:
      throw new ProtocolError(`unsupported opcode ${header.opCode}`);
  }
}

function parseOpMsg(message: Buffer, header: MessageHeader): CommandRequest {
  if (message.length < Limits.headerSize + 5) throw new ProtocolError('truncated OP_MSG');
  const flags = message.readUInt32LE(16);
  const end = flags & OpMsgFlag.checksumPresent ? message.length - 4 : message.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences = new Map<string, Document[]>();
  const rawSequences = new Map<string, Uint8Array[]>();
  while (offset < end) {
    const kind = message[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG with two kind-0 sections');
      const length = readBsonLength(message, offset, end, 'OP_MSG body');
      if (length > Limits.maxCommandBodySize) {
        throw new CommandError(
          'BSONObjectTooLarge',
          `BSONObj size: ${length} (0x${length.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${Limits.maxCommandBodySize}(16MB)`,
        );
      }
      body = parseDocument(message.subarray(offset, offset + length), 'OP_MSG body');
      offset += length;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError(`invalid document sequence size ${size}`);
      const [identifier, afterName] = readCString(message, offset + 4, sectionEnd);
      const docs: Document[] = [];
      const raws: Uint8Array[] = [];
      let at = afterName;
      while (at < sectionEnd) {
        const length = readBsonLength(message, at, sectionEnd, `document in sequence '${identifier}'`);
        const raw = message.subarray(at, at + length);
        docs.push(parseDocument(raw, `sequence '${identifier}'`));
        raws.push(raw);
        at += length;
      }
      sequences.set(identifier, docs);
      rawSequences.set(identifier, raws);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body');
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  return { header, kind: 'msg', noReply: (flags & OpMsgFlag.moreToCome) !== 0, command: body, rawSequences };
}

function parseOpQuery(message: Buffer, header: MessageHeader): CommandRequest {
  let offset = 20; // header + flags
  const [fullCollectionName, afterName] = readCString(message, offset, message.length);
  offset = afterName + 8; // numberToSkip, numberToReturn
  const length = readBsonLength(message, offset, message.length, 'OP_QUERY document');
  let query = parseDocument(message.subarray(offset, offset + length), 'OP_QUERY');
  // Some tools wrap the command: { $query: {...}, $readPreference: ... }
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  const dot = fullCollectionName.indexOf('.');
  const db = dot > 0 ? fullCollectionName.slice(0, dot) : fullCollectionName;
  if (query.$db === undefined) query.$db = db;
  return { header, kind: 'query', noReply: false, command: query, rawSequences: new Map() };
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.allocUnsafe(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

/** mongod's largest reply document: a 16 MiB user document plus room for the command's own fields. */
export const MAX_REPLY_BYTES = Limits.maxBsonObjectSize + 16 * 1024;

/** mongod's words for a BSON object over its size limit (10334 BSONObjectTooLarge). */
export function tooLargeMessage(size: number, limit: number = Limits.maxBsonObjectSize): string {
  return `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${limit}(16MB)`;
}

/**
 * Serializes a reply document (cursor replies arrive already encoded). A reply over mongod's
 * limit becomes mongod's error instead: the client gets 10334, never a torn or missing reply.
 */
export function serializeReply(reply: Document | Uint8Array): Uint8Array {
  if (reply instanceof Uint8Array) return reply;
  const size = calculateObjectSize(reply);
  if (size > MAX_REPLY_BYTES) return serialize(new CommandError('BSONObjectTooLarge', tooLargeMessage(size, MAX_REPLY_BYTES)).toReply());
  return serialize(reply); // fits bson's 17 MiB buffer
}

/** OP_MSG reply: flags 0 and exactly one kind-0 section (the driver rejects anything else). */
export function encodeOpMsgReply(responseTo: number, reply: Document | Uint8Array): Buffer[] {
  const body = serializeReply(reply);
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt32LE(0, 0);
  prefix[4] = 0;
  return [header(16 + 5 + body.length, responseTo, OpCode.OP_MSG), prefix, Buffer.from(body.buffer, body.byteOffset, body.length)];
}

/** OP_REPLY for the legacy OP_QUERY handshake: one document, no cursor. */
export function encodeOpReply(responseTo: number, reply: Document | Uint8Array): Buffer[] {
  const body = serializeReply(reply);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (8), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return [header(16 + 20 + body.length, responseTo, OpCode.OP_REPLY), fields, Buffer.from(body.buffer, body.byteOffset, body.length)];
}
