/**
 * One collection: its documents in insertion order, keyed by their `_id` (records.ts: in
 * memory, or in LMDB behind a cache), and its indexes. Every change goes through here so that
 * indexes, uniqueness and the store stay in step.
 */
import { calculateObjectSize, type Document, ObjectId, serialize, UUID } from 'bson';
import { CommandError } from '../errors.js';
import type { Store, StoreCollectionId } from './store.js';
import { Limits } from '../wire/opcodes.js';
import { isPlainObject, SecondaryIndex, type IndexSpec } from './index-spec.js';
import type { Records } from './records.js';
import { valueKey } from './value-key.js';

export const ID_INDEX: IndexSpec = Object.freeze({ v: 2, key: { _id: 1 }, name: '_id_' }) as IndexSpec;

export class Collection {
  /** The documents by `_id` key, in natural order. */
  readonly docs: Records;
  private readonly indexes: SecondaryIndex[] = [];
  private writeCount = 0;

  constructor(
    readonly db: string,
    public name: string,
    readonly options: Document,
    readonly storeId: StoreCollectionId,
    private readonly store: Store,
    /** listCollections' info.uuid: stable for the collection's life (renames and restarts too), as mongod's. */
    readonly uuid: UUID = new UUID(),
  ) {
    this.docs = store.records(storeId);
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...this.indexes.map((index) => index.spec)];
  }

  secondaryIndexes(): readonly SecondaryIndex[] {
    return this.indexes;
  }

  /** Builds an index over the existing documents; fails (changing nothing) on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new SecondaryIndex(spec, this.store.postings(this.storeId, spec));
    const fields = index.buildFields();
    index.buildAll(fields && this.docs.projected ? this.docs.projected(fields) : this.docs.values(), this.ns);
    this.indexes.push(index);
  }

  /** Takes back an index the store kept (at startup): its postings are stored, nothing is built. */
  restoreIndex(spec: IndexSpec): void {
    this.indexes.push(new SecondaryIndex(spec, this.store.postings(this.storeId, spec)));
  }

  dropIndex(name: string): boolean {
    const at = this.indexes.findIndex((index) => index.spec.name === name);
    if (at < 0) return false;
    this.indexes[at]!.clear();
    this.indexes.splice(at, 1);
    return true;
  }

  dropAllIndexes(): number {
    const n = this.indexes.length;
    for (const index of this.indexes) index.clear();
    this.indexes.length = 0;
    return n;
  }

  persistIndexes(): void {
    this.store.setIndexes(
      this.storeId,
      this.indexes.map((index) => index.spec),
    );
  }

  /**
   * Inserts one document (adding an ObjectId `_id` when missing, first, as mongod does).
   * Throws CommandError (DuplicateKey, BadValue for an oversize document) and changes nothing when it fails.
   */
  insert(input: Document, raw?: Uint8Array): Document {
    let doc = input;
    if (doc._id === undefined) {
      doc = { _id: new ObjectId(), ...doc };
      raw = undefined;
    } else if (firstKey(doc) !== '_id') {
      // mongod stores _id first whatever order the client sent (the driver appends it).
      const { _id, ...rest } = doc;
      doc = { _id, ...rest };
      raw = undefined;
    }
    if (raw === undefined && this.store.durable) raw = serialize(doc); // once: for the size check and for the store
    // Documents the engine built itself ($out) are measured too: an aggregation can build one
    // past 16 MiB, which mongod refuses to store whichever way it arrives.
    const size = raw?.length ?? calculateObjectSize(doc);
    // mongod refuses an oversize insert with BadValue (2), not BSONObjectTooLarge.
    if (size > Limits.maxBsonObjectSize)
      throw new CommandError('BadValue', `object to insert too large. size in bytes: ${size}, max size: ${Limits.maxBsonObjectSize}`);
    if (size > MIN_BYTES_PER_LEVEL * MAX_NESTING && tooDeep(doc, 1))
      throw new CommandError('Overflow', `cannot insert document because it exceeds ${MAX_NESTING} levels of nesting`);
    checkIdType(doc._id);
    const id = valueKey(doc._id);
    if (this.docs.has(id)) throw this.duplicateIdError(doc._id);
    for (const index of this.indexes) index.checkUnique(doc, id, this.ns);
    for (const index of this.indexes) index.add(doc, id);
    this.writeCount++;
    this.docs.set(id, doc, raw);
    return doc;
  }

  /** Replaces a stored document by a new version with the same `_id`. */
  replace(oldDoc: Document, newDoc: Document): void {
    checkDocumentSize(newDoc);
    if (tooDeep(newDoc, 1)) throw new CommandError('Overflow', `Document exceeds maximum nesting depth of ${MAX_NESTING}`);
    const id = valueKey(oldDoc._id);
    if (valueKey(newDoc._id) !== id) {
      throw new CommandError('ImmutableField', `Performing an update on the path '_id' would modify the immutable field '_id'`);
    }
    for (const index of this.indexes) index.checkUnique(newDoc, id, this.ns);
    for (const index of this.indexes) index.replace(oldDoc, newDoc, id);
    this.writeCount++;
    this.docs.set(id, newDoc);
  }

  delete(doc: Document): void {
    const id = valueKey(doc._id);
    if (!this.docs.delete(id)) return;
    this.writeCount++;
    for (const index of this.indexes) index.remove(doc, id);
  }

  /** Deletes every document, keeping the collection and its indexes. */
  clear(): void {
    this.docs.clear();
    this.writeCount++;
    for (const index of this.indexes) index.clear();
  }

  /**
   * Counts every change of the documents: what a caller derives from them and keeps (the
   * ordered views of query/ordered-find.ts) is stale once it moved.
   */
  get writes(): number {
    return this.writeCount;
  }

  findById(id: unknown): Document | undefined {
    return this.docs.get(valueKey(id));
  }

  duplicateIdError(id: unknown): CommandError {
    const shown = id instanceof ObjectId ? `ObjectId('${id.toHexString()}')` : JSON.stringify(id);
    return new CommandError('DuplicateKey', `E11000 duplicate key error collection: ${this.ns} index: _id_ dup key: { _id: ${shown} }`, {
      keyPattern: { _id: 1 },
      keyValue: { _id: id },
    });
  }
}

