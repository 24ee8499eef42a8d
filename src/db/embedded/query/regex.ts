/**
 * Regular expressions in linear time: every pattern a client sends (`$regex`, a BSON regex
 * value, `$regexMatch`/`$regexFind`/`$regexFindAll`) runs on RE2 (re2js), which never
 * backtracks, so no pattern can hold the engine for seconds. MongoDB's options map to RE2's
 * flags (`i`, `m`, `s`; `x` strips whitespace and comments; `u` is always on). A pattern RE2
 * cannot run — back-references, look-around, possessive and atomic groups — is refused with
 * BadValue (2) saying so; a pattern no engine could parse is mongod's 51091.
 */
import { RE2JS } from 're2js';
import { CommandError, location } from '../errors.js';

/**
 * A RegExp whose matching is RE2's. mingo (and the rest of the engine) test patterns with
 * `instanceof RegExp`, `exec` and `test`, which this keeps; the RegExp it extends is never run.
 */
export class LinearRegExp extends RegExp {
  readonly #re2: RE2JS;
  readonly #source: string;
  readonly #flags: string;

  constructor(pattern: string, options: string, re2: RE2JS) {
    super('(?!)');
    this.#re2 = re2;
    this.#source = pattern;
    this.#flags = options;
  }

  override get source(): string {
    return this.#source;
  }

  override get flags(): string {
    return this.#flags;
  }

  override exec(input: string): RegExpExecArray | null {
    return this.#re2.exec(String(input)) as RegExpExecArray | null;
  }

  override test(input: string): boolean {
    return this.#re2.test(String(input));
  }

  /** Every match, left to right, as mongod's `$regexFindAll` walks them (an empty match moves on one character). */
  *matchAll(input: string): Generator<RegExpExecArray> {
    const matcher = this.#re2.matcher(input);
    let from = 0;
    while (from <= input.length && matcher.find(from)) {
      const start = matcher.start();
      const end = matcher.end();
      const groups: (string | undefined)[] = [];
      for (let g = 0; g <= matcher.groupCount(); g++) groups.push(matcher.group(g) ?? undefined);
      const match = Object.assign(groups, { index: start, input }) as unknown as RegExpExecArray;
      yield match;
      from = end > start ? end : end + 1;
    }
  }
}

const OPTIONS = new Set(['i', 'm', 's', 'x', 'u']);

