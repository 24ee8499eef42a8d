/** mongod's limits as the engine checks them before a command runs: nesting depth, namespaces, pipeline length, cursor cap. */
import { serialize, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { checkCommandLimits, MAX_PIPELINE_STAGES } from '../../../../../src/db/embedded/limits/check.js';
import { bsonDepth, checkBsonDepth, MAX_BSON_DEPTH } from '../../../../../src/db/embedded/limits/depth.js';
import { checkWritableNamespace, checkWriteStage } from '../../../../../src/db/embedded/limits/namespaces.js';
import { CursorRegistry } from '../../../../../src/db/embedded/storage/cursors.js';
import { serializeReply } from '../../../../../src/db/embedded/wire/message.js';

/** `levels` nested objects below the top: { a: { a: ... {} } }. */
function nestedObjects(levels: number): Document {
  let doc: Document = {};
  for (let i = 0; i < levels; i++) doc = { a: doc };
  return doc;
}

/** The same, encoded by hand (bson's serializer recurses, and overflows its stack on a bomb). */
function nestedBytes(levels: number): Buffer {
  const out = Buffer.alloc(7 * levels + 5 + levels);
  for (let i = 0; i < levels; i++) {
    out.writeInt32LE(out.length - 7 * i - i, 7 * i);
    out.set([0x03, 0x61, 0x00], 7 * i + 4);
  }
  out.writeInt32LE(5, 7 * levels);
  return out;
}

function codeOf(fn: () => void): number | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: number }).code;
  }
  return undefined;
}

