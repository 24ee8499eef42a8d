/**
 * Patterns that MongoDB (PCRE) and the embedded engine (RE2) would read differently are
 * refused before they run anywhere (BAD_FILTER, saying what to write instead); the syntax both
 * read alike is accepted.
 */
import { describe, expect, it } from 'vitest';
import { FilterError } from '../../../src/spending/errors.js';
import { validateFilter } from '../../../src/spending/filter.js';
import { assertSafePatterns } from '../../../src/spending/regex-safety.js';
import { escapeRegex } from '../../../src/spending/regex-subset.js';

function refusal(pattern: string, options = ''): FilterError {
  try {
    validateFilter({ email: { $regex: pattern, $options: options } });
  } catch (error) {
    expect(error, pattern).toBeInstanceOf(FilterError);
    return error as FilterError;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be refused`);
}

describe('outside the common subset: refused with what to write instead', () => {
  it.each([
    ['(?<=@)gmail', /uses a lookbehind \(\?<=…\): MongoDB \(PCRE\) runs it, the embedded engine \(RE2\) does not/],
    ['(?<!x)a', /uses a lookbehind \(\?<!…\)/],
    ['a(?=b)', /uses a lookahead \(\?=…\): MongoDB \(PCRE\) runs it, the embedded engine \(RE2\) does not/],
    ['a(?!b)', /uses a lookahead \(\?!…\)/],
    ['(a)\\1', /uses the backreference \\1: MongoDB \(PCRE\) and the embedded engine read references differently/],
    ['(?<n>a)\\k<n>', /uses the backreference \\k<n>/],
    ['a\\12', /has \\12, an octal escape or a backreference depending on the engine/],
    ['ana\\K@', /has the escape \\K, which MongoDB \(PCRE\) and the embedded engine read differently/],
    ['\\Aana', /has the escape \\A/],
    ['ana\\z', /has the escape \\z/],
    ['a\\hb', /has the escape \\h/],
    ['a\\vb', /has the escape \\v/],
    ['\\u00e9', /has the escape \\u/],
    ['[\\K]', /has the escape \\K/],
    ['a{,3}', /has a \{ that is not a repetition: .*escape it as \\\{/],
    ['[]a]', /has the class \[\], which MongoDB \(PCRE\) reads as the start of a class holding \]/],
    ['[^]', /has the class \[\^\]/],
    ['[[:alpha:]]+', /has a POSIX class \(\[\[:alpha:\]…\), which only MongoDB \(PCRE\) knows/],
  ])('%s', (pattern, why) => {
    const error = refusal(pattern);
    expect([error.reason, error.path]).toEqual(['BAD_FILTER', 'email.$regex']);
    expect(error.message).toContain(`the regular expression ${JSON.stringify(pattern)} at 'email.$regex' `);
    expect(error.message).toMatch(why);
  });

  it('with the x option, what remains once whitespace and comments are dropped is judged', () => {
    expect(refusal('(?<= @ ) gmail # after the at', 'x').message).toMatch(/lookbehind/);
  });
});

describe('inside it: accepted', () => {
  it.each([
    '^ana',
    '\\.com$',
    'a\\-b',
    '\\d\\D\\w\\W\\s\\S',
    '\\bana\\B',
    'a\\n\\r\\t\\f',
    '\\x41',
    '\\cJ',
    '[\\b]',
    '^\\p{Lu}\\P{L}',
    '(?<user>[^@]+)@',
    '(?:a|b)c',
    'a{2}',
    'a{2,}',
    'a{1,3}?',
    '\\{\\}',
    '[a-z\\]]',
    '[\\s\\S]',
    'a}',
  ])('%s', async (pattern) => {
    const filter = { email: { $regex: pattern } };
    expect(validateFilter(filter)).toBe(filter);
    await expect(assertSafePatterns(filter)).resolves.toBeUndefined();
  });
});

describe('escapeRegex', () => {
  it('makes any text a pattern inside the common subset that matches exactly that text', async () => {
    const text = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + 'ãé€';
    const pattern = `^${escapeRegex(text)}$`;
    const filter = { email: { $regex: pattern } };
    expect(validateFilter(filter)).toBe(filter);
    await expect(assertSafePatterns(filter)).resolves.toBeUndefined();
    expect(new RegExp(pattern, 'u').test(text)).toBe(true);
    expect(new RegExp(pattern, 'u').test(text.replace('.', 'x'))).toBe(false);
  });
});
