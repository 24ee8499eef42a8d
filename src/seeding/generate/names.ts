/**
 * Customer identities (first name, last name, email) drawn from faker's locale
 * definitions at millions per second.
 *
 * Why not faker's API per user: it runs at ~100k names/s and carries its own
 * random state; we need millions/s and our own per-chunk PRNG. So the raw
 * lists are read once per locale into pools (with their email slugs
 * precomputed), and each user costs a handful of PRNG draws and one string
 * concatenation.
 *
 * Why composition: faker's pt_BR lists hold ~169 first names and 21 last
 * names (3.5k combinations), so 100k customers would be the same people over
 * and over. Brazilians commonly carry a compound first name ("Maria Eduarda")
 * and two surnames ("Souza Carvalho", "Costa da Silva"); composing those gives
 * millions of plausible full names.
 *
 * @module
 */
import { allLocales, type LocaleDefinition } from '@faker-js/faker';
import { cumulativeWeights, type Prng } from './prng.js';

/** The default locale (docs/DATA-MODEL.md §6). */
export const DEFAULT_LOCALE = 'pt_BR';

/** How a locale composes names. */
export interface NameStyle {
  /** Probability of a second given name when the first is a single word ("Maria" → "Maria Eduarda"). */
  readonly middleNameRate: number;
  /** Probability of two surnames. */
  readonly twoSurnamesRate: number;
  /** Between two surnames: a space in Iberian usage, a hyphen elsewhere. */
  readonly surnameJoiner: string;
  /** Particles placed before a second surname ("Costa da Silva"), by surname. */
  readonly particles: Readonly<Record<string, string>>;
  /** Probability of using the particle when a surname has one. */
  readonly particleRate: number;
}

const PORTUGUESE_STYLE: NameStyle = {
  middleNameRate: 0.3,
  twoSurnamesRate: 0.7,
  surnameJoiner: ' ',
  particles: {
    Silva: 'da',
    Santos: 'dos',
    Oliveira: 'de',
    Souza: 'de',
    Costa: 'da',
    Moraes: 'de',
    Melo: 'de',
    Barros: 'de',
    Reis: 'dos',
    Carvalho: 'de',
    Nogueira: 'da',
  },
  particleRate: 0.35,
};
const SPANISH_STYLE: NameStyle = {
  middleNameRate: 0.2,
  twoSurnamesRate: 0.85,
  surnameJoiner: ' ',
  particles: {},
  particleRate: 0,
};
const DEFAULT_STYLE: NameStyle = {
  middleNameRate: 0.12,
  twoSurnamesRate: 0.12,
  surnameJoiner: '-',
  particles: {},
  particleRate: 0,
};

/** Email providers Brazilians use, with rough market shares. */
const BRAZILIAN_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['gmail.com', 48],
  ['hotmail.com', 18],
  ['outlook.com', 9],
  ['yahoo.com.br', 7],
  ['uol.com.br', 4],
  ['bol.com.br', 4],
  ['icloud.com', 4],
  ['terra.com.br', 2],
  ['live.com', 2],
  ['ig.com.br', 1],
  ['globo.com', 1],
];

/** Given names or surnames of one gender, with their email slugs. */
export interface NameList {
  /** Display forms ("Ana Clara"). */
  readonly names: readonly string[];
  /** Email slugs, same order ("anaclara"): lower-case ASCII letters, possibly empty for non-Latin scripts. */
  readonly slugs: readonly string[];
  /** Indices of single-word names, the candidates for a second given name. */
  readonly singleWord: readonly number[];
}

/** Everything needed to draw identities for one locale. Build once with {@link buildNamePools}. */
export interface NamePools {
  readonly locale: string;
  readonly style: NameStyle;
  readonly female: { readonly first: NameList; readonly last: NameList };
  readonly male: { readonly first: NameList; readonly last: NameList };
  readonly domains: readonly string[];
  readonly domainCumulativeWeights: Float64Array;
}

/** A drawn identity, fields named as the `details` of a user (docs/DATA-MODEL.md §1). */
export interface PersonName {
  first_name: string;
  last_name: string;
  email: string;
}

/** The faker locale keys that can be used (all of faker's, including fallback-only ones such as `en_US`). */
export function listLocales(): string[] {
  return Object.keys(allLocales)
    .filter((k) => k !== 'base')
    .sort();
}

/**
 * Throws a clear error unless `locale` is a faker locale key.
 * @throws Error listing some valid keys.
 */
export function assertLocale(locale: string): void {
  if (typeof locale !== 'string' || locale === 'base' || !Object.hasOwn(allLocales, locale)) {
    const some = ['pt_BR', 'pt_PT', 'en', 'en_US', 'es', 'es_MX', 'fr', 'de', 'it', 'ja'];
    throw new Error(`Unknown locale ${JSON.stringify(locale)}: use a faker locale key such as ${some.join(', ')} ` + `(${listLocales().length} available)`);
  }
}