function firstKey(doc: Document): string | undefined {
  for (const key in doc) return key;
  return undefined;
}

/** mongod's nesting limit for stored documents (BSONDepth::getMaxDepthForUserStorage). */
const MAX_NESTING = 180;
/**
 * Each level of nesting costs at least 7 bytes of BSON (type, empty name, length, terminator),
 * so a document smaller than 7 × MAX_NESTING bytes cannot be too deep: no need to walk it.
 */
const MIN_BYTES_PER_LEVEL = 7;

/**
 * Whether a document nests deeper than mongod stores, counting as mongod does (empty
 * subdocuments and arrays do not count). Deeper documents would also overflow the stack of
 * the engine's recursive code (index keys, mingo).
 */
function tooDeep(container: Document | unknown[], frames: number): boolean {
  // for...in and plain loops: this runs on every insert, and must not allocate.
  if (Array.isArray(container)) {
    for (const value of container) if (nestedTooDeep(value, frames)) return true;
    return false;
  }
  for (const key in container) if (nestedTooDeep(container[key], frames)) return true;
  return false;
}

function nestedTooDeep(value: unknown, frames: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value) ? value.length === 0 : !isPlainObject(value) || isEmptyObject(value)) return false;
  return frames === MAX_NESTING || tooDeep(value as Document | unknown[], frames + 1);
}

function isEmptyObject(value: object): boolean {
  for (const _key in value) return false; // the first key answers
  return true;
}

/** mongod stores any _id but an array, a regular expression or undefined. */
function checkIdType(id: unknown): void {
  const type = Array.isArray(id) ? 'array' : id instanceof RegExp || (id as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp' ? 'regex' : undefined;
  if (type) throw new CommandError('InvalidIdField', `The '_id' value cannot be of type ${type}`);
}

/** An updated document must still fit in 16 MiB. */
export function checkDocumentSize(doc: Document): void {
  if (calculateObjectSize(doc) > Limits.maxBsonObjectSize) {
    throw new CommandError('BSONObjectTooLarge', `Resulting document after update is larger than ${Limits.maxBsonObjectSize}`);
  }
}
