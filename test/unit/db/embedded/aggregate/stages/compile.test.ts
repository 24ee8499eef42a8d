/**
 * The compiled array, object and comparison operators (and the variables `$map`, `$filter`
 * and `$reduce` bind) against mingo on the same documents: same values, same field order,
 * same errors. Inputs cover missing and null fields, wrong types, empty and nested arrays,
 * repeated keys and shadowed variables.
 */
import { ObjectId, type Document } from 'bson';
import { ProcessingMode } from 'mingo/core';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../../../../src/db/embedded/aggregate/stages/compile.js';
import { compileSumByKey } from '../../../../../../src/db/embedded/aggregate/stages/operators/sum-by-key.js';
import { rollUpCustomers } from '../../../../../../src/spending/pipeline/customer-rollup.js';
import { projectSpending } from '../../../../../../src/spending/pipeline/output.js';
import { sumByKey } from '../../../../../../src/spending/pipeline/pairs.js';
import { Aggregator, expressionEvaluator } from '../../../../../../src/db/embedded/query/mingo-context.js';
import { cloneDocument } from '../../../../../../src/db/embedded/storage/clone.js';

/** Same values, in the same field order; a field whose value is undefined counts as absent. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? '<missing>' : ordered(v)));
  if (value && typeof value === 'object' && !(value instanceof Date) && (value as { _bsontype?: unknown })._bsontype === undefined) {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, ordered(v)]);
  }
  return value instanceof ObjectId ? `oid:${value.toHexString()}` : value;
}

type Outcome = { value: unknown } | { error: true };

function viaEngine(doc: Document, expr: unknown): Outcome {
  try {
    return { value: ordered(compileExpression(expr, expressionEvaluator())(cloneDocument(doc))) };
  } catch {
    return { error: true };
  }
}

function viaMingo(doc: Document, expr: unknown): Outcome {
  try {
    const [out] = new Aggregator([{ $replaceWith: { v: expr } }], { processingMode: ProcessingMode.CLONE_ALL }).run([cloneDocument(doc)]) as Document[];
    return { value: ordered(out!.v) };
  } catch {
    return { error: true };
  }
}

const docs: Document[] = [
  {
    _id: 1,
    pairs: [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'a', v: 3 },
    ],
    nested: [
      [{ k: 'x', v: 1 }],
      [
        { k: 'y', v: 2 },
        { k: 'x', v: 5 },
      ],
    ],
    months: [
      { k: 'jan', v: [{ k: 'Moda', v: 1.5 }, { k: null, v: 9 }, { v: 3 }] },
      { k: 'fev', v: [] },
    ],
    objs: [{ a: 1, b: { c: 2 } }, null, { b: 3, d: undefined }],
    nums: [1, 2.5, -3],
    strs: ['x', '', 'y'],
    o: { z: 1, a: 2 },
    n: 4,
    s: 'str',
  },
  { _id: 2, pairs: [], nested: [], months: null, objs: [], nums: [], strs: [], o: {}, n: null, s: null },
  { _id: 3 },
  { _id: 4, pairs: 'notarray', nested: [1, [2]], months: [{ k: 'jan' }], objs: [1, 'a'], nums: 'x', strs: [1, null], o: [1], n: 'four', s: 7 },
  {
    _id: 5,
    pairs: [
      ['a', 1],
      ['b', 2],
    ],
    nested: [[{ k: 1, v: 1 }]],
    months: [{ k: 'jan', v: null }],
    objs: [{ a: [1, 2] }, {}],
    nums: [null, 1],
    strs: ['a', ['b']],
    o: { a: { b: 1 } },
    n: 0,
    s: '',
  },
  {
    _id: 6,
    pairs: [{ k: 'a', v: 1 }, ['b', 2]],
    nested: [[{ k: 'a' }]],
    months: [
      { k: 'jan', v: [{ k: 'A', v: 1 }] },
      { k: 'jan', v: [{ k: 'B', v: 2 }] },
    ],
    objs: [new Date(0)],
    nums: [NaN, 1],
    strs: [true],
    o: new ObjectId(),
    n: 2.5,
    s: ['a'],
  },
];

const expressions: Record<string, unknown> = {
  '$arrayToObject of {k, v}': { $arrayToObject: '$pairs' },
  '$arrayToObject of $ifNull': { $arrayToObject: { $ifNull: ['$pairs', []] } },
  '$arrayToObject of a list literal': { $arrayToObject: [['$s', 1]] },
  $mergeObjects: { $mergeObjects: [{ $literal: { jan: 0, fev: 0 } }, '$o', { fev: '$n', mar: '$missing' }] },
  '$mergeObjects of nulls and arrays': { $mergeObjects: ['$missing', null, '$objs'] },
  '$mergeObjects of one expression': { $mergeObjects: '$o' },
  '$mergeObjects of $arrayToObject pairs': [
    { $mergeObjects: [{ $literal: { a: 0, z: 0 } }, { $arrayToObject: '$pairs' }] },
    { $mergeObjects: [{ $arrayToObject: '$pairs' }, '$o', { $arrayToObject: { $ifNull: ['$missing', []] } }] },
    { $mergeObjects: [{ $literal: { jan: 0 } }, { $arrayToObject: { $map: { input: '$months', in: { k: '$$this.k', v: 1 } } } }] },
    { $mergeObjects: [{ $literal: { jan: 0 } }, { $arrayToObject: { $map: { input: '$months', in: { k: '$$this.k', v: '$$this.v' } } } }] },
    { $mergeObjects: [{ a: 1 }, { $arrayToObject: [[['a', 2]]] }] },
  ],
  '$map with as': { $map: { input: '$nums', as: 'x', in: { $multiply: ['$$x', 2] } } },
  '$map with $$this': { $map: { input: '$pairs', in: { key: '$$this.k', doubled: { $add: ['$$this.v', '$$this.v'] } } } },
  '$map of objects to a path': { $map: { input: '$objs', as: 'o', in: '$$o.b.c' } },
  '$map with an unknown variable': { $map: { input: '$nums', in: '$$nope' } },
  '$map with a bad as': { $map: { input: '$nums', as: 5, in: '$$this' } },
  '$map reading the root': { $map: { input: '$nums', in: ['$$this', '$n', '$$ROOT._id', '$$CURRENT._id'] } },
  $filter: { $filter: { input: '$pairs', as: 'p', cond: { $eq: ['$$p.k', 'a'] } } },
  '$filter truthiness': { $filter: { input: '$strs', cond: '$$this' } },
  '$filter with limit': { $filter: { input: '$nums', cond: true, limit: 1 } },
  '$filter on $type': { $filter: { input: '$nums', as: 'x', cond: { $eq: [{ $type: '$$x' }, 'double'] } } },
  '$reduce concatenating': { $reduce: { input: '$nested', initialValue: [], in: { $concatArrays: ['$$value', '$$this'] } } },
  '$reduce summing': { $reduce: { input: '$nums', initialValue: 0, in: { $add: ['$$value', '$$this'] } } },
  '$reduce reading the root': { $reduce: { input: '$nums', initialValue: '$n', in: { $add: ['$$value', '$n'] } } },
  '$reduce with $$CURRENT': { $reduce: { input: '$nums', initialValue: [], in: { $concatArrays: ['$$value', ['$$CURRENT']] } } },
  '$reduce inside $map (shadowed $$this)': { $map: { input: '$nested', in: { $reduce: { input: '$$this', initialValue: 0, in: { $add: ['$$value', 1] } } } } },
  'nested $map shadowing the same name': { $map: { input: '$nested', as: 'm', in: { $map: { input: '$$m', as: 'm', in: '$$m.k' } } } },
  'the output stage of the crunch': {
    $mergeObjects: [
      { $literal: { jan: {}, fev: {} } },
      {
        $arrayToObject: {
          $map: {
            input: { $ifNull: ['$months', []] },
            as: 'month',
            in: { k: '$$month.k', v: { $arrayToObject: { $filter: { input: '$$month.v', as: 'pair', cond: { $eq: [{ $type: '$$pair.k' }, 'string'] } } } } },
          },
        },
      },
    ],
  },
  '$reduce appending lists (grown in place)': [
    { $reduce: { input: '$nested', initialValue: [], in: { $concatArrays: ['$$value', '$$this', ['$$this']] } } },
    { $reduce: { input: '$nested', initialValue: '$nums', in: { $concatArrays: ['$$value', '$$this'] } } },
    { $reduce: { input: '$nested', initialValue: null, in: { $concatArrays: ['$$value', '$$this'] } } },
    { $reduce: { input: '$nested', initialValue: '$s', in: { $concatArrays: ['$$value', '$$this'] } } },
    { $reduce: { input: '$pairs', initialValue: [], in: { $concatArrays: ['$$value', ['$$this.k'], '$missing'] } } },
    { $reduce: { input: '$objs', initialValue: [0], in: { $concatArrays: ['$$value', { $ifNull: ['$$this.b', []] }] } } },
    { $reduce: { input: '$strs', initialValue: [], in: { $concatArrays: ['$$value', ['$$value']] } } },
    { $reduce: { input: [], initialValue: '$o', in: { $concatArrays: ['$$value', '$$this'] } } },
  ],
  '$arrayElemAt of a $filter (first match)': [
    { $arrayElemAt: [{ $filter: { input: '$pairs', as: 'p', cond: { $eq: ['$$p.k', 'a'] } } }, 0] },
    { $arrayElemAt: [{ $filter: { input: '$pairs', cond: { $eq: ['$$this.k', 'zz'] } } }, 0] },
    { $arrayElemAt: [{ $filter: { input: '$n', cond: true } }, 0] },
    { $arrayElemAt: [{ $filter: { input: '$missing', cond: true } }, 0] },
    { $arrayElemAt: [{ $filter: { input: '$nums', cond: true } }, -1] },
    { $arrayElemAt: [{ $filter: { input: '$strs', cond: '$$this', limit: 1 } }, 0] },
  ],
  '$arrayElemAt of a $literal table': [
    { $arrayElemAt: [{ $literal: [{ a: 1 }, 'x', [2]] }, 0] },
    { $arrayElemAt: [{ $literal: ['a', 'b'] }, { $subtract: ['$n', 3] }] },
  ],
  '$arrayToObject of a $map to {k, v} (pairs never built)': [
    { $arrayToObject: { $map: { input: '$pairs', in: { k: '$$this.k', v: '$$this.v' } } } },
    { $arrayToObject: { $map: { input: '$pairs', as: 'p', in: { v: { $multiply: ['$$p.v', 2] }, k: '$$p.k' } } } },
    { $arrayToObject: { $map: { input: '$pairs', in: { k: '$$this.k', v: '$$this.missing' } } } },
    { $arrayToObject: { $map: { input: '$pairs', in: { k: '$$this.v', v: 1 } } } },
    {
      $arrayToObject: {
        $map: { input: '$months', as: 'm', in: { k: '$$m.k', v: { $arrayToObject: { $map: { input: '$$m.v', in: { k: '$$this.k', v: '$$this.v' } } } } } },
      },
    },
    { $arrayToObject: { $map: { input: '$strs', in: { k: '$$this', v: null } } } },
    { $mergeObjects: [{ $literal: { a: 0, b: 0 } }, { $arrayToObject: { $map: { input: '$pairs', in: { k: '$$this.k', v: '$$this.v' } } } }] },
  ],
  '$literal documents and arrays': [
    { $literal: { a: {}, b: [1, { c: 2 }], d: '$notapath' } },
    { $mergeObjects: [{ $literal: { jan: {}, fev: { x: [1] } } }, '$o'] },
  ],
  '$add, $multiply, $subtract, $divide': [
    { $add: ['$n', 1, 2.5] },
    { $add: [] },
    { $add: ['$n', '$missing'] },
    { $add: ['$n', '$s'] },
    { $add: [-0] },
    { $multiply: ['$n', '$n'] },
    { $multiply: ['$n'] },
    { $subtract: ['$n', 0.5] },
    { $subtract: ['$missing', '$s'] },
    { $divide: ['$n', 2] },
    { $divide: ['$n', 0] },
    { $divide: [null, 0] },
    { $divide: ['$n', '$s'] },
  ],
  $type: { $type: '$s' },
  '$type of each kind': ['$missing', null, '$o', '$pairs', '$n', '$s'].map((v) => ({ $type: v })),
  '$type with a list': { $type: ['$s'] },
  $let: { $let: { vars: { a: '$n', b: { $ifNull: ['$s', 'none'] } }, in: { a: '$$a', b: '$$b', inner: { $let: { vars: { a: '$$b' }, in: '$$a' } } } } },
  '$let binding a name $map also binds': { $map: { input: '$nums', in: { $let: { vars: { this: '$n' }, in: '$$this' } } } },
  '$cond, array and object forms': [
    { $cond: ['$n', 'yes', 'no'] },
    { $cond: { if: { $eq: ['$s', 'str'] }, then: '$o', else: '$missing' } },
    { $cond: ['$s', 1, 2] },
  ],
  '$cond with a missing branch': { $cond: { if: true, then: 1 } },
  $isArray: [{ $isArray: '$pairs' }, { $isArray: ['$nums'] }, { $isArray: '$missing' }],
  '$sum of an array': [{ $sum: '$nums' }, { $sum: ['$n', 1, '$missing'] }, { $sum: '$n' }, { $sum: { $map: { input: '$pairs', in: '$$this.v' } } }],
  $setUnion: [{ $setUnion: ['$strs', ['y', 'z']] }, { $setUnion: [{ $map: { input: '$pairs', in: '$$this.k' } }] }, { $setUnion: ['$missing'] }],
  '$eq of ObjectIds': [{ $eq: ['$o', '$o'] }, { $eq: ['$o', { $toObjectId: '000000000000000000000001' }] }],
  "sum by key (the crunch's category sums)": {
    $let: {
      vars: { pairs: { $ifNull: ['$pairs', []] } },
      in: {
        $map: {
          input: { $setUnion: [{ $map: { input: '$$pairs', in: '$$this.k' } }] },
          as: 'key',
          in: { k: '$$key', v: { $sum: { $map: { input: { $filter: { input: '$$pairs', cond: { $eq: ['$$this.k', '$$key'] } } }, in: '$$this.v' } } } },
        },
      },
    },
  },
  '$eq of strings and nulls': [
    { $eq: ['$s', 'str'] },
    { $eq: ['$s', '$missing'] },
    { $eq: ['$missing', null] },
    { $eq: ['$n', 4] },
    { $eq: ['$n', '4'] },
    { $eq: ['$pairs', 'a'] },
    { $eq: ['$o', '$o'] },
  ],
};

/** mingo's evaluator, counting its calls: a compiled expression that never needs it makes none. */
function countingEvaluator(): { counting: (doc: unknown, expr: unknown, variables?: Record<string, unknown>) => unknown; calls: () => number } {
  let calls = 0;
  const evaluate = expressionEvaluator();
  return {
    counting: (doc, expr, variables) => {
      calls++;
      return evaluate(doc, expr, variables);
    },
    calls: () => calls,
  };
}

