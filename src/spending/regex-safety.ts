/**
 * Regular expressions in user filters, judged before they reach any server. MongoDB runs
 * `$regex` with PCRE, a backtracking engine: a pattern such as `^(a+)+$` or `^(.|.){0,21}!`
 * can keep it busy for seconds on one short string. Each pattern is read as a JavaScript
 * pattern (@eslint-community/regexpp) and checked by recheck, a ReDoS checker built on
 * automata theory (it runs in its own process or a worker thread, never on this event loop).
 *
 * Refused: exponential backtracking, and polynomial backtracking above MAX_POLYNOMIAL_DEGREE
 * (`a.*b.*c` searched anywhere in a string is degree 3 and allowed; `.*.*.*!` is 4). Counted
 * repetitions are judged twice, because the checker trusts small counts: as unbounded
 * repetitions (`(.|.){0,21}` is as ambiguous as `(.|.)*`) and written out (`(.*a){5}` is
 * `.*a` five times, degree 6). Patterns the checker cannot read (PCRE-only syntax such as
 * possessive `a++` or atomic groups) are refused too, with the reason, and so are patterns
 * that MongoDB and the embedded engine read differently (regex-subset.ts); patterns invalid for PCRE as
 * well (an unbalanced parenthesis) go to the server, which refuses them unrun.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import type { Document } from 'bson';
import { check, type Diagnostics } from 'recheck';
import { FilterError } from './errors.js';
import { bsonType, isPlainObject } from './bson-values.js';
import { LruCache } from '../lru.js';
import { outsideCommonSubset } from './regex-subset.js';

export const MAX_PATTERN_LENGTH = 1000;
export const MAX_PATTERNS_PER_FILTER = 20;
/** `a.*b.*c` anywhere in a string: at most n³ steps on an n-character value. */
export const MAX_POLYNOMIAL_DEGREE = 3;
/** A `*` or `+` inside a group counted more times than this is refused without a check. */
const MAX_EXPANDED_COUNT = 8;
/** Counted repetitions written out may make a pattern this long at most. */
const MAX_WRITTEN_LENGTH = 20_000;
const CHECK_TIMEOUT_MS = 2_000;
/**
 * How long one check may take in all, the checker's start included: past it the checker (in
 * its own process or thread) is taken as dead or hung, and the pattern is refused rather than
 * the request left waiting. Its first start, in a fresh process, takes a few hundred ms.
 */
export const CHECK_DEADLINE_MS = CHECK_TIMEOUT_MS + 3_000;
const MAX_CACHED_VERDICTS = 1_000;

/** MongoDB's `$options` letters. */
const OPTION_LETTERS = /^[imsxu]*$/;

