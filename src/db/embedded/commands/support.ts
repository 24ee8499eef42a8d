/** Small helpers shared by command handlers: argument checks and cursor replies. */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { Collection } from '../storage/collection.js';
import { toLong } from '../storage/cursors.js';
import { encodeCursorReply } from '../wire/cursor-reply.js';
import { Limits } from '../wire/opcodes.js';
import type { CommandContext } from './context.js';

/** The collection name a command targets (the value of its first key). */
export function collectionName(command: Document, commandName: string): string {
  const name = command[commandName];
  if (typeof name !== 'string' || name.length === 0) {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function optionalDocument(command: Document, field: string): Document | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CommandError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type '${Array.isArray(value) ? 'array' : typeof value}', expected type 'object'`,
    );
  }
  return value as Document;
}

export function optionalNumber(command: Document, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'object' && value !== null && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new CommandError('TypeMismatch', `BSON field '${field}' is the wrong type '${typeof value}', expected a number`);
  }
  return n;
}

export function nonNegative(command: Document, field: string): number | undefined {
  const n = optionalNumber(command, field);
  if (n !== undefined && n < 0) throw new CommandError('BadValue', `BSON field '${field}' value must be >= 0, actual value '${n}'`);
  return n;
}

export function requireArray(command: Document, field: string): unknown[] {
  const value = command[field];
  if (!Array.isArray(value)) throw new CommandError('TypeMismatch', `BSON field '${field}' is missing or is not an array`);
  return value;
}

/** Refuses multi-document transactions: this engine is a standalone without them, like mongod standalone. */
export function refuseTransactions(command: Document): void {
  if (command.startTransaction === true || command.autocommit === false) {
    throw new CommandError(
      'OperationNotSupportedInTransaction',
      'Transaction numbers are only allowed on a replica set member or mongos (the datadragon engine has no transactions)',
    );
  }
}

/**
 * Opens a cursor over `source` and answers with its first batch. With `singleBatch` (or when
 * everything fits) the cursor is closed at once and its id is 0.
 */
export function firstBatchReply(
  context: CommandContext,
  ns: string,
  source: Iterator<Document>,
  options: { batchSize?: number; singleBatch?: boolean },
): Uint8Array {
  const cursor = context.cursors.open(ns, source);
  const batchSize = options.batchSize ?? Limits.defaultFirstBatchSize;
  if (batchSize === 0 && !options.singleBatch) return encodeCursorReply('firstBatch', [], toLong(cursor.id), ns);
  const batch = cursor.nextBatch(batchSize === 0 ? undefined : batchSize);
  const exhausted = batch.exhausted || options.singleBatch === true;
  if (exhausted) context.cursors.close(cursor.id);
  return encodeCursorReply('firstBatch', batch.docs, toLong(exhausted ? 0n : cursor.id), ns);
}

export function emptyCursorReply(ns: string): Uint8Array {
  return encodeCursorReply('firstBatch', [], toLong(0n), ns);
}

export function cursorBatchSize(command: Document): number | undefined {
  const cursor = optionalDocument(command, 'cursor');
  if (!cursor) return undefined;
  const n = optionalNumber(cursor, 'batchSize');
  if (n !== undefined && n < 0) throw new CommandError('BadValue', `BSON field 'batchSize' value must be >= 0, actual value '${n}'`);
  return n;
}

export function existing(context: CommandContext, name: string): Collection | undefined {
  return context.catalog.get(context.db, name);
}

/**
 * mongod refuses a hint that names no index of the collection (by name or by key pattern);
 * `{$natural: ±1}` asks for a collection scan. The engine picks its own plan either way.
 */
export function checkHint(collection: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || !collection) return;
  if (typeof hint === 'string') {
    if (collection.indexSpecs().some((spec) => spec.name === hint)) return;
  } else if (typeof hint === 'object' && !Array.isArray(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0) return;
    if (keys.length === 1 && keys[0] === '$natural') return;
    const wanted = JSON.stringify(hint);
    if (collection.indexSpecs().some((spec) => JSON.stringify(spec.key) === wanted)) return;
  } else {
    throw new CommandError('FailedToParse', "BSON field 'hint' is the wrong type, expected a string or an object");
  }
  throw new CommandError('BadValue', 'error processing query: hint provided does not correspond to an existing index');
}
