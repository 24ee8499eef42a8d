import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { runPipeline, validatePipeline } from '../aggregate/run-pipeline.js';
import { mergeSpec, outTarget, writeMerge, writeOut } from '../aggregate/write-stages.js';
import type { CommandDefinition } from './context.js';
import { checkHint, cursorBatchSize, emptyCursorReply, firstBatchReply, optionalDocument } from './support.js';
import { collatePipeline, collationOf } from '../query/collation.js';
import { Aggregator } from '../query/mingo-context.js';
import { collStatsDocument } from './stats.js';
import { explainAggregate } from './explain.js';
import { checkForeignViews, checkKnownStages, checkWriteTarget } from './pipeline-targets.js';
import { isView } from './collection-rules.js';
import { resolveView } from './views.js';

export const aggregateCommand: CommandDefinition = {
  name: 'aggregate',
  // $out fills its staging collection in steps (aggregate/write-stages.ts); $merge, like
  // every other write, is one transaction.
  writes: (command) => (command.explain !== true && '$out' in (writerStage(command.pipeline) ?? {}) ? 'in-steps' : true),
  run(command, context) {
    const target = command.aggregate;
    const databaseLevel = target === 1;
    if (!databaseLevel && (typeof target !== 'string' || target.length === 0)) {
      throw new CommandError('InvalidNamespace', "'aggregate' must be a collection name or 1");
    }
    if (command.explain === true) return explainAggregate(command, context);
    // mongod 3.6+ answers only through a cursor.
    if (command.cursor === undefined)
      throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
    validatePipeline(command.pipeline);
    checkKnownStages(command.pipeline);
    const collation = collationOf(optionalDocument(command, 'collation'));
    const pipeline = collation ? collatePipeline(command.pipeline, collation) : command.pipeline;
    const ns = databaseLevel ? `${context.db}.$cmd.aggregate` : `${context.db}.${target as string}`;
    const writer = writerStage(pipeline);
    for (const [i, stage] of pipeline.entries()) {
      if (('$out' in stage || '$merge' in stage) && i !== pipeline.length - 1) {
        throw new CommandError('FailedToParse', `${Object.keys(stage)[0]} can only be the final stage in the pipeline`);
      }
    }
    const first = pipeline[0];
    // Nothing else runs while this command does (operations.ts): no operation to list.
    if (first && '$currentOp' in first && databaseLevel) return firstBatchReply(context, ns, [][Symbol.iterator](), {});
    if (first && '$collStats' in first) {
      if (databaseLevel) throw new CommandError({ code: 6789103, codeName: 'Location6789103' }, '$collStats must be run against a collection namespace');
      const stats = collStatsDocument(first.$collStats, context, target as string);
      const rest = new Aggregator(pipeline.slice(1)).run([stats]) as Document[];
      return firstBatchReply(context, ns, rest[Symbol.iterator](), { batchSize: cursorBatchSize(command) });
    }
    for (const [i, stage] of pipeline.entries())
      if (i > 0 && '$collStats' in stage)
        throw new CommandError({ code: 40602, codeName: 'Location40602' }, '$collStats is only valid as the first stage in a pipeline');
    let collection = databaseLevel ? undefined : context.catalog.get(context.db, target as string);
    let stages = writer ? pipeline.slice(0, -1) : pipeline;
    if (collection && isView(collection)) {
      if (collation) throw new CommandError('InvalidOptions', 'the datadragon engine does not support a collation on a view: aggregate it without one');
      const resolved = resolveView(context.catalog, collection);
      collection = resolved.source;
      stages = [...resolved.pipeline, ...stages];
    } else {
      checkHint(collection, command.hint);
    }
    checkForeignViews(context.catalog, context.db, stages);
    const docs = runPipeline({
      catalog: context.catalog,
      db: context.db,
      collection,
      pipeline: stages,
      variables: optionalDocument(command, 'let'),
      collation: collation ? (command.collation as Document) : undefined,
    });
    if (writer) {
      const bypass = command.bypassDocumentValidation === true;
      if ('$out' in writer) {
        const target = outTarget(writer, context.db);
        checkWriteTarget(context.catalog, target, '$out', bypass);
        writeOut(context.catalog, target, docs);
      } else {
        const spec = mergeSpec(writer, context.db);
        checkWriteTarget(context.catalog, spec.target, '$merge', bypass);
        writeMerge(context.catalog, spec, docs);
      }
      return emptyCursorReply(ns);
    }
    return firstBatchReply(context, ns, docs, { batchSize: cursorBatchSize(command) });
  },
};

/** The pipeline's `$out` or `$merge`, when its last stage is one. */
function writerStage(pipeline: unknown): Document | undefined {
  const last: unknown = Array.isArray(pipeline) ? pipeline[pipeline.length - 1] : undefined;
  return typeof last === 'object' && last !== null && ('$out' in last || '$merge' in last) ? (last as Document) : undefined;
}

export type { Document };