/** One pattern of a filter and where it is. */
export interface PatternUse {
  pattern: string;
  options: string;
  path: string;
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const REGEX_EXPRESSIONS = new Set(['$regexMatch', '$regexFind', '$regexFindAll']);

function regexOf(value: unknown): { pattern: string; options: string } | undefined {
  if (value instanceof RegExp) return { pattern: value.source, options: value.flags };
  if (bsonType(value) === 'BSONRegExp') {
    const regex = value as { pattern: string; options: string };
    return { pattern: regex.pattern, options: regex.options };
  }
  return undefined;
}

/**
 * Every pattern in a filter: regular expression values anywhere, `$regex` strings (with their
 * `$options`), the `regex` of `$regexMatch`/`$regexFind`/`$regexFindAll`, and the `pattern`
 * and `patternProperties` of a `$jsonSchema`.
 */
export function collectPatterns(filter: unknown): PatternUse[] {
  const found: PatternUse[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > 200) return; // validateFilter refuses such depths; nothing to collect past them
    const regex = regexOf(value);
    if (regex) {
      found.push({ ...regex, path });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`, depth + 1));
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const here = join(path, key);
      if (key === '$regex' && typeof item === 'string') {
        const options = value.$options;
        found.push({ pattern: item, options: typeof options === 'string' ? options : '', path: here });
      } else if (key === '$regex' && regexOf(item)) {
        const inner = regexOf(item)!;
        const options = typeof value.$options === 'string' ? value.$options : '';
        found.push({ pattern: inner.pattern, options: inner.options + options, path: here });
      } else if (REGEX_EXPRESSIONS.has(key) && isPlainObject(item) && typeof item.regex === 'string') {
        found.push({ pattern: item.regex, options: typeof item.options === 'string' ? item.options : '', path: join(here, 'regex') });
        visit({ ...item, regex: undefined }, here, depth + 1);
      } else if (key === 'pattern' && typeof item === 'string' && path.includes('$jsonSchema')) {
        found.push({ pattern: item, options: 'u', path: here });
      } else if (key === 'patternProperties' && isPlainObject(item) && path.includes('$jsonSchema')) {
        for (const [pattern, schema] of Object.entries(item)) {
          found.push({ pattern, options: 'u', path: join(here, pattern) });
          visit(schema, join(here, pattern), depth + 1);
        }
      } else {
        visit(item, here, depth + 1);
      }
    }
  };
  visit(filter, '', 0);
  return found;
}

const unsafe = (use: PatternUse, why: string): FilterError =>
  new FilterError(
    'UNSAFE_REGEX',
    `the regular expression ${JSON.stringify(use.pattern.length > 80 ? `${use.pattern.slice(0, 80)}…` : use.pattern)} at '${use.path}' ${why}`,
    { path: use.path },
  );

/** What the checker reads: the pattern with MongoDB's options turned into JavaScript flags. */
interface Analysable {
  source: string;
  flags: string;
  ast: AST.Pattern;
}

/** MongoDB's `x` option: whitespace and `#` comments outside character classes are not part of the pattern. */
// The embedded engine has the same reading (src/db/embedded/query/regex.ts): the app reaches it only over the driver (docs/ARCHITECTURE.md §3), so each keeps its own.
function withoutExtendedSyntax(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

/** PCRE's `\Q…\E`: everything between is literal; written with escapes instead. */
function withoutQuoting(pattern: string): string {
  return pattern.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_match, literal: string) => literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'));
}

/**
 * Syntax errors that PCRE makes too (unbalanced parentheses or brackets, a trailing backslash,
 * a reversed count): such a pattern never runs, the server refuses it with its own message.
 */
const INVALID_EVERYWHERE = [
  /^Unterminated group$/,
  /^Unmatched '\)'$/,
  /^Unterminated character class$/,
  /^\\ at end of pattern$/,
  /^numbers out of order in \{\} quantifier$/,
];

/** The pattern as the checker reads it; undefined when it is invalid for the server too (the server refuses it unrun). */
function analysable(use: PatternUse): Analysable | undefined {
  if (use.pattern.length > MAX_PATTERN_LENGTH) throw unsafe(use, `is ${use.pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`);
  let options = use.options;
  let source = use.pattern;
  // PCRE's leading inline options, (?i) and the like, are options of the whole pattern.
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    options += inline[1];
    source = source.slice(inline[0].length);
  }
  if (!OPTION_LETTERS.test(options)) throw unsafe(use, `has options ${JSON.stringify(use.options)}: MongoDB knows i, m, s, x and u`);
  if (options.includes('x')) source = withoutExtendedSyntax(source);
  source = withoutQuoting(source);
  const flags = [...new Set(options.replace(/[xu]/g, ''))].join('');
  const parser = new RegExpParser({ ecmaVersion: 2025 });
  const reasons: string[] = [];
  for (const unicode of [true, false]) {
    try {
      const ast = parser.parsePattern(source, 0, source.length, { unicode });
      const unportable = outsideCommonSubset(ast);
      if (unportable)
        throw new FilterError('BAD_FILTER', `the regular expression ${JSON.stringify(use.pattern)} at '${use.path}' ${unportable}`, { path: use.path });
      return { source, flags: unicode ? `${flags}u` : flags, ast };
    } catch (error) {
      if (error instanceof FilterError) throw error;
      // the Unicode syntax first (\p{L}...; its errors are the clearer), then the lenient one
      reasons.push((error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''));
    }
  }
  const reason = reasons[0]!;
  // The lenient syntax is the closer to PCRE's: its error says whether PCRE refuses the pattern too.
  if (INVALID_EVERYWHERE.some((invalid) => invalid.test(reasons[1]!))) return undefined;
  throw new FilterError(
    'BAD_FILTER',
    `the regular expression ${JSON.stringify(use.pattern)} at '${use.path}' is not valid: ${reason}. (PCRE-only syntax, such as possessive a++, atomic groups (?>…), (?P<name>…) or options inside the pattern, is not accepted: it could not be checked for catastrophic backtracking)`,
    { path: use.path },
  );
}

type Node = AST.Node;

/** The source of `node` with its counted repetitions rewritten by `quantifier`. */
function print(node: Node, quantifier: (node: AST.Quantifier, element: string) => string, plainGroups: boolean): string {
  const list = (alternatives: AST.Alternative[]): string => alternatives.map((alternative) => print(alternative, quantifier, plainGroups)).join('|');
  switch (node.type) {
    case 'Pattern':
      return list(node.alternatives);
    case 'Alternative':
      return node.elements.map((element) => print(element, quantifier, plainGroups)).join('');
    case 'CapturingGroup':
      return plainGroups ? `(?:${list(node.alternatives)})` : `${node.raw.slice(0, node.alternatives[0]!.start - node.start)}${list(node.alternatives)})`;
    case 'Group':
      return `${node.raw.slice(0, node.alternatives[0]!.start - node.start)}${list(node.alternatives)})`;
    case 'Assertion':
      if (node.kind === 'lookahead' || node.kind === 'lookbehind')
        return `${node.raw.slice(0, node.alternatives[0]!.start - node.start)}${list(node.alternatives)})`;
      return node.raw;
    case 'Quantifier':
      return quantifier(node, print(node.element, quantifier, plainGroups));
    default:
      return node.raw;
  }
}

const ownQuantifier = (node: AST.Quantifier): string => node.raw.slice(node.element.end - node.start);
const isCounted = (node: AST.Quantifier): boolean => node.max >= 2 && !(node.max === Infinity && node.min <= 1);

function childrenOf(node: Node): Node[] {
  if ('alternatives' in node) return node.alternatives;
  if (node.type === 'Alternative') return node.elements;
  if (node.type === 'Quantifier') return [node.element];
  return [];
}

const containsUnbounded = (node: Node): boolean => (node.type === 'Quantifier' && node.max === Infinity) || childrenOf(node).some(containsUnbounded);
const hasBackreference = (node: Node): boolean => node.type === 'Backreference' || childrenOf(node).some(hasBackreference);

/** The forms of a pattern to check: counted repetitions made unbounded, and written out. */
function variants(use: PatternUse, pattern: Analysable): string[] {
  let counted = false;
  const unbounded = print(
    pattern.ast,
    (node, element) => {
      if (!isCounted(node)) return element + ownQuantifier(node);
      counted = true;
      return element + (node.min === 0 ? '*' : '+') + (node.greedy ? '' : '?');
    },
    false,
  );
  if (!counted) return [pattern.source];
  const forms = [unbounded];
  const written = print(
    pattern.ast,
    (node, element) => {
      if (!isCounted(node) || node.max === Infinity || !containsUnbounded(node.element)) return element + ownQuantifier(node);
      if (node.max > MAX_EXPANDED_COUNT) {
        throw unsafe(
          use,
          `repeats a group holding * or + up to ${node.max} times: it can backtrack in polynomial time of degree ${node.max} or more; write it without the count, or with at most ${MAX_EXPANDED_COUNT}`,
        );
      }
      return `(?:${element})`.repeat(node.min) + `(?:${element})?`.repeat(node.max - node.min);
    },
    true,
  );
  if (written.length > MAX_WRITTEN_LENGTH) throw unsafe(use, 'nests counted repetitions too deep to be checked for catastrophic backtracking; simplify it');
  // Written out, capturing groups are made plain: references to them would dangle.
  if (!hasBackreference(pattern.ast) && written !== pattern.source) forms.push(written);
  return forms;
}

/** The checker's verdict on one form: undefined when safe enough, else why not. */
function judge(diagnostics: Diagnostics): string | undefined {
  switch (diagnostics.status) {
    case 'safe':
      return undefined;
    case 'vulnerable': {
      const { complexity, attack } = diagnostics;
      if (complexity.type === 'polynomial' && complexity.degree <= MAX_POLYNOMIAL_DEGREE) return undefined;
      const example = attack.string.length <= 40 && /^[\x20-\x7e]+$/.test(attack.string) ? ` (e.g. on ${JSON.stringify(attack.string)})` : '';
      return `can backtrack catastrophically: ${complexity.summary} time in the length of the value${example}; rewrite it without nested or overlapping repetitions (e.g. [^@]+ instead of .+ before an @)`;
    }
    case 'unknown':
      return diagnostics.error.kind === 'timeout'
        ? 'is too complex to be checked for catastrophic backtracking in time; simplify it'
        : `cannot be checked for catastrophic backtracking (${'message' in diagnostics.error ? diagnostics.error.message : diagnostics.error.kind}); simplify it`;
  }
}

// Bounded in count and in characters: a written-out form of a pattern may be 20,000 characters.
const verdicts = new LruCache<string, Promise<string | undefined>>(MAX_CACHED_VERDICTS, 4_000_000, (key) => key.length);

/** The checker's verdict, or a refusal when it has not answered by CHECK_DEADLINE_MS. */
function checkWithDeadline(source: string, flags: string, forget: () => void): Promise<string | undefined> {
  const cancel = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      cancel.abort();
      forget(); // a later request asks the checker again
      resolve(
        `could not be checked for catastrophic backtracking: the checker did not answer within ${CHECK_DEADLINE_MS / 1000} s, so it is refused; try again in a moment, or simplify it`,
      );
    }, CHECK_DEADLINE_MS);
    timer.unref();
  });
  const verdict = check(source, flags, { timeout: CHECK_TIMEOUT_MS, signal: cancel.signal }).then(judge, (error: unknown) => {
    forget(); // the checker failed, not the pattern: do not keep the refusal
    return `cannot be checked for catastrophic backtracking (${(error as Error).message}); try again in a moment, or simplify it`;
  });
  return Promise.race([verdict, deadline]).finally(() => clearTimeout(timer));
}

