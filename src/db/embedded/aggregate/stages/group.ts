/**
 * $group with a hash map keyed by the engine's canonical value keys: one pass, first-seen
 * order. Handles $sum, $avg, $min, $max, $first, $last, $push, $addToSet and $count; a spec
 * with any other accumulator goes to mingo. mingo's generic $group is many times slower on
 * millions of groups (docs/WIRE.md §8), which is what this is for.
 */
import type { Document } from 'bson';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import { compare } from 'mingo/util';
import { CommandError, location } from '../../errors.js';
import { valueKey } from '../../storage/value-key.js';
import { compileExpression, type Compiled } from './compile.js';
import { isPlainSpecObject, type Evaluate, type StageFactory } from './types.js';

/**
 * An accumulator as three functions over a state value kept in the group (no object or
 * closure per group and accumulator: millions of groups make that the main cost).
 * `add` returns the new state.
 */
interface Accumulator {
  init(): unknown;
  add(state: unknown, value: unknown): unknown;
  result(state: unknown): unknown;
}

const UNSET = Symbol('unset');
const identity = (state: unknown): unknown => state;

const ACCUMULATORS: Record<string, Accumulator> = {
  $sum: { init: () => 0, add: (sum, v) => (typeof v === 'number' ? (sum as number) + v : sum), result: identity },
  $avg: {
    init: () => ({ sum: 0, n: 0 }),
    add: (state, v) => {
      if (typeof v === 'number') {
        const s = state as { sum: number; n: number };
        s.sum += v;
        s.n++;
      }
      return state;
    },
    result: (state) => {
      const { sum, n } = state as { sum: number; n: number };
      return n === 0 ? null : sum / n;
    },
  },
  $min: extreme(-1),
  $max: extreme(1),
  $first: {
    init: () => UNSET,
    add: (first, v) => (first === UNSET ? (v === undefined ? null : v) : first),
    result: (first) => (first === UNSET ? null : first),
  },
  $last: { init: () => null, add: (_last, v) => (v === undefined ? null : v), result: identity },
  $push: {
    init: () => [],
    add: (values, v) => {
      if (v !== undefined) (values as unknown[]).push(v);
      return values;
    },
    result: identity,
  },
  $addToSet: {
    init: () => new Map<string, unknown>(),
    add: (state, v) => {
      if (v === undefined) return state;
      const values = state as Map<string, unknown>;
      const key = valueKey(v);
      if (!values.has(key)) values.set(key, v);
      return values;
    },
    result: (state) => [...(state as Map<string, unknown>).values()],
  },
};

function extreme(direction: 1 | -1): Accumulator {
  return {
    init: () => undefined,
    add: (best, v) => (v === undefined || v === null || (best !== undefined && compare(v, best) * direction <= 0) ? best : v),
    result: (best) => (best === undefined ? null : best),
  };
}

interface Field {
  name: string;
  accumulator: Accumulator;
  expr: unknown;
}

/** Accumulators mingo knows (and the engine's own, in query/sort-operators.ts). */
const KNOWN_ACCUMULATORS = new Set([...Object.keys(accumulatorOperators), '$top', '$bottom', '$topN', '$bottomN', '$count']);

/** mongod's refusals of a `$group` spec, before mingo's own words can reach the client. */
function checkGroupSpec(spec: Document): void {
  if (!('_id' in spec)) throw new CommandError(location(15955), 'a group specification must include an _id');
  for (const [name, value] of Object.entries(spec)) {
    if (name === '_id') continue;
    if (name.includes('.')) throw new CommandError(location(40235), `The field name '${name}' cannot contain '.'`);
    const ops = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    if (ops.length !== 1) throw new CommandError(location(40234), `The field '${name}' must be an accumulator object`);
    if (!KNOWN_ACCUMULATORS.has(ops[0]!)) throw new CommandError(location(15952), `unknown group operator '${ops[0]}'`);
  }
}