/**
 * Lower-case ASCII letters of a name, for email addresses: accents stripped
 * (NFD then diacritics removed), everything else dropped. "Conceição" → "conceicao".
 */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[æ]/g, 'ae')
    .replace(/[øœ]/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/[^a-z]/g, '');
}

type RawNames = { generic?: string[]; female?: string[]; male?: string[] } | string[] | undefined;

/** Faker's own fallback order: the locale, its language (`en_CA` → `en`), then `en`. */
function fallbackChain(locale: string): LocaleDefinition[] {
  const keys = [locale];
  const language = locale.split('_')[0] ?? locale;
  if (language !== locale) keys.push(language);
  if (!keys.includes('en')) keys.push('en');
  const defs = allLocales as unknown as Record<string, LocaleDefinition | undefined>;
  return keys.map((k) => defs[k]).filter((d): d is LocaleDefinition => d !== undefined);
}

/** The first definition along the chain that has a non-empty list, split by gender (generic names go to both). */
function genderedList(chain: LocaleDefinition[], read: (def: LocaleDefinition) => RawNames): { female: string[]; male: string[] } {
  for (const def of chain) {
    const raw = read(def);
    if (!raw) continue;
    if (Array.isArray(raw)) {
      if (raw.length > 0) return { female: [...raw], male: [...raw] };
      continue;
    }
    const generic = raw.generic ?? [];
    const female = [...(raw.female ?? []), ...generic];
    const male = [...(raw.male ?? []), ...generic];
    if (female.length > 0 && male.length > 0) return { female, male };
    if (female.length + male.length > 0) {
      const all = [...female, ...male];
      return { female: female.length ? female : all, male: male.length ? male : all };
    }
  }
  throw new Error('faker locale definitions lack person names even in "en"');
}

function nameList(names: string[]): NameList {
  const unique = [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0))];
  return {
    names: unique,
    slugs: unique.map(slugify),
    singleWord: unique.flatMap((n, i) => (n.includes(' ') ? [] : [i])),
  };
}

function styleFor(locale: string): NameStyle {
  const language = locale.split('_')[0];
  if (language === 'pt') return PORTUGUESE_STYLE;
  if (language === 'es') return SPANISH_STYLE;
  return DEFAULT_STYLE;
}

function domainsFor(locale: string, chain: LocaleDefinition[]): { domains: string[]; weights: number[] } {
  if (locale === 'pt_BR') {
    return { domains: BRAZILIAN_DOMAINS.map(([d]) => d), weights: BRAZILIAN_DOMAINS.map(([, w]) => w) };
  }
  for (const def of chain) {
    const list = def.internet?.free_email;
    if (list && list.length > 0) {
      // gmail dominates everywhere; give it triple weight when the locale lists it.
      return { domains: [...list], weights: list.map((d) => (d === 'gmail.com' ? 3 : 1)) };
    }
  }
  return { domains: ['gmail.com', 'hotmail.com', 'yahoo.com'], weights: [3, 1, 1] };
}

const poolCache = new Map<string, NamePools>();

/**
 * Reads a faker locale's name and email-domain definitions into pools (cached
 * per locale; pure, so every worker building its own gets the same pools).
 *
 * @param locale - A faker locale key, e.g. `pt_BR` (default), `en`, `de`.
 * @throws Error on an unknown locale, listing valid ones.
 */
export function buildNamePools(locale: string = DEFAULT_LOCALE): NamePools {
  const cached = poolCache.get(locale);
  if (cached) return cached;
  assertLocale(locale);
  const chain = fallbackChain(locale);
  const first = genderedList(chain, (d) => d.person?.first_name as RawNames);
  const last = genderedList(chain, (d) => d.person?.last_name as RawNames);
  const { domains, weights } = domainsFor(locale, chain);
  const pools: NamePools = {
    locale,
    style: styleFor(locale),
    female: { first: nameList(first.female), last: nameList(last.female) },
    male: { first: nameList(first.male), last: nameList(last.male) },
    domains,
    domainCumulativeWeights: cumulativeWeights(weights),
  };
  poolCache.set(locale, pools);
  return pools;
}

// --- email suffixes -------------------------------------------------------

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];
/** Bits needed to hold 10^w − 1, per width w. */
const BITS = POW10.map((p) => Math.max(1, Math.ceil(Math.log2(p))));
const MIN_SUFFIX_DIGITS = 3;

