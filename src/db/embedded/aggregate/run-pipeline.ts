/**
 * Runs an aggregation pipeline over a collection with mingo, the engine's way: the foreign
 * collections of $lookup/$unionWith/$graphLookup come from the catalog, and a leading $match
 * uses the indexes. Writing stages ($out, $merge) are the caller's job (see write-stages.ts).
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { ProcessingMode } from 'mingo/core';
import { Aggregator, expressionEvaluator } from '../query/mingo-context.js';
import { topLevelDependencies } from './dependencies.js';
import { lookupUnwindStage } from './stages/lookup.js';
import { NATIVE_STAGES, setSubPipelineRunner, type StageContext } from './stages/index.js';
import { candidateDocuments } from '../query/planner.js';
import { timed } from '../query/time-limit.js';
import type { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';

export interface PipelineInput {
  catalog: Catalog;
  db: string;
  /** undefined for a missing collection or a database-level aggregate. */
  collection: Collection | undefined;
  pipeline: Document[];
  variables?: Document;
  /** Followed by `$sort` (the caller has checked that the rest of the pipeline allows it). */
  collation?: Document;
}

export function validatePipeline(pipeline: unknown): asserts pipeline is Document[] {
  if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  pipeline.forEach((stage, i) => {
    if (!stage || typeof stage !== 'object' || Array.isArray(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError('FailedToParse', `A pipeline stage specification object must contain exactly one field (stage ${i}).`);
    }
  });
}

/**
 * Builds the pipeline as a chain of lazy iterables: each stage the engine implements runs
 * natively (a `$lookup` and the `$unwind` of its result as one); runs of other stages go to mingo together, on copies of their input (mingo may
 * write into the documents it is given, and those can be the stored ones).
 */
export function runPipeline({ catalog, db, collection, pipeline, variables, collation }: PipelineInput): Iterator<Document> {
  const first = pipeline[0];
  // Stored documents are decoded only as far as the pipeline reads them (dependencies.ts); a
  // leading $match goes to the planner instead, which may use an index.
  const fields = collection?.docs.projected && !first?.$match ? topLevelDependencies(pipeline) : undefined;
  let stream: Iterable<Document> = !collection
    ? []
    : fields
      ? timed(collection.docs.projected!(fields))
      : timed(candidateDocuments(collection, first?.$match as Document | undefined));
  const context: StageContext = { catalog, db, evaluate: expressionEvaluator(variables), variables };
  let pending: Document[] = [];
  const flushToMingo = (): void => {
    if (pending.length === 0) return;
    const aggregator = new Aggregator(pending, {
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: (name: string) => [...(catalog.get(db, name)?.docs.values() ?? [])],
      ...(variables ? { variables } : {}),
      ...(collation ? { collation: collation as { locale: string } } : {}),
    });
    const source = stream;
    stream = timed({ [Symbol.iterator]: () => aggregator.stream(source) as unknown as Iterator<Document> });
    pending = [];
  };
  for (let i = 0; i < pipeline.length; i++) {
    const stage = pipeline[i]!;
    const name = Object.keys(stage)[0]!;
    const next = pipeline[i + 1];
    const fused = name === '$lookup' && next && '$unwind' in next ? lookupUnwindStage(stage.$lookup, next.$unwind, context) : undefined;
    if (fused) {
      flushToMingo();
      stream = timed(fused(stream));
      i++;
      continue;
    }
    const native = NATIVE_STAGES[name]?.(stage[name], context);
    if (!native) {
      pending.push(stage);
      continue;
    }
    flushToMingo();
    stream = timed(native(stream));
  }
  flushToMingo();
  return stream[Symbol.iterator]();
}

setSubPipelineRunner((context, name, pipeline) => ({
  [Symbol.iterator]: () =>
    runPipeline({ catalog: context.catalog, db: context.db, collection: context.catalog.get(context.db, name), pipeline, variables: context.variables }),
}));
