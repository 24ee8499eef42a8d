/**
 * Runs an aggregation pipeline over a collection with mingo, the engine's way: the foreign
 * collections of $lookup/$unionWith/$graphLookup come from the catalog, and a leading $match
 * uses the indexes. Writing stages ($out, $merge) are the caller's job (see write-stages.ts).
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { Aggregator } from '../query/mingo-context.js';
import { candidateDocuments } from '../query/planner.js';
import type { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';

export interface PipelineInput {
  catalog: Catalog;
  db: string;
  /** undefined for a missing collection or a database-level aggregate. */
  collection: Collection | undefined;
  pipeline: Document[];
  variables?: Document;
}

export function validatePipeline(pipeline: unknown): asserts pipeline is Document[] {
  if (!Array.isArray(pipeline)) throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  pipeline.forEach((stage, i) => {
    if (!stage || typeof stage !== 'object' || Array.isArray(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError('FailedToParse', `A pipeline stage specification object must contain exactly one field (stage ${i}).`);
    }
  });
}

export function runPipeline({ catalog, db, collection, pipeline, variables }: PipelineInput): Iterator<Document> {
  const first = pipeline[0];
  const source: Iterable<Document> = collection ? candidateDocuments(collection, first?.$match as Document | undefined) : [];
  if (pipeline.length === 0) return source[Symbol.iterator]();
  const aggregator = new Aggregator(pipeline, {
    collectionResolver: (name: string) => [...(catalog.get(db, name)?.docs.values() ?? [])],
    ...(variables ? { variables } : {}),
  });
  return aggregator.stream(source) as unknown as Iterator<Document>;
}