describe("compiled operators give mingo's values", () => {
  for (const [name, expr] of Object.entries(expressions)) {
    // A list is several expressions (a list literal itself differs on purpose: MongoDB, and
    // the engine, turn a missing element into null; mingo keeps it missing).
    it(name, () => {
      for (const one of Array.isArray(expr) ? expr : [expr]) {
        for (const doc of docs) {
          expect(viaEngine(doc, one), `${JSON.stringify(one)} on document ${String(doc._id)}`).toEqual(viaMingo(doc, one));
        }
      }
    });
  }

  it('sums by key in one pass, with the values and key order of the expression as written', () => {
    const expr = expressions["sum by key (the crunch's category sums)"];
    const cases: Document[] = [
      {
        pairs: [
          { k: 'b', v: 1 },
          { k: 'a', v: NaN },
          { k: 'b', v: 2.5 },
          { k: 'a', v: null },
          { k: 'c', v: '7' },
          { k: 'a', v: -0 },
          { k: '', v: 1 },
          { k: 'b' },
        ],
      },
      {
        pairs: [
          { k: 'a', v: 1, extra: true },
          { k: 5, v: 1 },
        ],
      },
      { pairs: [{ k: 'a', v: 1 }, null] },
      { pairs: 'x' },
      { pairs: Array.from({ length: 150 }, (_, i) => ({ k: `c${i % 37}`, v: i % 11 === 0 ? null : i * 3 })) },
    ];
    for (const doc of cases) expect(viaEngine(doc, expr), JSON.stringify(doc)).toEqual(viaMingo(doc, expr));
  });

  it("recognizes the crunch pipeline's sumByKey expression as the idiom", () => {
    const compiler = {
      compile: () => (doc: unknown) => (doc as Document).pairs,
      bind: () => {
        throw new Error('the idiom binds no variable');
      },
      bound: () => false,
    };
    const [, inner] = Object.entries((sumByKey('$$pairs') as { $let: { in: unknown } }).$let)[1]!;
    const fast = compileSumByKey((inner as { $map: unknown }).$map, compiler);
    expect(fast).toBeDefined();
    expect(
      fast!({
        pairs: [
          { k: 'A', v: 1 },
          { k: 'B', v: 2 },
          { k: 'A', v: 3 },
        ],
      }),
    ).toEqual([
      { k: 'A', v: 4 },
      { k: 'B', v: 2 },
    ]);
    expect(compileSumByKey({ input: '$x', as: 'key', in: '$$key' }, compiler)).toBeUndefined();
  });

  it('$toObjectId: repeated hex strings give equal ObjectIds, bad ones still fail', () => {
    const compiled = compileExpression({ $toObjectId: '$h' }, expressionEvaluator());
    const hex = '0123456789abcdef01234567';
    for (let i = 0; i < 30_000; i++) expect((compiled({ h: i % 3 === 0 ? hex : new ObjectId().toHexString() }) as ObjectId).toHexString()).toHaveLength(24);
    expect((compiled({ h: hex }) as ObjectId).toHexString()).toBe(hex);
    expect((compiled({ h: hex.toUpperCase() }) as ObjectId).toHexString()).toBe(hex);
    expect(() => compiled({ h: 'nothex' })).toThrow(/objectId/i);
    expect(compiled({})).toBeNull();
  });

  it('gives every result its own copy of a $literal document, and leaves the spec alone', () => {
    const expr = { $mergeObjects: [{ $literal: { jan: {}, fev: { x: [1] } } }, { $arrayToObject: '$missing' }] };
    const compiled = compileExpression(expr, expressionEvaluator());
    const first = compiled({}) as { jan: Document; fev: { x: number[] } };
    const second = compiled({}) as { jan: Document; fev: { x: number[] } };
    expect(first).toEqual({ jan: {}, fev: { x: [1] } });
    expect(first.jan).not.toBe(second.jan);
    first.jan.changed = true;
    first.fev.x.push(2);
    expect(second).toEqual({ jan: {}, fev: { x: [1] } });
    expect(compiled({})).toEqual({ jan: {}, fev: { x: [1] } });
    const table = compileExpression({ $arrayElemAt: [{ $literal: [{ a: 1 }] }, 0] }, expressionEvaluator());
    expect(table({})).not.toBe(table({}));
  });

  it('reads a single arithmetic operand as a one-element list, as MongoDB does (mingo refuses it)', () => {
    expect(compileExpression({ $add: '$n' }, expressionEvaluator())({ n: 4 })).toBe(4);
    expect(compileExpression({ $multiply: '$n' }, expressionEvaluator())({ n: 4 })).toBe(4);
    expect(compileExpression({ $add: '$n' }, expressionEvaluator())({})).toBeNull();
  });

  it('grows an appending $reduce in place without touching its initial value', () => {
    const compiled = compileExpression(
      { $reduce: { input: '$lists', initialValue: '$start', in: { $concatArrays: ['$$value', '$$this'] } } },
      expressionEvaluator(),
    );
    const doc = { start: [0], lists: [[1], [2, 3]] };
    expect(compiled(doc)).toEqual([0, 1, 2, 3]);
    expect(doc.start).toEqual([0]);
    expect(compiled({ start: [0], lists: [] })).toEqual([0]);
  });

  it("runs the crunch's own expressions without calling mingo", () => {
    const { counting, calls } = countingEvaluator();
    const order = (month: string, cents: number, price: number): Document => ({
      month,
      cents,
      lines: [{ product_id: '000000000000000000000001', price, quantity: 2 }],
      products: [{ _id: new ObjectId('000000000000000000000001'), categories: ['A', 'B'] }],
    });
    const customer = { _id: 'c1', year_cents: 450, orders: [order('jan', 150, 1.5), order('mar', 200, 1), order('jan', 100, 0.5)] };
    const [, project] = rollUpCustomers() as [unknown, { $project: { monthly: unknown; categorized: unknown } }];
    expect(compileExpression(project.$project.monthly, counting)(customer)).toEqual([
      { k: 'jan', v: 2.5 },
      { k: 'mar', v: 2 },
    ]);
    expect(compileExpression(project.$project.categorized, counting)(customer)).toEqual([
      {
        k: 'jan',
        v: [
          { k: 'A', v: 400 },
          { k: 'B', v: 400 },
        ],
      },
      {
        k: 'mar',
        v: [
          { k: 'A', v: 200 },
          { k: 'B', v: 200 },
        ],
      },
    ]);
    const spending = {
      _id: 'c1',
      user: { email: 'e', first_name: 'f', last_name: 'l' },
      year_cents: 1234,
      monthly: [{ k: 'fev', v: 12.34 }],
      categorized: [
        {
          k: 'fev',
          v: [
            { k: 'A', v: 1234 },
            { k: 'B', v: 100 },
          ],
        },
      ],
    };
    const output = compileExpression(projectSpending(2025).$replaceWith, counting)(spending) as Document;
    expect(output.categorized_monthly_expenses).toMatchObject({ jan: {}, fev: { A: 12.34, B: 1 } });
    expect(output.categorized_monthly_avg_expense).toEqual({ A: 1.03, B: 0.08 });
    expect(calls()).toBe(0);
  });

  it('evaluates the operators natively for the everyday inputs (no mingo call)', () => {
    const { counting, calls } = countingEvaluator();
    const compiled = compileExpression(expressions['the output stage of the crunch'], counting);
    expect(compiled(docs[0])).toEqual({ jan: { Moda: 1.5 }, fev: {} });
    expect(calls()).toBe(0);
  });
});
