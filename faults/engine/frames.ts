/**
 * The fuzzer's frames, from a seeded PRNG: malformed framing (lengths, opcodes, sections,
 * truncation), invalid or hostile BSON (mutated bytes, nesting bombs), and well-formed
 * commands with random arguments. Each says what the engine must do with it within its bound.
 */
import { serialize, type Document } from 'bson';
import { opMsg } from './raw-socket.js';

export interface Frame {
  kind: string;
  bytes: Buffer;
  /**
   * 'reply': a well-formed command, answered (ok or an error) — a close is a failure.
   * 'any': answered or closed; 'stall': an incomplete message, closed by the idle timeout.
   */
  expect: 'reply' | 'any' | 'stall';
}

/** Databases the fuzzer may touch; the correctness checks live elsewhere. */
export const FUZZ_DATABASES = ['fuzz_a', 'fuzz_b'];
const COMMANDS = [
  'find',
  'insert',
  'update',
  'delete',
  'aggregate',
  'count',
  'distinct',
  'findAndModify',
  'create',
  'drop',
  'listCollections',
  'listIndexes',
  'createIndexes',
  'dropIndexes',
  'getMore',
  'killCursors',
  'collStats',
  'dbStats',
  'ping',
  'hello',
  'buildInfo',
  'saslStart',
  'noSuchCommand',
];
const FIELDS = ['a', 'b', 'c', '_id', 'x.y', '$bad', ''];
const OPERATORS = [
  '$eq',
  '$gt',
  '$in',
  '$regex',
  '$exists',
  '$and',
  '$or',
  '$not',
  '$elemMatch',
  '$size',
  '$type',
  '$expr',
  '$set',
  '$inc',
  '$push',
  '$unset',
  '$match',
  '$group',
  '$project',
  '$sort',
  '$limit',
  '$unwind',
  '$out',
  '$merge',
  '$lookup',
  '$add',
  '$concat',
];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, max: number): number => Math.floor(random() * max);

function randomValue(random: Random, depth: number): unknown {
  const roll = int(random, depth > 3 ? 6 : 10);
  switch (roll) {
    case 0:
      return int(random, 1000) - 500;
    case 1:
      return random() * 1e6;
    case 2:
      return pick(random, ['', 'x', 'abc', '^a.*', '(a+)+$', 'fuzz', '\u00e9\u4e2d']);
    case 3:
      return random() < 0.5;
    case 4:
      return null;
    case 5:
      return new Date(int(random, 2_000_000_000_000));
    case 6:
    case 7:
      return randomDocument(random, depth + 1);
    default:
      return Array.from({ length: int(random, 4) }, () => randomValue(random, depth + 1));
  }
}

function randomDocument(random: Random, depth = 0): Document {
  const doc: Document = {};
  for (let i = int(random, 4); i > 0; i--) doc[random() < 0.5 ? pick(random, OPERATORS) : pick(random, FIELDS)] = randomValue(random, depth + 1);
  return doc;
}

/** A well-formed command with random arguments, aimed at a fuzz database. */
export function randomCommand(random: Random): Document {
  const name = pick(random, COMMANDS);
  const command: Document = { [name]: random() < 0.9 ? pick(random, ['c1', 'c2', 'c3']) : randomValue(random, 0) };
  for (let i = int(random, 4); i > 0; i--) {
    const field = pick(random, [
      'filter',
      'query',
      'documents',
      'updates',
      'deletes',
      'pipeline',
      'sort',
      'projection',
      'limit',
      'batchSize',
      'key',
      'update',
      'indexes',
      'cursor',
      'cursors',
      'collection',
      'remove',
      'new',
      'upsert',
    ]);
    command[field] = ['documents', 'updates', 'deletes', 'pipeline', 'indexes', 'cursors'].includes(field)
      ? Array.from({ length: int(random, 4) }, () => randomDocument(random))
      : randomValue(random, 0);
  }
  command.$db = pick(random, FUZZ_DATABASES);
  return command;
}