function verdictOf(source: string, flags: string): Promise<string | undefined> {
  const key = `${flags}/${source}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    const forget = (): void => {
      if (verdicts.get(key) === verdict) verdicts.delete(key);
    };
    verdict = checkWithDeadline(source, flags, forget);
    verdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * The checks that need no analysis, for `validateFilter`: how many patterns, their length,
 * their options, and that the checker can read them. Throws a `FilterError` (`UNSAFE_REGEX`).
 */
export function checkPatternSyntax(filter: Document): PatternUse[] {
  const uses = collectPatterns(filter);
  const distinct = new Set(uses.map((use) => `${use.options}/${use.pattern}`));
  if (distinct.size > MAX_PATTERNS_PER_FILTER) {
    throw new FilterError('UNSAFE_REGEX', `the filter holds ${distinct.size} different regular expressions; the limit is ${MAX_PATTERNS_PER_FILTER}`, {
      path: uses[MAX_PATTERNS_PER_FILTER]!.path,
    });
  }
  for (const use of uses) {
    const pattern = analysable(use);
    if (pattern) variants(use, pattern);
  }
  return uses;
}

/**
 * Refuses a filter holding a regular expression that can backtrack catastrophically (see the
 * module comment): a `FilterError` (`UNSAFE_REGEX`) naming the pattern, its path and why.
 * Verdicts are cached per pattern, so a filter run again costs no analysis.
 */
export async function assertSafePatterns(filter: Document): Promise<void> {
  const uses = checkPatternSyntax(filter);
  for (const use of uses) {
    const pattern = analysable(use);
    if (!pattern) continue; // invalid: the server refuses it before it runs
    for (const source of variants(use, pattern)) {
      const why = await verdictOf(source, pattern.flags);
      if (why) throw unsafe(use, why);
    }
  }
}
