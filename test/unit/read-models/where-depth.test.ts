/**
 * A `where` filter nested past the filter depth limit is refused (BAD_FILTER, with where)
 * before anything recurses into it: as an object of any depth, it never overflows the stack.
 */
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../../src/errors.js';
import { buildSpendingFilter, tooDeepAt } from '../../../src/read-models/spending-page.js';
import { MAX_JSON_DEPTH } from '../../../src/spending/json-text.js';
import { MAX_FILTER_DEPTH } from '../../../src/spending/no-javascript.js';

const nested = (levels: number): unknown => {
  let where: unknown = { year: 2025 };
  for (let i = 0; i < levels; i++) where = { $and: [where] };
  return where;
};

function refusal(where: unknown): UserInputError {
  try {
    buildSpendingFilter({ where });
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return error as UserInputError;
  }
  throw new Error('expected the filter to be refused');
}

describe('deep where filters', () => {
  it.each([1_000, 200_000])('%i levels of $and: BAD_FILTER, saying where, not a stack overflow', (levels) => {
    const error = refusal(nested(levels));
    expect(error.details.reason).toBe('BAD_FILTER');
    expect(error.message).toMatch(
      new RegExp(
        `^filter.where: the filter is nested more than ${MAX_JSON_DEPTH} objects and arrays deep \\(at '\\$and\\[0\\]\\.\\$and.*…'\\); a filter may nest ${MAX_FILTER_DEPTH} levels of operators: flatten it$`,
      ),
    );
  });

  it("past the operators' depth limit but within the objects' one: the filter's own check answers, with its path", () => {
    const error = refusal(nested(MAX_FILTER_DEPTH + 1));
    expect(error.details.reason).toBe('BAD_FILTER');
    expect(error.message).toMatch(new RegExp(`^filter.where: the filter is nested more than ${MAX_FILTER_DEPTH} levels deep`));
  });

  it('within the limit, the filter is built', () => {
    expect(buildSpendingFilter({ where: nested(3) })).toEqual(nested(3));
  });

  it('tooDeepAt counts objects and arrays, not values', () => {
    expect(tooDeepAt({ a: { b: [1, 'x'] } }, 2)).toBeUndefined();
    expect(tooDeepAt({ a: { b: [{ c: 1 }] } }, 2)).toBe('a.b[0]');
  });
});
