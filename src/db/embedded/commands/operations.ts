/**
 * currentOp, killOp and validate. The engine runs one command at a time to its end, so when
 * currentOp runs nothing else is in progress, and there is never an operation to kill.
 * validate checks what can go wrong in the engine's collections: every document has an `_id`
 * the collection finds it by, and every document fits the BSON limit.
 */
import { calculateObjectSize } from 'bson';
import { CommandError } from '../errors.js';
import { Limits } from '../wire/opcodes.js';
import { isView } from './collection-rules.js';
import type { CommandDefinition } from './context.js';
import { collectionName, existing } from './support.js';

export const currentOpCommand: CommandDefinition = {
  name: 'currentOp',
  run() {
    return { inprog: [], ok: 1 };
  },
};

export const killOpCommand: CommandDefinition = {
  name: 'killOp',
  run(command) {
    if (command.op === undefined) throw new CommandError('FailedToParse', "BSON field 'killOp.op' is missing but a required field");
    return { info: 'attempting to kill op', ok: 1 };
  },
};

export const validateCommand: CommandDefinition = {
  name: 'validate',
  run(command, context) {
    const name = collectionName(command, 'validate');
    const collection = existing(context, name);
    if (!collection) throw new CommandError('NamespaceNotFound', `Collection '${context.db}.${name}' does not exist to validate.`);
    if (isView(collection)) throw new CommandError('CommandNotSupportedOnView', `Namespace ${collection.ns} is a view, not a collection`);
    const errors: string[] = [];
    let nInvalidDocuments = 0;
    for (const doc of collection.docs.values()) {
      const bad = doc._id === undefined || collection.findById(doc._id) !== doc || calculateObjectSize(doc) > Limits.maxBsonObjectSize;
      if (bad) nInvalidDocuments++;
    }
    if (nInvalidDocuments) errors.push(`${nInvalidDocuments} documents are not reachable by their _id or exceed the BSON size limit`);
    const keysPerIndex = Object.fromEntries(collection.indexSpecs().map((spec) => [spec.name, collection.size]));
    return {
      ns: collection.ns,
      nInvalidDocuments,
      nNonCompliantDocuments: 0,
      nrecords: collection.size,
      nIndexes: collection.indexSpecs().length,
      keysPerIndex,
      valid: errors.length === 0,
      repaired: false,
      warnings: [],
      errors,
      extraIndexEntries: [],
      missingIndexEntries: [],
      corruptRecords: [],
      ok: 1,
    };
  },
};