/** `{ find, filter: { a: { a: ... } } }` with `levels` of nesting, by hand (bson's serializer would recurse). */
function nestingBomb(levels: number): Buffer {
  const out = Buffer.alloc(8 * levels + 5);
  for (let i = 0; i < levels; i++) {
    out.writeInt32LE(out.length - 8 * i, 7 * i);
    out.set([0x03, 0x61, 0x00], 7 * i + 4);
  }
  out.writeInt32LE(5, 7 * levels);
  return wrapAsCommand(out);
}

/** `{ find: 'c1', filter: <doc>, $db }` around an already-encoded document. */
function wrapAsCommand(doc: Buffer): Buffer {
  const head = Buffer.from(serialize({ find: 'c1', $db: 'fuzz_a' })).subarray(0, -1);
  const out = Buffer.concat([head, Buffer.from([0x03]), Buffer.from('filter\0', 'latin1'), doc, Buffer.from([0])]);
  out.writeInt32LE(out.length, 0);
  return out;
}

function header(length: number, opCode: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32LE(length, 0);
  out.writeInt32LE(1, 4);
  out.writeInt32LE(opCode, 12);
  return out;
}

/** One frame of a random kind. */
export function randomFrame(random: Random): Frame {
  const roll = int(random, 12);
  switch (roll) {
    case 0: {
      const bytes = header(int(random, 16) - 8, 2013); // length below a header, or negative
      return { kind: 'length below 16', bytes, expect: 'any' };
    }
    case 1:
      return { kind: 'length above 48 MB', bytes: header(48_000_001 + int(random, 1e6), 2013), expect: 'any' };
    case 2: {
      const payload = Buffer.from(serialize({ ping: 1, $db: 'fuzz_a' }));
      const opCode = pick(random, [1, 2001, 2002, 2004, 2005, 2006, 2007, 2012, 9999, -1]);
      return { kind: 'unknown or legacy opcode', bytes: Buffer.concat([header(16 + 4 + payload.length, opCode), Buffer.alloc(4), payload]), expect: 'any' };
    }
    case 3: {
      const valid = opMsg(randomCommand(random));
      const mutated = Buffer.from(valid);
      // past the header and the flags (a moreToCome flag would rightly silence the reply)
      for (let i = 1 + int(random, 8); i > 0; i--) mutated[20 + int(random, mutated.length - 20)] = int(random, 256);
      return { kind: 'mutated bytes in a command', bytes: mutated, expect: 'any' };
    }
    case 4: {
      const body = randomBytesOfLength(random, 5 + int(random, 200));
      body.writeInt32LE(body.length, 0);
      return { kind: 'random BSON body', bytes: opMsg(body), expect: 'any' };
    }
    case 5: {
      const valid = opMsg({ ping: 1, $db: 'fuzz_a' });
      valid[20] = 2 + int(random, 250); // no such section kind
      return { kind: 'unknown section kind', bytes: valid, expect: 'any' };
    }
    case 6: {
      const noise = randomBytesOfLength(random, 16 + int(random, 300));
      noise.writeInt32LE(noise.length, 0);
      return { kind: 'random bytes, plausible length', bytes: noise, expect: 'any' };
    }
    case 7:
      return { kind: 'nesting bomb', bytes: opMsg(nestingBomb(1000 + int(random, 50_000))), expect: 'reply' };
    case 8: {
      const whole = opMsg(randomCommand(random));
      return { kind: 'truncated message', bytes: whole.subarray(0, 4 + int(random, whole.length - 5)), expect: 'stall' };
    }
    case 9:
      return {
        kind: 'checksum and random flags',
        bytes: opMsg({ ping: 1, $db: 'fuzz_a' }, int(random, 2) /* checksumPresent without a checksum */),
        expect: 'any',
      };
    default:
      return { kind: 'random command', bytes: opMsg(randomCommand(random)), expect: 'reply' };
  }
}

function randomBytesOfLength(random: Random, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = int(random, 256);
  return out;
}
