/**
 * Collations the engine honours exactly: strength 1 (base letters: `a = A = á`) and strength 2
 * (letters and accents: `a = A`, `a ≠ á`) for the Latin-alphabet locales below, where these
 * equalities are plain case and accent folding (MongoDB manual, "Collation" and "Collation
 * Locales and Default Parameters"). Sorting uses ICU through Intl.Collator, as mongod does;
 * matching rewrites each string equality (`{f: 's'}`, `$eq`, `$ne`, `$in`, `$nin`) into an
 * anchored pattern with the same folding. Everything else a collation would change (string
 * ranges, `$expr`, other strengths and options, other locales) is refused with InvalidOptions
 * (72) rather than answered in binary order. `{locale: 'simple'}` is no collation at all.
 */
import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { StringCompare } from './sort.js';

/** Locales whose primary and secondary equality are case and accent folding of Latin letters. */
const LATIN_LOCALES = new Set(['en', 'en_US', 'en_GB', 'en_US_POSIX', 'fr', 'fr_CA', 'de', 'de_AT', 'it', 'pt', 'nl']);

/** Options at mongod's defaults are allowed; anything else changes the comparison. */
const DEFAULTS: Record<string, unknown> = {
  caseLevel: false,
  caseFirst: 'off',
  numericOrdering: false,
  alternate: 'non-ignorable',
  maxVariable: 'punct',
  backwards: false,
  normalization: false,
};

export interface Collation {
  readonly locale: string;
  readonly strength: 1 | 2;
  readonly compare: StringCompare;
  /** An anchored pattern matching exactly the strings equal to `s` under this collation. */
  equalTo(s: string): RegExp;
}

function refuse(spec: unknown, why: string): never {
  throw new CommandError(
    'InvalidOptions',
    `the datadragon engine does not support the collation ${JSON.stringify(spec)}: ${why}; it supports {locale: 'simple'} and strength 1 or 2 for the locales ${[...LATIN_LOCALES].join(', ')} (run the query without a collation, or against MongoDB)`,
  );
}

const cache = new Map<string, Collation>();

/** The collation a command asks for, undefined for none or 'simple'; refused when not exact here. */
export function collationOf(spec: Document | undefined | null): Collation | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (typeof spec !== 'object' || Array.isArray(spec))
    throw new CommandError('TypeMismatch', "BSON field 'collation' is the wrong type, expected type 'object'");
  const locale = spec.locale;
  if (typeof locale !== 'string') throw new CommandError('BadValue', 'Missing expected field "locale"');
  if (locale === 'simple') {
    if (Object.keys(spec).some((key) => key !== 'locale' && key !== 'version')) refuse(spec, "the 'simple' locale takes no other option");
    return undefined;
  }
  const strength = spec.strength ?? 3;
  if (!LATIN_LOCALES.has(locale)) refuse(spec, `locale '${locale}' is not one of those supported`);
  if (strength !== 1 && strength !== 2) refuse(spec, `strength ${String(strength)} is not supported`);
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'locale' || key === 'strength' || key === 'version') continue;
    if (!(key in DEFAULTS)) throw new CommandError('BadValue', `unknown collation field '${key}'`);
    if (value !== DEFAULTS[key]) refuse(spec, `option ${key}: ${JSON.stringify(value)} is not supported`);
  }
  const key = `${locale}/${strength}`;
  let collation = cache.get(key);
  if (!collation) {
    const collator = new Intl.Collator(locale.replace(/_/g, '-').replace('-POSIX', ''), { sensitivity: strength === 1 ? 'base' : 'accent' });
    collation = { locale, strength, compare: (a, b) => collator.compare(a, b), equalTo: (s) => foldedPattern(s, strength) };
    cache.set(key, collation);
  }
  return collation;
}

/** Latin letters by their base letter (lower case, accents removed). */
const BY_BASE = (() => {
  const map = new Map<string, string[]>();
  const ranges: [number, number][] = [
    [0x41, 0x5a],
    [0x61, 0x7a],
    [0xc0, 0x24f],
  ];
  for (const [from, to] of ranges) {
    for (let code = from; code <= to; code++) {
      const c = String.fromCharCode(code);
      const base = baseOf(c);
      if (!/^[a-z]$/.test(base)) continue;
      const list = map.get(base) ?? [];
      list.push(c);
      map.set(base, list);
    }
  }
  return map;
})();

