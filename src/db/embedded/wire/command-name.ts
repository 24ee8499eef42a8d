/**
 * The name of the command a message carries, read from its bytes without decoding the BSON:
 * the front thread (host/front.ts) sorts messages by it, and decoding a 48 MB insert there
 * would hold up the pings it exists to answer. Anything unexpected gives undefined: the
 * executor then parses the message and reports what is wrong with it (wire/message.ts).
 */
import { OpCode, OpMsgFlag } from './opcodes.js';

export function peekCommandName(message: Buffer): string | undefined {
  if (message.length < 21) return undefined;
  const opCode = message.readInt32LE(12);
  if (opCode === OpCode.OP_MSG) {
    const flags = message.readUInt32LE(16);
    const end = message.length - ((flags & OpMsgFlag.checksumPresent) !== 0 ? 4 : 0);
    let at = 20;
    while (at < end) {
      const kind = message[at]!;
      if (kind === 0) return firstElementName(message, at + 1, end);
      if (kind !== 1 || at + 5 > end) return undefined;
      const size = message.readInt32LE(at + 1);
      if (size < 4) return undefined;
      at += 1 + size;
    }
    return undefined;
  }
  if (opCode === OpCode.OP_QUERY) {
    const zero = message.indexOf(0, 20);
    if (zero < 0) return undefined;
    return firstElementName(message, zero + 1 + 8, message.length);
  }
  return undefined;
}

function firstElementName(message: Buffer, documentAt: number, end: number): string | undefined {
  const typeAt = documentAt + 4;
  if (typeAt >= end || message[typeAt] === 0) return undefined;
  const zero = message.indexOf(0, typeAt + 1);
  if (zero < 0 || zero >= end) return undefined;
  return message.toString('utf8', typeAt + 1, zero);
}