/** MongoDB's `x`: whitespace and `#` comments outside character classes are not part of the pattern. */
// src/spending/regex-safety.ts has the same reading: the engine imports nothing of the app (docs/ARCHITECTURE.md §3), so each keeps its own.
function stripExtended(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
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

/** Constructs PCRE has and RE2 refuses by design (it would need backtracking for them). */
const BACKTRACKING_ONLY = /\\[1-9]|\\k<|\(\?[=!]|\(\?<[=!]|\(\?>|[*+?}]\+/;

const cache = new Map<string, LinearRegExp>();
const CACHE_LIMIT = 500;

/** The pattern compiled for RE2, or MongoDB's refusal. */
export function linearRegExp(pattern: string, options = ''): LinearRegExp {
  const key = `${options}/${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let flags = 0;
  for (const option of options) {
    if (!OPTIONS.has(option)) throw new CommandError(location(51108), `invalid flag in regex options: ${option}`);
    if (option === 'i') flags |= RE2JS.CASE_INSENSITIVE;
    if (option === 'm') flags |= RE2JS.MULTILINE;
    if (option === 's') flags |= RE2JS.DOTALL;
  }
  if (pattern.includes('\0')) throw new CommandError(location(51091), 'Regular expression is invalid: the pattern contains a null character');
  const source = options.includes('x') ? stripExtended(pattern) : pattern;
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(source, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    if (BACKTRACKING_ONLY.test(source)) {
      throw new CommandError(
        'BadValue',
        `the datadragon engine runs regular expressions in linear time (RE2 syntax) and cannot run /${pattern}/: back-references, look-around, atomic and possessive groups need backtracking (${reason}); rewrite the pattern without them`,
      );
    }
    throw new CommandError(location(51091), `Regular expression is invalid: ${reason}`);
  }
  const regex = new LinearRegExp(pattern, [...new Set(options)].sort().join(''), re2);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, regex);
  return regex;
}

/** A regex value as it arrives (a RegExp from BSON, a bson BSONRegExp, or our own) on RE2. */
export function toLinear(value: unknown, options?: unknown): LinearRegExp | undefined {
  if (value instanceof LinearRegExp) return options ? linearRegExp(value.source, String(options)) : value;
  if (value instanceof RegExp) return linearRegExp(value.source, typeof options === 'string' ? options : jsFlagsToMongo(value.flags));
  if (value !== null && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'BSONRegExp') {
    const bson = value as { pattern: string; options: string };
    return linearRegExp(bson.pattern, typeof options === 'string' ? options : bson.options);
  }
  return undefined;
}

const jsFlagsToMongo = (flags: string): string => [...flags].filter((f) => f === 'i' || f === 'm' || f === 's').join('');

const isPlain = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof RegExp) &&
  !(value instanceof Date) &&
  (value as { _bsontype?: unknown })._bsontype === undefined &&
  !(value instanceof LinearPattern) &&
  !(value instanceof LinearList);

const LOGICAL = new Set(['$and', '$or', '$nor']);

/**
 * A pattern in a filter, for the engine's `$__linear` operator (mingo-context.ts). Not a
 * RegExp: mingo copies the RegExps of a filter into plain (backtracking) ones, and keeps other
 * objects as they are.
 */
export class LinearPattern {
  constructor(readonly regex: LinearRegExp) {}
}

/** An `$in`/`$nin` list with patterns, for the engine's `$__linearIn`/`$__linearNin` operators. */
export class LinearList {
  constructor(
    readonly patterns: LinearRegExp[],
    readonly values: unknown[],
  ) {}
}

/**
 * `filter` with its regular expressions on RE2: `{f: /p/}`, `{f: {$regex, $options}}` and
 * `$not` of either become `$__linear`, which matches as `$regex` does (a string, or an array
 * with a matching string); `$in`/`$nin` lists with patterns become `$__linearIn`/`$__linearNin`,
 * `$all` lists with patterns `$__linearAll`.
 */
export function linearFilter(filter: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, condition] of Object.entries(filter)) {
    let next: unknown = condition;
    if (LOGICAL.has(key) && Array.isArray(condition)) next = condition.map((branch) => (isPlain(branch) ? linearFilter(branch) : branch));
    else if (!key.startsWith('$')) next = linearCondition(condition);
    if (next !== condition) (out ??= { ...filter })[key] = next;
  }
  return out ?? filter;
}

const LIST_OPERATORS = { $in: '$__linearIn', $nin: '$__linearNin', $all: '$__linearAll' } as const;

function linearCondition(condition: unknown): unknown {
  const direct = toLinear(condition);
  if (direct) return { $__linear: new LinearPattern(direct) };
  if (!isPlain(condition)) return condition;
  const keys = Object.keys(condition);
  if (!keys.some((k) => k.startsWith('$'))) return condition;
  let out: Record<string, unknown> | undefined;
  if ('$regex' in condition) {
    const pattern = condition.$regex;
    const options = condition.$options;
    if (options !== undefined && typeof options !== 'string') throw new CommandError('BadValue', '$options has to be a string');
    const regex = typeof pattern === 'string' ? linearRegExp(pattern, (options as string | undefined) ?? '') : toLinear(pattern, options);
    if (!regex) throw new CommandError('BadValue', '$regex has to be a string');
    out = { ...condition };
    delete out.$regex;
    delete out.$options;
    out.$__linear = new LinearPattern(regex);
  } else if ('$options' in condition) {
    throw new CommandError(location(51074), '$options needs a $regex');
  }
  for (const op of ['$in', '$nin', '$all'] as const) {
    const list = condition[op];
    if (!Array.isArray(list) || !list.some((v) => toLinear(v))) continue;
    const patterns: LinearRegExp[] = [];
    const values: unknown[] = [];
    for (const item of list) {
      const linear = toLinear(item);
      if (linear) patterns.push(linear);
      else values.push(item);
    }
    out ??= { ...condition };
    delete out[op];
    out[LIST_OPERATORS[op]] = new LinearList(patterns, values);
  }
  if ('$not' in condition) {
    const not = condition.$not;
    const next = linearCondition(not);
    if (next !== not) (out ??= { ...condition }).$not = next;
  }
  if ('$elemMatch' in condition && isPlain(condition.$elemMatch)) {
    const inner = condition.$elemMatch;
    const operatorForm = Object.keys(inner).some((k) => k.startsWith('$') && !LOGICAL.has(k));
    const next = operatorForm ? linearCondition(inner) : linearFilter(inner);
    if (next !== inner) (out ??= { ...condition }).$elemMatch = next;
  }
  return out ?? condition;
}

type Resolve = (doc: unknown, path: string) => unknown;
type Predicate = (doc: unknown) => boolean;

function patternsTest(resolve: Resolve, selector: string, patterns: readonly LinearRegExp[]): Predicate {
  const test = (v: unknown): boolean => typeof v === 'string' && patterns.some((regex) => regex.test(v));
  return (doc) => {
    const found = resolve(doc, selector);
    if (!Array.isArray(found)) return test(found);
    return found.some((v) => test(v) || (Array.isArray(v) && v.some(test)));
  };
}

/**
 * The engine's regex query operators: `$__linear` matches as `$regex` does (strings, and
 * strings in arrays) on RE2; `$__linearIn` is `$in` of its values or of its patterns,
 * `$__linearNin` its negation; `$__linearAll` is `$all`: every pattern matches (as `{f: /p/}`
 * does, which is what MongoDB's `$all` means: an `$and` of equalities) and `$all` of its values.
 * `$in` and `$all` are the engine's, for the values.
 */
export function linearQueryOperators(
  resolve: Resolve,
  $in: (selector: string, values: unknown[], options: unknown) => Predicate,
  $all: (selector: string, values: unknown[], options: unknown) => Predicate,
) {
  const linearIn = (selector: string, list: LinearList, options: unknown): Predicate => {
    const patterns = patternsTest(resolve, selector, list.patterns);
    const values = list.values.length > 0 ? $in(selector, list.values, options) : () => false;
    return (doc) => values(doc) || patterns(doc);
  };
  return {
    $__linear: (selector: string, value: LinearPattern) => patternsTest(resolve, selector, [value.regex]),
    $__linearIn: linearIn,
    $__linearNin: (selector: string, list: LinearList, options: unknown): Predicate => {
      const matches = linearIn(selector, list, options);
      return (doc) => !matches(doc);
    },
    $__linearAll: (selector: string, list: LinearList, options: unknown): Predicate => {
      const tests = list.patterns.map((regex) => patternsTest(resolve, selector, [regex]));
      if (list.values.length > 0) tests.push($all(selector, list.values, options));
      return (doc) => tests.every((test) => test(doc));
    },
  };
}