describe('BSON nesting depth (raw bytes, no recursion)', () => {
  it('counts objects and arrays below the top level', () => {
    expect(bsonDepth(serialize({}))).toBe(0);
    expect(bsonDepth(serialize({ a: 1, s: 'x', b: { c: [1, { d: null }] } }))).toBe(3);
    expect(bsonDepth(serialize(nestedObjects(50)))).toBe(50);
  });

  it('walks past every kind of value to the nesting after it', () => {
    const doc = serialize({
      s: 'text',
      n: 1.5,
      i: 7,
      l: BigInt(2) ** BigInt(60),
      d: new Date(0),
      b: true,
      z: null,
      r: /ab+c/i,
      bin: Buffer.from([1, 2, 3]),
      deep: nestedObjects(5),
    });
    expect(bsonDepth(doc)).toBe(6);
  });

  it('allows 200 levels and refuses 201 with 15 Overflow, as mongod reads a message', () => {
    expect(codeOf(() => checkBsonDepth(serialize(nestedObjects(MAX_BSON_DEPTH))))).toBeUndefined();
    expect(codeOf(() => checkBsonDepth(serialize(nestedObjects(MAX_BSON_DEPTH + 1))))).toBe(15);
  });

  it('the tightest possible nesting (empty names) is caught too: documents too short to nest past the limit are not walked', () => {
    /** `levels` nested documents under empty names: 7 bytes a level, the least there can be. */
    const tight = (levels: number): Buffer => {
      const out = Buffer.alloc(5 + 7 * levels);
      for (let i = 0; i < levels; i++) {
        out.writeInt32LE(out.length - 7 * i, 6 * i);
        out.set([0x03, 0x00], 6 * i + 4);
      }
      out.writeInt32LE(5, 6 * levels);
      return out;
    };
    expect(bsonDepth(tight(MAX_BSON_DEPTH + 1))).toBe(MAX_BSON_DEPTH + 1);
    expect(codeOf(() => checkBsonDepth(tight(MAX_BSON_DEPTH + 1)))).toBe(15);
    expect(codeOf(() => checkBsonDepth(tight(MAX_BSON_DEPTH)))).toBeUndefined();
  });

  it('a 100,000-level bomb is refused at once, without a stack overflow', () => {
    const bomb = nestedBytes(100_000);
    const started = performance.now();
    expect(codeOf(() => checkBsonDepth(bomb))).toBe(15);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('leaves malformed bytes to the BSON parser (undefined, no throw)', () => {
    const bytes = Buffer.from(serialize({ a: { b: 1 } }));
    bytes.writeInt32LE(9999, 0);
    expect(bsonDepth(bytes)).toBeUndefined();
    const inner = Buffer.from(serialize({ a: { b: 1 } }));
    inner.writeInt32LE(200, 7); // the embedded document claims more than there is
    expect(bsonDepth(inner)).toBeUndefined();
  });
});

describe('namespaces', () => {
  it('system.* is not writable, except the few mongod lets clients write', () => {
    expect(codeOf(() => checkWritableNamespace('shop', 'system.foo'))).toBe(73);
    expect(codeOf(() => checkWritableNamespace('shop', 'system.profile'))).toBe(73);
    expect(codeOf(() => checkWritableNamespace('shop', 'system.views'))).toBe(73);
    expect(codeOf(() => checkWritableNamespace('shop', 'system.js'))).toBeUndefined();
    expect(codeOf(() => checkWritableNamespace('admin', 'system.users'))).toBeUndefined();
    expect(codeOf(() => checkWritableNamespace('shop', 'systems'))).toBeUndefined();
    expect(codeOf(() => checkWritableNamespace('admin', 'anything'))).toBeUndefined();
    expect(codeOf(() => checkWritableNamespace('local', 'anything'))).toBeUndefined();
  });

  it('$out and $merge targets, by each way of naming them', () => {
    expect(codeOf(() => checkWriteStage([{ $out: 'system.x' }], 'shop'))).toBe(17385);
    expect(codeOf(() => checkWriteStage([{ $out: 'x' }], 'admin'))).toBe(31321);
    expect(codeOf(() => checkWriteStage([{ $out: { db: 'config', coll: 'x' } }], 'shop'))).toBe(31321);
    expect(codeOf(() => checkWriteStage([{ $merge: 'system.x' }], 'shop'))).toBe(31319);
    expect(codeOf(() => checkWriteStage([{ $merge: { into: 'x' } }], 'local'))).toBe(31320);
    expect(codeOf(() => checkWriteStage([{ $merge: { into: { db: 'admin', coll: 'x' } } }], 'shop'))).toBe(31320);
    expect(codeOf(() => checkWriteStage([{ $match: {} }, { $out: 'ok' }], 'shop'))).toBeUndefined();
    expect(codeOf(() => checkWriteStage([{ $merge: { into: { db: 'other', coll: 'ok' } } }], 'shop'))).toBeUndefined();
    expect(codeOf(() => checkWriteStage([{ $out: 42 }], 'shop'))).toBeUndefined(); // the stage reports its own spec errors
  });

  it('the central check applies them to the commands that write', () => {
    expect(codeOf(() => checkCommandLimits('insert', { insert: 'system.x', documents: [] }, 'shop'))).toBe(73);
    expect(codeOf(() => checkCommandLimits('findAndModify', { findAndModify: 'system.x' }, 'shop'))).toBe(73);
    expect(codeOf(() => checkCommandLimits('createIndexes', { createIndexes: 'system.x' }, 'shop'))).toBe(73);
    expect(codeOf(() => checkCommandLimits('find', { find: 'system.x' }, 'shop'))).toBeUndefined(); // reads are fine
    expect(codeOf(() => checkCommandLimits('aggregate', { aggregate: 'c', pipeline: [{ $out: 'system.x' }] }, 'shop'))).toBe(17385);
  });

  it('a pipeline of more than 1000 stages is refused, 1000 are not', () => {
    const stages = (n: number) => Array.from({ length: n }, () => ({ $match: {} }));
    expect(codeOf(() => checkCommandLimits('aggregate', { aggregate: 'c', pipeline: stages(MAX_PIPELINE_STAGES) }, 'shop'))).toBeUndefined();
    expect(codeOf(() => checkCommandLimits('aggregate', { aggregate: 'c', pipeline: stages(MAX_PIPELINE_STAGES + 1) }, 'shop'))).toBe(7749501);
  });
});

describe('caps', () => {
  it('cursors: at the cap, idle ones expire first, then opening is refused with a clear error', () => {
    const registry = new CursorRegistry(60_000, 3);
    try {
      const source = () => [{ a: 1 }][Symbol.iterator]();
      const opened = [registry.open('db.c', source()), registry.open('db.c', source()), registry.open('db.c', source())];
      let error: unknown;
      try {
        registry.open('db.c', source());
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 96, message: expect.stringMatching(/too many open cursors \(3/) });
      registry.close(opened[0]!.id);
      expect(registry.open('db.c', source())).toBeDefined();
      opened[1]!.lastUsed = Date.now() - 120_000; // idle past the timeout
      expect(registry.open('db.c', source())).toBeDefined();
    } finally {
      registry.dispose();
    }
  });

  it('a result document over 16 MiB is 10334 BSONObjectTooLarge, not a RangeError', () => {
    const registry = new CursorRegistry();
    try {
      const huge = { _id: 1, parts: Array.from({ length: 18 }, () => 'x'.repeat(1024 * 1024)) };
      const cursor = registry.open('db.c', [huge][Symbol.iterator]());
      expect(codeOf(() => cursor.nextBatch(1))).toBe(10334);
    } finally {
      registry.dispose();
    }
  });

  it('a reply document over 16 MiB becomes the error reply itself', () => {
    const reply = serializeReply({ values: Array.from({ length: 18 }, () => 'x'.repeat(1024 * 1024)), ok: 1 });
    expect(reply.length).toBeLessThan(1024);
    expect(Buffer.from(reply).toString('latin1')).toContain('BSONObj size');
  });
});
