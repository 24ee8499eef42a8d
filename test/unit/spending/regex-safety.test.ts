/**
 * Regular expressions in filters are judged before anything reaches a server: the catastrophic
 * patterns (and their cousins) are refused, the patterns people write are accepted, and
 * every place a pattern can hide in a filter is looked at.
 */
import { BSONRegExp } from 'bson';
import { describe, expect, it } from 'vitest';
import { FilterError } from '../../../src/spending/errors.js';
import { validateFilter } from '../../../src/spending/filter.js';
import { assertSafePatterns, collectPatterns, MAX_PATTERN_LENGTH, MAX_PATTERNS_PER_FILTER } from '../../../src/spending/regex-safety.js';

async function refusal(filter: Record<string, unknown>): Promise<FilterError> {
  try {
    validateFilter(filter);
    await assertSafePatterns(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    return error as FilterError;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be refused`);
}

describe('catastrophic patterns are refused, with the pattern, its path and why', () => {
  it.each([
    ['^(a+)+$', /exponential/],
    ['^(.|.){0,21}!', /exponential/], // 72 s to match on a backtracking engine: a small count hides the ambiguity from the checker
    ['(.|.|.)*!', /exponential/],
    ['^(\\w+\\s?)+$', /exponential/],
    ['(a|aa)+$', /exponential/],
    ['.*.*.*!', /4th degree polynomial/],
    ['(.*a){3}!', /exponential/], // as (.*a)+!; written out, .*a.*a.*a! is degree 4
    ['(.*a){12}', /repeats a group holding \* or \+ up to 12 times/],
  ])('%s', async (pattern, why) => {
    const error = await refusal({ email: { $regex: pattern } });
    expect(error.reason).toBe('UNSAFE_REGEX');
    expect(error.path).toBe('email.$regex');
    expect(error.message).toContain(JSON.stringify(pattern));
    expect(error.message).toMatch(why);
  });
});

describe('ordinary patterns are accepted', () => {
  it.each([
    '^a',
    '@gmail\\.com$',
    'gmail',
    '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$',
    'joao.*silva.*gmail',
    '^.+@.+\\..+$',
    '\\d{1,3}\\.\\d{1,3}',
    '^(foo|bar)',
    'Jo(ã|a)o',
    '^\\p{Lu}',
    '^([a-z]+\\.)*[a-z]+@',
  ])('%s', async (pattern) => {
    const filter = { email: { $regex: pattern, $options: 'i' } };
    expect(validateFilter(filter)).toBe(filter);
    await expect(assertSafePatterns(filter)).resolves.toBeUndefined();
  });
});

describe('every place a pattern can be is checked', () => {
  const hostile = '^(a+)+$';
  it.each([
    ['a regular expression value', { email: new BSONRegExp(hostile, 'i') }, 'email'],
    ['a native RegExp', { email: new RegExp(hostile) }, 'email'],
    ['$regex with a regular expression value', { email: { $regex: new BSONRegExp(hostile, ''), $options: 'i' } }, 'email.$regex'],
    ['$in', { email: { $in: ['a@x', new BSONRegExp(hostile, '')] } }, 'email.$in[1]'],
    ['$not', { email: { $not: new BSONRegExp(hostile, '') } }, 'email.$not'],
    ['$or', { $or: [{ year: 2025 }, { email: { $regex: hostile } }] }, '$or[1].email.$regex'],
    ['$elemMatch', { items: { $elemMatch: { k: { $regex: hostile } } } }, 'items.$elemMatch.k.$regex'],
    ['$regexMatch in $expr', { $expr: { $regexMatch: { input: '$email', regex: hostile } } }, '$expr.$regexMatch.regex'],
    ['a $jsonSchema pattern', { $jsonSchema: { properties: { email: { bsonType: 'string', pattern: hostile } } } }, '$jsonSchema.properties.email.pattern'],
  ])('%s', async (_name, filter, path) => {
    expect(collectPatterns(filter).map((use) => use.path)).toContain(path);
    const error = await refusal(filter);
    expect([error.reason, error.path]).toEqual(['UNSAFE_REGEX', path]);
  });

  it("MongoDB's options are read: x drops whitespace and comments, a leading (?i) is an option", async () => {
    await expect(assertSafePatterns({ email: { $regex: '^ (a+)+ $ # nested', $options: 'x' } })).rejects.toThrow(/exponential/);
    await expect(assertSafePatterns({ email: { $regex: '(?i)^(a+)+$' } })).rejects.toThrow(/exponential/);
    await expect(assertSafePatterns({ email: { $regex: '(?i)^ana' } })).resolves.toBeUndefined();
    expect(() => validateFilter({ email: { $regex: 'a', $options: 'g' } })).toThrow(/options "g": MongoDB knows i, m, s, x and u/);
  });
});

describe('what cannot be checked is refused before any analysis', () => {
  it("PCRE-only syntax: BAD_FILTER with the reason; PCRE's \\Q…\\E is read as it quotes", async () => {
    for (const pattern of ['a++b', '(?>a+)b', '(?P<n>a)', '(?R)', '(*SKIP)a']) {
      let error: unknown;
      try {
        validateFilter({ email: { $regex: pattern } });
      } catch (caught) {
        error = caught;
      }
      expect(error, pattern).toBeInstanceOf(FilterError);
      expect((error as FilterError).reason, pattern).toBe('BAD_FILTER');
      expect((error as FilterError).message).toMatch(/is not valid: .*PCRE-only syntax/);
    }
    await expect(assertSafePatterns({ email: { $regex: '\\Q(\\E(a+)+$' } })).rejects.toThrow(/exponential/);
    await expect(assertSafePatterns({ email: { $regex: '^\\Q.*+(\\E' } })).resolves.toBeUndefined();
  });

  it('patterns invalid for PCRE too are left to the server, which refuses them unrun', async () => {
    for (const pattern of ['(', 'a)', '[a-', 'a\\', 'a{3,1}']) {
      const filter = { email: { $regex: pattern } };
      expect(validateFilter(filter), pattern).toBe(filter);
      await expect(assertSafePatterns(filter), pattern).resolves.toBeUndefined();
    }
  });

  it('too long, or too many', () => {
    expect(() => validateFilter({ email: { $regex: 'a'.repeat(MAX_PATTERN_LENGTH + 1) } })).toThrow(
      new RegExp(`is ${MAX_PATTERN_LENGTH + 1} characters long; the limit is ${MAX_PATTERN_LENGTH}`),
    );
    const many = { $or: Array.from({ length: MAX_PATTERNS_PER_FILTER + 1 }, (_, i) => ({ email: { $regex: `^a${i}` } })) };
    expect(() => validateFilter(many)).toThrow(
      new RegExp(`holds ${MAX_PATTERNS_PER_FILTER + 1} different regular expressions; the limit is ${MAX_PATTERNS_PER_FILTER}`),
    );
    const same = { $or: Array.from({ length: MAX_PATTERNS_PER_FILTER + 5 }, () => ({ email: { $regex: '^a' } })) };
    expect(validateFilter(same)).toBe(same);
  });
});