function baseOf(c: string): string {
  return c.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const escape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** `^s$`, case-insensitive; at strength 1 each letter also matches its accented forms. */
function foldedPattern(s: string, strength: 1 | 2): RegExp {
  if (strength === 2) return new RegExp(`^${escape(s.normalize('NFC'))}$`, 'iu');
  let source = '';
  for (const c of s.normalize('NFC')) {
    const base = baseOf(c);
    const letters = BY_BASE.get(base);
    if (letters && base.length === 1) source += `[${letters.join('')}]\\p{M}*`;
    else source += escape(c);
  }
  return new RegExp(`^${source}$`, 'iu');
}

const RANGE = new Set(['$gt', '$gte', '$lt', '$lte']);

/** `filter` with each string equality replaced by the collation's pattern; refuses what it cannot rewrite. */
export function applyCollation(filter: Document, collation: Collation): Document {
  const out: Document = {};
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      out[key] = Array.isArray(condition) ? condition.map((branch) => applyCollation(branch as Document, collation)) : condition;
    } else if (key.startsWith('$')) {
      if (key === '$expr' || key === '$where' || key === '$jsonSchema')
        refuse({ locale: collation.locale, strength: collation.strength }, `${key} does not follow a collation here`);
      out[key] = condition;
    } else {
      out[key] = fieldCondition(condition, collation);
    }
  }
  return out;
}

const isOperatorObject = (value: unknown): value is Document =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof RegExp) &&
  (value as { _bsontype?: unknown })._bsontype === undefined &&
  !(value instanceof Date) &&
  Object.keys(value).some((k) => k.startsWith('$'));

function fieldCondition(condition: unknown, collation: Collation): unknown {
  if (typeof condition === 'string') return { $in: [collation.equalTo(condition)] };
  if (!isOperatorObject(condition)) return condition;
  // Each rewrite below turns one operator into $in/$nin: two of them would merge (an "or").
  if (('$eq' in condition && '$in' in condition) || ('$ne' in condition && '$nin' in condition)) {
    refuse(
      { locale: collation.locale, strength: collation.strength },
      'combining $eq with $in (or $ne with $nin) on one field is not supported with a collation',
    );
  }
  const out: Document = {};
  for (const [op, operand] of Object.entries(condition)) {
    if (op === '$eq' && typeof operand === 'string') out.$in = [...((out.$in as unknown[]) ?? []), collation.equalTo(operand)];
    else if (op === '$ne' && typeof operand === 'string') out.$nin = [...((out.$nin as unknown[]) ?? []), collation.equalTo(operand)];
    else if ((op === '$in' || op === '$nin') && Array.isArray(operand))
      out[op] = [...((out[op] as unknown[]) ?? []), ...operand.map((v) => (typeof v === 'string' ? collation.equalTo(v) : v))];
    else if (RANGE.has(op) && typeof operand === 'string')
      refuse({ locale: collation.locale, strength: collation.strength }, `a string range (${op}) in collation order is not supported`);
    else if (op === '$not' && isOperatorObject(operand)) out.$not = fieldCondition(operand, collation);
    else if (op === '$elemMatch' && operand !== null && typeof operand === 'object')
      out.$elemMatch = isOperatorObject(operand) ? fieldCondition(operand, collation) : applyCollation(operand as Document, collation);
    else if (op === '$all' && Array.isArray(operand) && operand.some((v) => typeof v === 'string'))
      refuse({ locale: collation.locale, strength: collation.strength }, '$all of strings under a collation is not supported');
    else out[op] = operand;
  }
  return out;
}

const CONSTANT_GROUP_ACCUMULATORS = new Set(['$sum', '$count']);

/**
 * A pipeline under a collation: the stages where it is exact here — `$match` (rewritten as
 * find's filter), `$sort` (the collation's order), `$skip`, `$limit`, `$count` and a `$group`
 * on a constant key counting or summing (what countDocuments sends); any other stage would
 * compare strings in binary order, and is refused.
 */
export function collatePipeline(pipeline: Document[], collation: Collation): Document[] {
  return pipeline.map((stage) => {
    const name = Object.keys(stage)[0]!;
    if (name === '$match') return { $match: applyCollation(stage.$match as Document, collation) };
    if (name === '$sort' || name === '$skip' || name === '$limit' || name === '$count') return stage;
    if (name === '$group') {
      const { _id, ...fields } = stage.$group as Document;
      const constantKey = _id === null || typeof _id === 'number' || typeof _id === 'boolean';
      const counting = Object.values(fields).every(
        (spec) =>
          spec !== null &&
          typeof spec === 'object' &&
          Object.keys(spec).length === 1 &&
          CONSTANT_GROUP_ACCUMULATORS.has(Object.keys(spec)[0]!) &&
          typeof Object.values(spec)[0] !== 'string',
      );
      if (constantKey && counting) return stage;
    }
    return refuse(
      { locale: collation.locale, strength: collation.strength },
      `the stage ${name} does not follow a collation here (only $match, $sort, $skip, $limit, $count and a counting $group do)`,
    );
  });
}
