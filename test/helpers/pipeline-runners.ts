/**
 * The two runners of the pipeline tests, both over documents in memory (no server, no
 * driver): mingo with the engine's configuration, the reference for the query language; and
 * the engine's own pipeline (src/db/embedded/aggregate/run-pipeline.ts), which runs the
 * stages it implements natively and hands the others to mingo — what an aggregate on the
 * embedded engine runs. A test written once with `describe.each(PIPELINE_RUNNERS)` holds for
 * both.
 */
import type { Document } from 'bson';
import type { AnyObject } from 'mingo/types';
import { runPipeline } from '../../src/db/embedded/aggregate/run-pipeline.js';
import { MemoryStore } from '../../src/db/embedded/persistence/memory-store.js';
import { Aggregator } from '../../src/db/embedded/query/mingo-context.js';
import { Catalog } from '../../src/db/embedded/storage/catalog.js';
import { cloneDocument } from '../../src/db/embedded/storage/clone.js';

export type Doc = Record<string, unknown>;

export interface PipelineRunner {
  readonly name: string;
  /**
   * Runs `stages` on `input`; `$lookup`/`$unionWith` read the foreign collections from
   * `collections` (a name missing there fails the test).
   */
  run(stages: readonly object[], input: readonly Doc[], collections?: Record<string, readonly Doc[]>): Doc[];
}

function unknownCollection(name: string): never {
  throw new Error(`test: unknown collection '${name}'`);
}

export const mingoRunner: PipelineRunner = {
  name: 'mingo',
  run(stages, input, collections = {}) {
    const aggregator = new Aggregator(stages as AnyObject[], {
      collectionResolver: (name: string) => (collections[name] ?? unknownCollection(name)) as AnyObject[],
    });
    return aggregator.run(input as AnyObject[]) as Doc[];
  },
};

const DB = 'test';
const INPUT = 'pipeline_runners_input';

/** The foreign collections a stage (and the pipelines inside it) reads. */
function foreignNames(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) foreignNames(item, into);
  else if (value && typeof value === 'object' && (value as { _bsontype?: unknown })._bsontype === undefined) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$lookup' || key === '$graphLookup') into.add((inner as { from: string }).from);
      if (key === '$unionWith') into.add(typeof inner === 'string' ? inner : (inner as { coll: string }).coll);
      foreignNames(inner, into);
    }
  }
  return into;
}

export const engineRunner: PipelineRunner = {
  name: 'engine',
  run(stages, input, collections = {}) {
    // The engine reads a missing collection as empty; the tests name every one they read.
    for (const name of foreignNames(stages)) if (!(name in collections)) unknownCollection(name);
    const catalog = new Catalog(new MemoryStore());
    for (const [name, docs] of Object.entries(collections)) {
      const collection = catalog.create(DB, name, {});
      for (const doc of docs) collection.insert(cloneDocument(doc as Document));
    }
    // Stored documents all have an _id (the engine adds one, as mongod does). Documents that
    // stand for a stage's output may have none: they are stored wrapped and unwrapped by a
    // first native $replaceWith, so that the stages under test see them exactly as given.
    const stored = input.every((doc) => doc._id !== undefined);
    const source = catalog.create(DB, INPUT, {});
    input.forEach((doc, i) => source.insert(cloneDocument((stored ? doc : { _id: i, doc }) as Document)));
    const pipeline = [...(stored ? [] : [{ $replaceWith: '$doc' }]), ...(stages as Document[])];
    const out: Doc[] = [];
    const it = runPipeline({ catalog, db: DB, collection: source, pipeline });
    for (let next = it.next(); !next.done; next = it.next()) out.push(next.value as Doc);
    return out;
  },
};

export const PIPELINE_RUNNERS: readonly PipelineRunner[] = [mingoRunner, engineRunner];
