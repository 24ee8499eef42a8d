/** $unionWith: the input, then another collection of the same database through its own pipeline. */
import type { Document } from 'bson';
import { CommandError } from '../../errors.js';
import { isPlainSpecObject, type StageContext, type StageFactory, type StageFn } from './types.js';

/** Set by run-pipeline.ts: how a sub-pipeline is run (avoids an import cycle). */
export type SubPipelineRunner = (context: StageContext, collection: string, pipeline: Document[]) => Iterable<Document>;
let runSubPipeline: SubPipelineRunner | undefined;
export function setSubPipelineRunner(runner: SubPipelineRunner): void {
  runSubPipeline = runner;
}

export const unionWithStage: StageFactory = (spec, context) => {
  const { coll, pipeline } =
    typeof spec === 'string'
      ? { coll: spec, pipeline: [] as Document[] }
      : isPlainSpecObject(spec)
        ? (spec as { coll?: unknown; pipeline?: unknown })
        : { coll: undefined, pipeline: undefined };
  if (typeof coll !== 'string') return undefined;
  if (pipeline !== undefined && !Array.isArray(pipeline)) throw new CommandError('FailedToParse', '$unionWith pipeline must be an array');
  const stages = (pipeline ?? []) as Document[];
  if (stages.some((stage) => '$out' in stage || '$merge' in stage))
    throw new CommandError('FailedToParse', '$out and $merge are not allowed inside $unionWith');
  const fn: StageFn = function* (input) {
    yield* input;
    yield* runSubPipeline!(context, coll, stages);
  };
  return fn;
};
