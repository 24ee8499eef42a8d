/**
 * What a collection's creation options ask of every write, read from `collection.options`
 * (kept verbatim by the catalog): a view takes no writes, a capped collection drops its oldest
 * documents past `size` bytes or `max` documents, a validator refuses (or, with
 * `validationAction: 'warn'`, logs) documents that do not match it (MongoDB manual, "Views",
 * "Capped Collections", "Schema Validation").
 */
import { calculateObjectSize, type Document } from 'bson';
import { CommandError } from '../errors.js';
import { Query } from '../query/mingo-context.js';
import type { Collection } from '../storage/collection.js';

export const isView = (collection: Collection | undefined): boolean => typeof collection?.options.viewOn === 'string';

/** mongod's answer to a write, an index or another collection-only command on a view. */
export function refuseView(collection: Collection | undefined, what = 'a collection'): void {
  if (isView(collection)) throw new CommandError('CommandNotSupportedOnView', `Namespace ${collection!.ns} is a view, not ${what}`);
}

const validators = new WeakMap<Document, Query>();

function validatorOf(collection: Collection): Query | undefined {
  const spec = collection.options.validator as Document | undefined;
  if (!spec || Object.keys(spec).length === 0 || collection.options.validationLevel === 'off') return undefined;
  let query = validators.get(spec);
  if (!query) {
    query = new Query(spec);
    validators.set(spec, query);
  }
  return query;
}

/**
 * Checks `doc` against the collection's validator before it is written. `previous` is the
 * version an update replaces: with `validationLevel: 'moderate'` a document that did not
 * match before may keep not matching.
 */
export function checkValidation(collection: Collection, doc: Document, previous?: Document): void {
  const query = validatorOf(collection);
  if (!query || query.test(doc)) return;
  if (previous && collection.options.validationLevel === 'moderate' && !query.test(previous)) return;
  if (collection.options.validationAction === 'warn') {
    console.warn(`[engine] ${collection.ns}: document ${String(doc._id)} failed validation (validationAction: warn, written anyway)`);
    return;
  }
  const operatorName = '$jsonSchema' in (collection.options.validator as Document) ? '$jsonSchema' : 'validator';
  throw new CommandError('DocumentValidationFailure', 'Document failed validation', {
    errInfo: { failingDocumentId: doc._id, details: { operatorName, reason: 'the document does not match the collection validator' } },
  });
}

/** The options `create` accepts for a capped collection: `size` in bytes (required), `max` documents. */
export function cappedLimits(collection: Collection): { size: number; max: number } | undefined {
  if (collection.options.capped !== true) return undefined;
  // "A size at or below 4096 caps the collection at 4096 bytes; a larger one is raised to a multiple of 256."
  const asked = Number(collection.options.size);
  const size = asked <= 4096 ? 4096 : Math.ceil(asked / 256) * 256;
  const max = collection.options.max === undefined ? Infinity : Number(collection.options.max);
  return { size, max: max > 0 ? max : Infinity };
}

/** Deletes the oldest documents (natural order) until the capped collection fits its limits. */
export function enforceCap(collection: Collection): void {
  const limits = cappedLimits(collection);
  if (!limits) return;
  let bytes = 0;
  if (limits.size < Infinity) for (const doc of collection.docs.values()) bytes += calculateObjectSize(doc);
  while (collection.size > limits.max || (bytes > limits.size && collection.size > 1)) {
    const oldest = collection.docs.values().next().value as Document;
    bytes -= calculateObjectSize(oldest);
    collection.delete(oldest);
  }
}

const VALIDATION_LEVELS = new Set(['off', 'strict', 'moderate']);
const VALIDATION_ACTIONS = new Set(['error', 'warn']);
/** Options mongod accepts that change nothing here. */
const INERT = new Set(['autoIndexId', 'storageEngine', 'indexOptionDefaults', 'idIndex', 'flags']);
const REFUSED: Record<string, string> = {
  timeseries: 'time series collections',
  clusteredIndex: 'clustered collections',
  expireAfterSeconds: 'collections whose documents expire',
  changeStreamPreAndPostImages: 'change streams',
  encryptedFields: 'queryable encryption',
};

/** Checks `create`'s options as mongod does, refusing those the engine would not honour. */
export function checkCreateOptions(options: Document): void {
  for (const key of Object.keys(options)) {
    if (REFUSED[key])
      throw new CommandError(
        'InvalidOptions',
        `the datadragon engine does not support ${REFUSED[key]} ('${key}'): create the collection without it, or on MongoDB`,
      );
    if (!['capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction', 'viewOn', 'pipeline', 'collation'].includes(key) && !INERT.has(key)) {
      throw new CommandError(location40415, `BSON field 'create.${key}' is an unknown field.`);
    }
  }
  if (options.collation !== undefined && (options.collation as Document | null)?.locale !== 'simple') {
    throw new CommandError(
      'InvalidOptions',
      'the datadragon engine does not support a default collation for a collection: pass the collation with each query instead',
    );
  }
  if (options.viewOn !== undefined) {
    if (typeof options.viewOn !== 'string' || options.viewOn.length === 0)
      throw new CommandError('TypeMismatch', "BSON field 'create.viewOn' is the wrong type, expected type 'string'");
    const pipeline = options.pipeline ?? [];
    if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "BSON field 'create.pipeline' is the wrong type, expected type 'array'");
    for (const stage of pipeline as Document[]) {
      const name = Object.keys(stage ?? {})[0];
      if (name === '$out' || name === '$merge') throw new CommandError('OptionNotSupportedOnView', `${name} cannot be used in a view definition`);
    }
    for (const key of ['capped', 'validator', 'size', 'max'])
      if (options[key] !== undefined) throw new CommandError('InvalidOptions', `option '${key}' is not supported when creating a view`);
    return;
  }
  if (options.pipeline !== undefined) throw new CommandError('BadValue', "'pipeline' requires 'viewOn' to also be specified");
  if (options.capped === true) {
    const size = Number(options.size);
    if (options.size === undefined || !Number.isFinite(size) || size <= 0)
      throw new CommandError('InvalidOptions', "the 'size' field is required when 'capped' is true");
  } else if (options.size !== undefined || options.max !== undefined) {
    throw new CommandError('InvalidOptions', "the 'size' and 'max' fields require 'capped' to be true");
  }
  if (options.validator !== undefined) {
    if (options.validator === null || typeof options.validator !== 'object')
      throw new CommandError('TypeMismatch', "BSON field 'create.validator' is the wrong type, expected type 'object'");
    new Query(options.validator as Document); // parsed now, as mongod does: a bad validator is refused at create
  }
  if (options.validationLevel !== undefined && !VALIDATION_LEVELS.has(options.validationLevel as string)) {
    throw new CommandError('BadValue', `Enumeration value '${String(options.validationLevel)}' for field 'create.validationLevel' is not a valid value.`);
  }
  if (options.validationAction !== undefined && !VALIDATION_ACTIONS.has(options.validationAction as string)) {
    throw new CommandError('BadValue', `Enumeration value '${String(options.validationAction)}' for field 'create.validationAction' is not a valid value.`);
  }
}

const location40415 = { code: 40415, codeName: 'Location40415' };
