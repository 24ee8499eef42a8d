import { CommandError } from '../errors.js';
import { findDocuments } from '../query/find.js';
import { collationOf } from '../query/collation.js';
import { isView } from './collection-rules.js';
import { findOnView } from './views.js';
import { Limits } from '../wire/opcodes.js';
import type { CommandDefinition } from './context.js';
import { checkHint, collectionName, existing, firstBatchReply, nonNegative, optionalDocument, optionalNumber } from './support.js';

/** Options that change what find answers, and that the engine does not implement. */
const UNSUPPORTED_FIND_OPTIONS = ['min', 'max', 'returnKey', 'showRecordId', 'awaitData'];

export const findCommand: CommandDefinition = {
  name: 'find',
  run(command, context) {
    const name = collectionName(command, 'find');
    const limit = optionalNumber(command, 'limit');
    let batchSize = nonNegative(command, 'batchSize');
    if (command.tailable) throw new CommandError('BadValue', 'tailable cursors are not supported by the datadragon engine');
    for (const option of UNSUPPORTED_FIND_OPTIONS) {
      if (command[option] !== undefined && command[option] !== false)
        throw new CommandError(
          'InvalidOptions',
          `the find option '${option}' is not supported by the datadragon engine: leave it out, or run the query against MongoDB`,
        );
    }
    const singleBatch = command.singleBatch === true || (limit !== undefined && limit < 0);
    // The first batch is the smallest of batchSize (101 by default, as mongod) and the limit;
    // a legacy negative limit asks for exactly one batch of that many.
    if (limit !== undefined && limit < 0) batchSize = -limit;
    else if (limit) batchSize = Math.min(batchSize ?? Limits.defaultFirstBatchSize, limit);
    const collection = existing(context, name);
    checkHint(collection, command.hint);
    const spec = {
      filter: optionalDocument(command, 'filter'),
      sort: optionalDocument(command, 'sort'),
      projection: optionalDocument(command, 'projection'),
      skip: nonNegative(command, 'skip'),
      limit: limit === undefined ? undefined : Math.abs(limit),
    };
    if (isView(collection)) {
      if (collationOf(optionalDocument(command, 'collation')))
        throw new CommandError('InvalidOptions', 'the datadragon engine does not support a collation on a view: query it without one');
      return firstBatchReply(context, `${context.db}.${name}`, findOnView(context.catalog, collection!, spec, optionalDocument(command, 'let')), {
        batchSize,
        singleBatch,
      });
    }
    const source = findDocuments(collection, {
      ...spec,
      collation: optionalDocument(command, 'collation'),
    });
    return firstBatchReply(context, `${context.db}.${name}`, source, { batchSize, singleBatch });
  },
};
