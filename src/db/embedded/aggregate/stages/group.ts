/**
 * $group with a hash map keyed by the engine's canonical value keys: one pass, first-seen
 * order. Handles $sum, $avg, $min, $max, $first, $last, $push, $addToSet and $count; a spec
 * with any other accumulator goes to mingo. mingo's generic $group is many times slower on
 * millions of groups (WIRE-PROTOCOL §9), which is what this is for.
 */
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { valueKey } from '../../storage/value-key.js';
import { compileExpression, type Compiled } from './compile.js';
import { isPlainSpecObject, type Evaluate, type StageFactory } from './types.js';

interface Accumulator {
  add(value: unknown): void;
  result(): unknown;
}

type AccumulatorFactory = () => Accumulator;

const ACCUMULATORS: Record<string, AccumulatorFactory> = {
  $sum: () => {
    let sum = 0;
    return { add: (v) => void (typeof v === 'number' && (sum += v)), result: () => sum };
  },
  $avg: () => {
    let sum = 0;
    let n = 0;
    return {
      add: (v) => {
        if (typeof v === 'number') {
          sum += v;
          n++;
        }
      },
      result: () => (n === 0 ? null : sum / n),
    };
  },
  $min: () => extreme(-1),
  $max: () => extreme(1),
  $first: () => {
    let seen = false;
    let first: unknown = null;
    return {
      add: (v) => {
        if (!seen) {
          seen = true;
          first = v === undefined ? null : v;
        }
      },
      result: () => first,
    };
  },
  $last: () => {
    let last: unknown = null;
    return { add: (v) => void (last = v === undefined ? null : v), result: () => last };
  },
  $push: () => {
    const values: unknown[] = [];
    return { add: (v) => void (v !== undefined && values.push(v)), result: () => values };
  },
  $addToSet: () => {
    const values = new Map<string, unknown>();
    return {
      add: (v) => {
        if (v === undefined) return;
        const key = valueKey(v);
        if (!values.has(key)) values.set(key, v);
      },
      result: () => [...values.values()],
    };
  },
};

function extreme(direction: 1 | -1): Accumulator {
  let best: unknown;
  return {
    add: (v) => {
      if (v === undefined || v === null) return;
      if (best === undefined || compare(v, best) * direction > 0) best = v;
    },
    result: () => (best === undefined ? null : best),
  };
}

export const groupStage: StageFactory = (spec, { evaluate }) => {
  if (!isPlainSpecObject(spec) || !('_id' in spec)) return undefined;
  const fields: { name: string; make: AccumulatorFactory; expr: unknown; count: boolean }[] = [];
  for (const [name, value] of Object.entries(spec)) {
    if (name === '_id') continue;
    if (name.includes('.') || !value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const ops = Object.keys(value);
    if (ops.length !== 1) return undefined;
    const op = ops[0]!;
    const operand = (value as Document)[op];
    if (op === '$count') {
      fields.push({ name, make: ACCUMULATORS.$sum!, expr: 1, count: true });
      continue;
    }
    const make = ACCUMULATORS[op];
    if (!make) return undefined;
    // $sum: [a, b] sums a list per document; leave such forms to mingo.
    if (Array.isArray(operand)) return undefined;
    fields.push({ name, make, expr: operand, count: false });
  }
  const idExpr = spec._id;
  return (input) => runGroup(input, idExpr, fields, evaluate);
};

/**
 * Groups by a list of values without building a key string per document: a tree of maps, one
 * level per value. Strings, numbers and booleans are map keys as they are (no allocation: a
 * stored string already knows its hash); other values (ObjectId, Date, documents …) go by their
 * canonical key in a separate map, and null and missing have their own slots, so two values
 * share a slot exactly when MongoDB groups them together.
 */
interface GroupNode<T> {
  primitive?: Map<string | number | boolean, GroupNode<T>>;
  other?: Map<string, GroupNode<T>>;
  nullNode?: GroupNode<T>;
  missingNode?: GroupNode<T>;
  group?: T;
}

function child<T>(node: GroupNode<T>, value: unknown): GroupNode<T> {
  if (value === undefined) return (node.missingNode ??= {});
  if (value === null) return (node.nullNode ??= {});
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || (type === 'number' && !Number.isNaN(value))) {
    const map = (node.primitive ??= new Map());
    const key = value === 0 ? 0 : (value as string | number | boolean); // -0 and 0 are one group
    let next = map.get(key);
    if (!next) map.set(key, (next = {}));
    return next;
  }
  const map = (node.other ??= new Map());
  const key = valueKey(value);
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

function* runGroup(input: Iterable<Document>, idExpr: unknown, fields: { name: string; make: AccumulatorFactory; expr: unknown }[], evaluate: Evaluate): Generator<Document> {
  type Group = { id: unknown; accumulators: Accumulator[] };
  const groups: Group[] = [];
  const root: GroupNode<Group> = {};
  const byKey = new Map<string, Group>();
  const constantId = isConstant(idExpr);
  const idOf: Compiled = compileExpression(idExpr, evaluate);
  const tree = constantId ? undefined : groupValuesFunction(idExpr, evaluate);
  const constants = fields.map((f) => isConstant(f.expr));
  const values: Compiled[] = fields.map((f) => compileExpression(f.expr, evaluate));
  const newGroup = (doc: Document, id?: unknown): Group => {
    const value = id === undefined ? (constantId ? idExpr : idOf(doc)) : id;
    const group = { id: value === undefined ? null : value, accumulators: fields.map((f) => f.make()) };
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
    for (let i = 0; i < fields.length; i++) {
      group.accumulators[i]!.add(constants[i] ? fields[i]!.expr : values[i]!(doc));
    }
  }
  for (const { id, accumulators } of groups) {
    const out: Document = { _id: id };
    for (let i = 0; i < fields.length; i++) out[fields[i]!.name] = accumulators[i]!.result();
    yield out;
  }
}
