import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { runPipeline, validatePipeline } from '../aggregate/run-pipeline.js';
import { mergeSpec, outTarget, writeMerge, writeOut } from '../aggregate/write-stages.js';
import type { CommandDefinition } from './context.js';
import { checkHint, cursorBatchSize, emptyCursorReply, firstBatchReply, optionalDocument } from './support.js';
import { collatePipeline, collationOf } from '../query/collation.js';

export const aggregateCommand: CommandDefinition = {
  name: 'aggregate',
  writes: true,
  run(command, context) {
    const target = command.aggregate;
    const databaseLevel = target === 1;
    if (!databaseLevel && (typeof target !== 'string' || target.length === 0)) {
      throw new CommandError('InvalidNamespace', "'aggregate' must be a collection name or 1");
    }
    if (command.explain) throw new CommandError('CommandNotSupported', 'explain is not supported by the datadragon engine');
    // mongod 3.6+ answers only through a cursor.
    if (command.cursor === undefined) throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
    validatePipeline(command.pipeline);
    const collation = collationOf(optionalDocument(command, 'collation'));
    const pipeline = collation ? collatePipeline(command.pipeline, collation) : command.pipeline;
    const ns = databaseLevel ? `${context.db}.$cmd.aggregate` : `${context.db}.${target as string}`;
    const last = pipeline[pipeline.length - 1];
    const writer = last && ('$out' in last || '$merge' in last) ? last : undefined;
    for (const [i, stage] of pipeline.entries()) {
      if (('$out' in stage || '$merge' in stage) && i !== pipeline.length - 1) {
        throw new CommandError('FailedToParse', `${Object.keys(stage)[0]} can only be the final stage in the pipeline`);
      }
    }
    if (!databaseLevel) checkHint(context.catalog.get(context.db, target as string), command.hint);
    const docs = runPipeline({
      catalog: context.catalog,
      db: context.db,
      collection: databaseLevel ? undefined : context.catalog.get(context.db, target as string),
      pipeline: writer ? pipeline.slice(0, -1) : pipeline,
      variables: optionalDocument(command, 'let'),
      collation: collation ? (command.collation as Document) : undefined,
    });
    if (writer) {
      if ('$out' in writer) writeOut(context.catalog, outTarget(writer, context.db), docs);
      else writeMerge(context.catalog, mergeSpec(writer, context.db), docs);
      return emptyCursorReply(ns);
    }
    return firstBatchReply(context, ns, docs, { batchSize: cursorBatchSize(command) });
  },
};

export type { Document };