export const groupStage: StageFactory = (spec, { evaluate }) => {
  if (isPlainSpecObject(spec)) checkGroupSpec(spec);
  if (!isPlainSpecObject(spec) || !('_id' in spec)) return undefined;
  const fields: Field[] = [];
  for (const [name, value] of Object.entries(spec)) {
    if (name === '_id') continue;
    if (name.includes('.') || !value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const ops = Object.keys(value);
    if (ops.length !== 1) return undefined;
    const op = ops[0]!;
    const operand = (value as Document)[op];
    if (op === '$count') {
      fields.push({ name, accumulator: ACCUMULATORS.$sum!, expr: 1 });
      continue;
    }
    const accumulator = ACCUMULATORS[op];
    if (!accumulator) return undefined;
    // $sum: [a, b] sums a list per document; leave such forms to mingo.
    if (Array.isArray(operand)) return undefined;
    fields.push({ name, accumulator, expr: operand });
  }
  const idExpr = spec._id;
  return (input) => runGroup(input, idExpr, fields, evaluate);
};

/**
 * Groups by a list of values without building a key string per document: a tree, one level per
 * value. Strings, numbers and booleans are keys as they are (no allocation: a stored string
 * already knows its hash); other values (ObjectId, Date, documents …) go by their canonical key
 * in a separate map, and null and missing have their own slots, so two values share a slot
 * exactly when MongoDB groups them together.
 *
 * A node's first few primitive keys sit in a short list scanned in order, and only a node with
 * more gets a Map: below the first level most nodes have a handful of children (the months of
 * one customer), and a Map per node was most of the cost of a compound `_id`.
 */
interface GroupNode<T> {
  /** Up to SMALL primitive keys and their nodes, alternating, before `primitive` takes over. */
  small?: unknown[];
  primitive?: Map<string | number | boolean, GroupNode<T>>;
  other?: Map<string, GroupNode<T>>;
  nullNode?: GroupNode<T>;
  missingNode?: GroupNode<T>;
  group?: T;
}

const SMALL = 8;

function primitiveChild<T>(node: GroupNode<T>, key: string | number | boolean): GroupNode<T> {
  if (node.primitive) {
    let next = node.primitive.get(key);
    if (!next) node.primitive.set(key, (next = {}));
    return next;
  }
  const small = (node.small ??= []);
  // === is the Map's own equality here: NaN never gets this far, and -0 === 0.
  for (let i = 0; i < small.length; i += 2) if (small[i] === key) return small[i + 1] as GroupNode<T>;
  const next: GroupNode<T> = {};
  if (small.length < 2 * SMALL) {
    small.push(key, next);
    return next;
  }
  const map = new Map<string | number | boolean, GroupNode<T>>();
  for (let i = 0; i < small.length; i += 2) map.set(small[i] as string | number | boolean, small[i + 1] as GroupNode<T>);
  map.set(key, next);
  node.primitive = map;
  node.small = undefined;
  return next;
}

function child<T>(node: GroupNode<T>, value: unknown): GroupNode<T> {
  if (value === undefined) return (node.missingNode ??= {});
  if (value === null) return (node.nullNode ??= {});
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || (type === 'number' && !Number.isNaN(value))) {
    return primitiveChild(node, value === 0 ? 0 : (value as string | number | boolean)); // -0 and 0 are one group
  }
  const key = valueKey(value);
  // A Long or Decimal128 a double holds (NumberLong(7), Decimal128("7.00")) is that number's
  // group, as MongoDB groups them; its exact key says so (storage/numeric-key.ts).
  if (key.charCodeAt(0) === 110 /* 'n' */ && key !== 'nNaN' && type === 'object') return primitiveChild(node, Number(key.slice(1)));
  const map = (node.other ??= new Map());
  let next = map.get(key);
  if (!next) map.set(key, (next = {}));
  return next;
}

/** The per-document values that identify a group: one field path, or an object of them. */
function groupValuesFunction(idExpr: unknown, evaluate: Evaluate): { parts: Compiled[]; nullForMissing: boolean } | undefined {
  if (typeof idExpr === 'string' && idExpr.startsWith('$') && !idExpr.startsWith('$$')) {
    return { parts: [compileExpression(idExpr, evaluate)], nullForMissing: true };
  }
  if (!isPlainSpecObject(idExpr)) return undefined;
  const entries = Object.entries(idExpr);
  if (entries.length === 0 || entries.some(([key]) => key.startsWith('$') || key.includes('.'))) return undefined;
  return { parts: entries.map(([, expr]) => compileExpression(expr, evaluate)), nullForMissing: false };
}

function isConstant(expr: unknown): boolean {
  return typeof expr === 'number' || expr === null || typeof expr === 'boolean' || (typeof expr === 'string' && !expr.startsWith('$'));
}

function* runGroup(input: Iterable<Document>, idExpr: unknown, fields: Field[], evaluate: Evaluate): Generator<Document> {
  type Group = { id: unknown; states: unknown[] };
  const groups: Group[] = [];
  const root: GroupNode<Group> = {};
  const byKey = new Map<string, Group>();
  const constantId = isConstant(idExpr);
  const idOf: Compiled = compileExpression(idExpr, evaluate);
  const tree = constantId ? undefined : groupValuesFunction(idExpr, evaluate);
  const constants = fields.map((f) => isConstant(f.expr));
  const values: Compiled[] = fields.map((f) => compileExpression(f.expr, evaluate));
  const accumulators = fields.map((f) => f.accumulator);
  const newGroup = (doc: Document, id?: unknown): Group => {
    const value = id === undefined ? (constantId ? idExpr : idOf(doc)) : id;
    const states = new Array<unknown>(fields.length);
    for (let i = 0; i < fields.length; i++) states[i] = fields[i]!.accumulator.init();
    const group = { id: value === undefined ? null : value, states };
    groups.push(group);
    return group;
  };
  for (const doc of input) {
    let group: Group | undefined;
    if (tree) {
      let node = root;
      for (const part of tree.parts) {
        const value = part(doc);
        node = child(node, tree.nullForMissing && value === undefined ? null : value);
      }
      group = node.group ??= newGroup(doc); // the id object is built once per group
    } else {
      const id = constantId ? idExpr : idOf(doc);
      const key = valueKey(id);
      group = byKey.get(key);
      if (!group) byKey.set(key, (group = newGroup(doc, id ?? null)));
    }
    const states = group.states;
    for (let i = 0; i < fields.length; i++) {
      states[i] = accumulators[i]!.add(states[i], constants[i] ? fields[i]!.expr : values[i]!(doc));
    }
  }
  // The lookup structures are done with; each group is let go once emitted, so that a
  // large grouping does not stay in memory while the stages after it run.
  byKey.clear();
  root.small = root.primitive = root.other = root.nullNode = root.missingNode = undefined;
  for (let g = 0; g < groups.length; g++) {
    const { id, states } = groups[g]!;
    groups[g] = undefined as never;
    const out: Document = { _id: id };
    for (let i = 0; i < fields.length; i++) out[fields[i]!.name] = accumulators[i]!.result(states[i]);
    yield out;
  }
}
