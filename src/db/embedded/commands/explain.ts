/**
 * `explain` of find, count, distinct and aggregate, and `aggregate` with `explain: true`: the
 * plan the engine really runs, in mongod's shape (MongoDB manual, "Explain Results"). The
 * planner (query/planner.ts) reads candidates from one index or scans the collection:
 * IDHACK for a filter that is one `_id` equality, IXSCAN (under FETCH) for the index whose
 * candidates it takes, COLLSCAN otherwise; a sort the index walk does not give is a SORT stage.
 * With `executionStats` the query runs and the counts are those of that run.
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import { conjuncts } from '../query/field-range.js';
import { findDocuments } from '../query/find.js';
import { indexCandidates } from '../query/planner.js';
import type { Collection } from '../storage/collection.js';
import { isView } from './collection-rules.js';
import type { CommandContext, CommandDefinition } from './context.js';
import { existing } from './support.js';

const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

interface Plan {
  stage: Document;
  /** How many documents the plan reads (before the filter). */
  examined: number;
  keys: number;
}

/** The index whose candidates the planner takes for `filter`, by asking it one conjunct at a time. */
function chosenIndex(collection: Collection, filter: Document, count: number): string | undefined {
  for (const [field, condition] of conjuncts(filter)) {
    const alone = indexCandidates(collection, { [field]: condition }, false);
    if (!alone || alone.count !== count) continue;
    if (field === '_id') return '_id_';
    const index = collection.indexSpecs().find((spec) => Object.keys(spec.key)[0] === field && Object.keys(spec.key).length === 1);
    if (index) return index.name;
  }
  return undefined;
}

export function planFor(collection: Collection | undefined, filter: Document): Plan {
  if (!collection) return { stage: { stage: 'EOF' }, examined: 0, keys: 0 };
  const keys = Object.keys(filter);
  const candidates = indexCandidates(collection, filter, false);
  if (
    candidates &&
    keys.length === 1 &&
    keys[0] === '_id' &&
    (typeof filter._id !== 'object' || filter._id === null || (filter._id as { _bsontype?: unknown })._bsontype !== undefined)
  ) {
    return { stage: { stage: 'IDHACK' }, examined: candidates.count, keys: candidates.count };
  }
  if (candidates) {
    const indexName = chosenIndex(collection, filter, candidates.count);
    const spec = collection.indexSpecs().find((s) => s.name === indexName);
    return {
      stage: {
        stage: 'FETCH',
        filter,
        inputStage: { stage: 'IXSCAN', indexName: indexName ?? 'unknown', keyPattern: spec?.key ?? {}, isMultiKey: false, direction: 'forward' },
      },
      examined: candidates.count,
      keys: candidates.count,
    };
  }
  return { stage: { stage: 'COLLSCAN', filter, direction: 'forward' }, examined: collection.size, keys: 0 };
}

function countAll(iterator: Iterator<unknown>): number {
  let n = 0;
  for (let next = iterator.next(); !next.done; next = iterator.next()) n++;
  return n;
}

function explainReply(context: CommandContext, ns: string, plan: Plan, command: Document, verbosity: string, run: () => number): Document {
  const reply: Document = {
    explainVersion: '1',
    queryPlanner: {
      namespace: ns,
      indexFilterSet: false,
      parsedQuery: (command.filter ?? command.query ?? {}) as Document,
      winningPlan: plan.stage,
      rejectedPlans: [],
    },
  };
  if (verbosity !== 'queryPlanner') {
    const started = Date.now();
    const nReturned = run();
    reply.executionStats = {
      executionSuccess: true,
      nReturned,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: plan.keys,
      totalDocsExamined: plan.examined,
      executionStages: plan.stage,
    };
  }
  reply.command = command;
  reply.serverInfo = { host: context.engine.host, port: context.engine.port, version: '7.0.0', gitVersion: 'datadragon' };
  reply.ok = 1;
  return reply;
}

function collectionOf(context: CommandContext, name: unknown): Collection | undefined {
  if (typeof name !== 'string') throw new CommandError('InvalidNamespace', 'the explained command must name a collection');
  const collection = existing(context, name);
  if (isView(collection)) throw new CommandError('CommandNotSupportedOnView', `the datadragon engine does not explain queries on views (${collection!.ns})`);
  return collection;
}

export function explainFind(command: Document, context: CommandContext, verbosity: string): Document {
  const collection = collectionOf(context, command.find);
  const filter = (command.filter ?? {}) as Document;
  const plan = planFor(collection, filter);
  if (command.sort && Object.keys(command.sort as Document).length > 0) plan.stage = { stage: 'SORT', sortPattern: command.sort, inputStage: plan.stage };
  return explainReply(context, `${context.db}.${String(command.find)}`, plan, command, verbosity, () =>
    countAll(
      findDocuments(collection, {
        filter,
        sort: command.sort as Document,
        projection: command.projection as Document,
        skip: command.skip as number,
        limit: command.limit as number,
        collation: command.collation as Document,
      }),
    ),
  );
}

export function explainCount(command: Document, context: CommandContext, verbosity: string): Document {
  const collection = collectionOf(context, command.count);
  const filter = (command.query ?? {}) as Document;
  const plan = planFor(collection, filter);
  plan.stage = Object.keys(filter).length === 0 ? { stage: 'RECORD_STORE_FAST_COUNT' } : { stage: 'COUNT', inputStage: plan.stage };
  return explainReply(context, `${context.db}.${String(command.count)}`, plan, command, verbosity, () => countAll(findDocuments(collection, { filter })));
}

/** `aggregate` explained: the leading `$match`'s plan as mongod's `$cursor` stage, then the other stages. */
export function explainAggregate(command: Document, context: CommandContext): Document {
  const pipeline = Array.isArray(command.pipeline) ? (command.pipeline as Document[]) : [];
  const collection = typeof command.aggregate === 'string' ? collectionOf(context, command.aggregate) : undefined;
  const leading = pipeline[0] && '$match' in pipeline[0] ? (pipeline[0].$match as Document) : {};
  const plan = planFor(collection, leading);
  const queryPlanner = {
    namespace: `${context.db}.${String(command.aggregate)}`,
    indexFilterSet: false,
    parsedQuery: leading,
    winningPlan: plan.stage,
    rejectedPlans: [],
  };
  return {
    explainVersion: '1',
    stages: [{ $cursor: { queryPlanner } }, ...pipeline.slice('$match' in (pipeline[0] ?? {}) ? 1 : 0)],
    serverInfo: { host: context.engine.host, port: context.engine.port, version: '7.0.0', gitVersion: 'datadragon' },
    command,
    ok: 1,
  };
}

export const explainCommand: CommandDefinition = {
  name: 'explain',
  run(command, context) {
    const inner = command.explain as Document | undefined;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
      throw new CommandError('TypeMismatch', "BSON field 'explain.explain' is the wrong type, expected type 'object'");
    const verbosity = (command.verbosity as string | undefined) ?? 'allPlansExecution';
    if (!VERBOSITIES.has(verbosity))
      throw new CommandError('BadValue', `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`);
    const name = Object.keys(inner)[0];
    if (name === 'find') return explainFind(inner, context, verbosity);
    if (name === 'count') return explainCount(inner, context, verbosity);
    if (name === 'aggregate') return explainAggregate(inner, context);
    if (name === 'distinct') return explainCount({ count: inner.distinct, query: inner.query ?? {} }, context, verbosity);
    throw new CommandError('CommandNotSupported', `the datadragon engine explains find, count, distinct and aggregate, not ${String(name)}`);
  },
};
