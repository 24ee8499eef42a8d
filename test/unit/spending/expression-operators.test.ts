/**
 * `$expr` takes the expression operators a spending filter needs, and nothing whose work is
 * unbounded; what it takes, mingo and the engine's own pipeline evaluate alike.
 */
import { Code } from 'bson';
import { describe, expect, it } from 'vitest';
import { FilterError } from '../../../src/spending/errors.js';
import { validateFilter } from '../../../src/spending/filter.js';
import { PIPELINE_RUNNERS } from '../../helpers/pipeline-runners.js';

function reasonOf(filter: Record<string, unknown>): [string, string, string] {
  try {
    validateFilter(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    const { reason, path, message } = error as FilterError;
    return [reason, path, message];
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be refused`);
}

/** Expressions $expr accepts, and which of `customers` each keeps. */
const ACCEPTED: [string, Record<string, unknown>, string[]][] = [
  ['two fields compared', { $gt: ['$monthly_spenses.dez', '$monthly_spenses.nov'] }, ['a']],
  ['arithmetic', { $gte: [{ $add: ['$monthly_spenses.jan', '$monthly_spenses.fev'] }, { $multiply: [2, '$monthly_avg_expense'] }] }, ['a']],
  ['conditions and rounding', { $eq: [{ $round: [{ $cond: [{ $gt: ['$year', 2024] }, '$monthly_avg_expense', 0] }, 2] }, 0] }, ['b']],
  ['how many categories', { $gte: [{ $size: { $objectToArray: '$categorized_monthly_avg_expense' } }, 3] }, ['a']],
  ['a literal regex in $regexMatch', { $regexMatch: { input: '$email', regex: '^ana', options: 'i' } }, ['a']],
  [
    'string functions and $switch',
    { $switch: { branches: [{ case: { $eq: [{ $toLower: '$email' }, 'a@x'] }, then: true }], default: { $lt: [{ $strLenCP: '$email' }, 10] } } },
    ['a'],
  ],
  ['$getField of a name with a dot', { $gt: [{ $getField: { field: 'a.b', input: '$categorized_monthly_avg_expense' } }, 1] }, ['a']],
];

describe('$expr', () => {
  it.each(ACCEPTED)('accepts %s', (_name, expression) => {
    const filter = { $expr: expression };
    expect(validateFilter(filter)).toBe(filter);
  });

  it.each([
    ['$range (300,000 numbers built per document)', { $gt: [{ $size: { $range: [0, 300000] } }, 0] }, '$expr.$gt[0].$size.$range'],
    ['$map over literal arrays', { $gt: [{ $size: { $map: { input: [1, 2], in: '$$this' } } }, 0] }, '$expr.$gt[0].$size.$map'],
    ['$reduce', { $reduce: { input: [], initialValue: 0, in: 1 } }, '$expr.$reduce'],
    ['$filter', { $filter: { input: [], cond: true } }, '$expr.$filter'],
    ['$let', { $let: { vars: { a: '$email' }, in: { $concat: ['$$a', '$$a'] } } }, '$expr.$let'],
    ['$replaceAll', { $eq: [{ $replaceAll: { input: '$email', find: 'a', replacement: 'bb' } }, 'x'] }, '$expr.$eq[0].$replaceAll'],
    [
      'an operator nested deep',
      { $and: [{ $or: [{ $eq: [1, 1] }, { $gt: [{ $size: { $range: [0, 9] } }, 0] }] }] },
      '$expr.$and[0].$or[1].$gt[0].$size.$range',
    ],
  ])('refuses %s, naming the operator and its path', (_name, expression, path) => {
    const [reason, where, message] = reasonOf({ $expr: expression });
    expect([reason, where]).toEqual(['FORBIDDEN_OPERATOR', path]);
    expect(message).toMatch(/the expression operator '\$\w+' is not allowed at .*: \$expr accepts comparisons, arithmetic/);
  });

  it.each(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte'])('accepts the comparison %s as an expression and as a query operator', (op) => {
    for (const filter of [{ $expr: { [op]: ['$monthly_avg_expense', 10] } }, { monthly_avg_expense: { [op]: 10 } }])
      expect(validateFilter(filter)).toBe(filter);
  });

  it('refuses server-side JavaScript as such', () => {
    expect(reasonOf({ $expr: { $function: { body: 'function() { return true }', args: [], lang: 'js' } } })).toEqual([
      'FORBIDDEN_OPERATOR',
      '$expr.$function',
      expect.stringMatching(/server-side JavaScript is refused/),
    ]);
    expect(reasonOf({ $expr: { $eq: [new Code('1'), 1] } })[2]).toMatch(/JavaScript Code value/);
  });

  it('needs a literal pattern in $regexMatch, and one operator per expression object', () => {
    expect(reasonOf({ $expr: { $regexMatch: { input: '$email', regex: '$details.first_name' } } })).toEqual([
      'BAD_FILTER',
      '$expr.$regexMatch',
      expect.stringMatching(/not a field path/),
    ]);
    expect(reasonOf({ $expr: { $regexMatch: { input: '$email', regex: { $concat: ['a', 'b'] } } } })).toEqual([
      'BAD_FILTER',
      '$expr.$regexMatch',
      expect.stringMatching(/needs a literal pattern/),
    ]);
    expect(reasonOf({ $expr: { $gt: [1, 0], $lt: [0, 1] } })[2]).toMatch(/exactly one operator/);
  });
});

/** Two customer_spending documents (the fields of docs/DATA-MODEL.md §4 the expressions read), told apart by every accepted expression. */
const customers = [
  {
    _id: 'a',
    email: 'ana@x.com',
    year: 2025,
    monthly_spenses: { jan: 1, fev: 2, nov: 5, dez: 10 },
    monthly_avg_expense: 1.5,
    categorized_monthly_avg_expense: { 'a.b': 2, Casa: 1, Livros: 0.5 },
  },
  {
    _id: 'b',
    email: 'Bob@example.com',
    year: 2024,
    monthly_spenses: { jan: 0, fev: 0, nov: 5, dez: 1 },
    monthly_avg_expense: 1,
    categorized_monthly_avg_expense: { Casa: 1 },
  },
];

describe.each(PIPELINE_RUNNERS)('the accepted expressions, run on $name', ({ run }) => {
  it.each(ACCEPTED)('%s', (_name, expression, kept) => {
    const filter = validateFilter({ $expr: expression });
    expect(run([{ $match: filter }], customers).map((doc) => doc._id)).toEqual(kept);
  });
});
