/**
 * Regular expressions on RE2 (query/regex.ts): the syntax accepted, MongoDB's options, the
 * refusals, and a hostile pattern that would backtrack for seconds finishing at once
 * (MongoDB manual, "$regex" and "$regexFind").
 */
import { describe, expect, it } from 'vitest';
import { toCommandError } from '../../../../../src/db/embedded/errors.js';
import { Aggregator, Query } from '../../../../../src/db/embedded/query/mingo-context.js';
import { linearRegExp } from '../../../../../src/db/embedded/query/regex.js';

const matches = (filter: object, docs: object[]) => new Query(filter as never).find(docs as never).all().length;

describe('accepted syntax', () => {
  it.each([
    ['^ab+c$', '', 'abbc', true],
    ['^AB', 'i', 'abc', true],
    ['^b', 'm', 'a\nb', true],
    ['a.b', 's', 'a\nb', true],
    ['a.b', '', 'a\nb', false],
    ['a b # comment\n c', 'x', 'abc', true],
    ['\\d{3}-\\w+', '', 'tel 555-abc', true],
    ['[[:alpha:]]+', '', 'abc', true],
    ['(?i)abc', '', 'ABC', true],
    ['\\p{L}+é', 'u', 'café', true],
    ['(?P<year>\\d{4})', '', '2024', true],
  ])('/%s/%s on %j → %s', (pattern, options, input, expected) => {
    expect(linearRegExp(pattern, options).test(input)).toBe(expected);
  });

  it('$regex, a regex value, $not and $elemMatch $in and $nin lists match on RE2', () => {
    const docs = [{ s: 'apple' }, { s: 'Banana' }, { s: ['cherry', 'avocado'] }, { s: 3 }];
    expect(matches({ s: { $regex: '^a' } }, docs)).toBe(2);
    expect(matches({ s: /^b/i }, docs)).toBe(1);
    expect(matches({ s: { $in: [/^b/i, 'apple'] } }, docs)).toBe(2);
    expect(matches({ s: { $nin: [/^a/] } }, docs)).toBe(2);
    expect(matches({ s: { $not: /^a/ } }, docs)).toBe(2);
    expect(matches({ s: { $elemMatch: { $regex: 'ado$' } } }, docs)).toBe(1);
    expect(matches({ $or: [{ s: { $regex: 'nan', $options: 'i' } }, { s: 3 }] }, docs)).toBe(2);
    expect(matches({ s: { $in: [/^c/, 3] } }, docs)).toBe(2);
    expect(matches({ s: { $nin: [/^c/, 3] } }, docs)).toBe(2);
    expect(matches({ t: { $in: [/x/, null] } }, docs)).toBe(4);
    const started = performance.now();
    expect(matches({ s: { $in: [/^(a+)+$/, 'x'] } }, [{ s: `${'a'.repeat(5000)}!` }])).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('$regexFind and $regexFindAll answer match, idx in code points and captures', () => {
    const [doc] = new Aggregator([
      {
        $project: {
          _id: 0,
          one: { $regexFind: { input: '$s', regex: '(é)(x)?' } },
          all: { $regexFindAll: { input: '$s', regex: 'a' } },
          is: { $regexMatch: { input: '$s', regex: /CAF/i } },
        },
      },
    ]).run([{ s: 'cafébar' }]);
    expect(doc).toEqual({
      one: { match: 'é', idx: 3, captures: ['é', null] },
      all: [
        { match: 'a', idx: 1, captures: [] },
        { match: 'a', idx: 5, captures: [] },
      ],
      is: true,
    });
  });
});

describe('refusals', () => {
  it('a back-reference or look-ahead is refused with 2, saying RE2 cannot run it', () => {
    for (const pattern of ['(a)\\1', 'a(?=b)', '(?<!x)y']) {
      const error = toCommandError(catching(() => linearRegExp(pattern)));
      expect(error.code).toBe(2);
      expect(error.message).toMatch(/linear time/);
    }
  });

  it('an invalid pattern is 51091, an unknown option 51108', () => {
    expect(toCommandError(catching(() => linearRegExp('(')))).toMatchObject({ code: 51091 });
    expect(toCommandError(catching(() => linearRegExp('a', 'z')))).toMatchObject({ code: 51108 });
  });
});

describe('no backtracking', () => {
  it('^(a+)+$ and (.|.)* over hostile input finish in well under a second', () => {
    const hostile = `${'a'.repeat(5000)}!`;
    const started = performance.now();
    expect(matches({ s: { $regex: '^(a+)+$' } }, [{ s: hostile }])).toBe(0);
    expect(matches({ s: { $regex: '^(.|.){0,21}!x' } }, [{ s: hostile }])).toBe(0);
    expect(matches({ s: { $regex: '(.|.|.)*!x' } }, [{ s: hostile }])).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('patterns under $all run on RE2: a hostile one answers, a back-reference is refused', () => {
    const hostile = `${'a'.repeat(5000)}!`;
    const docs = [{ tags: [hostile, 'b1'] }, { tags: 'b2' }, { tags: ['aaa', 'x'] }];
    // JavaScript's engine would backtrack for hours on ^(a+)+$ against `hostile`.
    expect(matches({ tags: { $all: [/^(a+)+$/, /^b/] } }, docs)).toBe(0);
    expect(matches({ tags: { $all: [/^(a+)+$/, 'x'] } }, docs)).toBe(1);
    expect(matches({ tags: { $all: [/^b/] } }, docs)).toBe(2);
    expect(toCommandError(catching(() => matches({ tags: { $all: [/(a)\1/] } }, docs)))).toMatchObject({ code: 2 });
  });
});

function catching(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('stages mingo runs', () => {
  it('a $match inside $facet runs its pattern on RE2 too', () => {
    const hostile = `${'a'.repeat(5000)}!`;
    const [doc] = new Aggregator([{ $facet: { hits: [{ $match: { s: { $regex: '^(a+)+$' } } }], all: [{ $count: 'n' }] } }]).run([
      { s: hostile },
      { s: 'aaa' },
    ]);
    expect(doc).toEqual({ hits: [{ s: 'aaa' }], all: [{ n: 2 }] });
  });
});