/** A bijection on [0, 2^bits): xor-shift and odd-multiply steps are each invertible modulo 2^bits. */
function scramble(x: number, bits: number): number {
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  const half = bits >>> 1 || 1;
  x = Math.imul(x ^ 0x5bd1e995, 0x2c1b3c6d) & mask; // xor by a constant then odd multiply
  x ^= x >>> half;
  x = Math.imul(x, 0x297a2d39) & mask;
  x ^= x >>> half;
  return x >>> 0;
}

/**
 * The digits appended to a customer's email, derived from the customer's
 * GLOBAL index so that emails are unique across chunks and workers whatever
 * the names drawn.
 *
 * Why it is injective: indices below 1000 get 3 digits, and indices with d > 3
 * decimal digits get exactly d digits (zero-padded), so two indices of
 * different widths give strings of different lengths; within one width the
 * value is a permutation of [0, 10^d) (a bijection on [0, 2^b) restricted by
 * cycle walking), so two indices of the same width give different values.
 * Why scrambled: "maria.souza4821" reads like a person's address;
 * "maria.souza0000017" reads like a test fixture.
 *
 * @param index - The customer's global index, 0 ≤ index < 10^9 (beyond that the
 *   plain index is used, still unique).
 */
export function emailSuffix(index: number): string {
  let width = MIN_SUFFIX_DIGITS;
  while (width < POW10.length && index >= (POW10[width] as number)) width++;
  if (width >= POW10.length) return String(index);
  const limit = POW10[width] as number;
  const bits = BITS[width] as number;
  let x = scramble(index, bits);
  while (x >= limit) x = scramble(x, bits); // cycle walking: stays a permutation of [0, limit)
  return String(x).padStart(width, '0');
}

// --- drawing --------------------------------------------------------------

/** When a locale's script has no Latin letters, the email still needs a readable local part. */
const FALLBACK_SLUG = 'cliente';

/**
 * Draws one customer's identity: gender, given names (sometimes two), one or
 * two surnames, and an email derived from them plus {@link emailSuffix}.
 *
 * About 8–10 PRNG draws and a few short string concatenations: no faker call,
 * no Unicode normalisation (slugs are precomputed).
 *
 * @param prng - The chunk's stream.
 * @param pools - From {@link buildNamePools}.
 * @param globalIndex - The customer's index over the whole run (for the email suffix).
 */
export function drawPerson(prng: Prng, pools: NamePools, globalIndex: number): PersonName {
  const g = prng.next() < 0.5 ? pools.female : pools.male;
  const style = pools.style;
  const firsts = g.first;
  const lasts = g.last;

  const fi = Math.floor(prng.next() * firsts.names.length);
  let firstName = firsts.names[fi] as string;
  const firstSlug = firsts.slugs[fi] as string;
  if (prng.next() < style.middleNameRate && firsts.singleWord.length > 1 && !firstName.includes(' ')) {
    const mi = firsts.singleWord[Math.floor(prng.next() * firsts.singleWord.length)] as number;
    if (mi !== fi) firstName = `${firstName} ${firsts.names[mi] as string}`;
  }

  const li = Math.floor(prng.next() * lasts.names.length);
  let lastName = lasts.names[li] as string;
  let lastSlug = lasts.slugs[li] as string;
  if (prng.next() < style.twoSurnamesRate && lasts.names.length > 1) {
    let si = Math.floor(prng.next() * (lasts.names.length - 1));
    if (si >= li) si++; // a different second surname, without a retry loop
    const second = lasts.names[si] as string;
    const particle = style.particles[second];
    const joiner = particle !== undefined && prng.next() < style.particleRate ? ` ${particle} ` : style.surnameJoiner;
    lastName = `${lastName}${joiner}${second}`;
    lastSlug = lasts.slugs[si] as string; // people use their final surname in emails
  }

  const f = firstSlug || FALLBACK_SLUG;
  const l = lastSlug || FALLBACK_SLUG;
  // Local-part shapes seen in real addresses. The name part never ends in a
  // digit, so the trailing digit run is exactly the unique suffix.
  const shape = prng.next();
  let local: string;
  if (shape < 0.4) local = `${f}.${l}`;
  else if (shape < 0.6) local = `${f}${l}`;
  else if (shape < 0.7) local = `${f}_${l}`;
  else if (shape < 0.8) local = `${f.charAt(0)}${l}`;
  else if (shape < 0.9) local = `${l}.${f}`;
  else local = f;
  if (!firstSlug && !lastSlug) local = FALLBACK_SLUG;
  const domain = pools.domains[prng.weightedIndex(pools.domainCumulativeWeights)] as string;
  return {
    first_name: firstName,
    last_name: lastName,
    email: `${local}${emailSuffix(globalIndex)}@${domain}`,
  };
}
