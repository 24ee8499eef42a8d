/**
 * The product catalogue: products generated deterministically from the seed,
 * plus the compact "picker" the activity generator uses to put products in
 * carts millions of times per second without touching the documents.
 *
 * @module
 */
import type { ObjectId } from 'bson';
import { CATEGORY_TREE, type CategoryNode, type PriceRange, type TopCategory } from './catalogue-data.js';
import { assertLocale, DEFAULT_LOCALE } from './names.js';
import { IdKind, idSeconds, makeObjectId, MAX_SEQUENCE } from './object-ids.js';
import { cumulativeWeights, Prng } from './prng.js';
import { assertYear, defaultYear } from './seasonality.js';

/** Default number of products: enough for varied carts, small enough to ship to every worker. */
export const DEFAULT_PRODUCTS = 500;

/**
 * Zipf exponent of product popularity: weight ∝ 1 / rank^s. With s = 0.8 and
 * 500 products the best seller gets ~8% of the picks and the top 10% of
 * products ~40%: a long tail, as in real stores, without one product
 * swallowing the data.
 */
export const ZIPF_EXPONENT = 0.8;

/**
 * Expensive products sell less: popularity is also multiplied by
 * (R$50 / (R$50 + price))^PRICE_DAMPING, so TVs are not bought as often as
 * phone cases and average tickets stay near Brazilian e-commerce's.
 */
export const PRICE_DAMPING = 0.35;

/** Share of products that carry one of their top-level category's tags as an extra category. */
const TAG_RATE = 0.4;
const ADJECTIVE_RATE = 0.7;
const VARIANT_RATE = 0.8;

/** A product document, exactly the `products` shape of docs/DATA-MODEL.md §1. */
export interface ProductDoc {
  _id: ObjectId;
  title: string;
  description: string;
  /** The path in the category tree (2 or 3 names), optionally plus a tag: 2–4 names. */
  categories: string[];
  /** Price in reais with two decimals (= priceCents / 100, exact to the cent). */
  price: number;
}

/**
 * What the activity generator needs to put products in carts: parallel,
 * compact arrays indexed by product number.
 */
export interface CataloguePicker {
  /** Number of products. */
  readonly count: number;
  /** Product ids as 24-hex strings (what cart lines reference). */
  readonly ids: readonly string[];
  /** Prices in whole cents. */
  readonly priceCents: Int32Array;
  /** Prices in reais (priceCents / 100), precomputed so cart lines do no division. */
  readonly prices: Float64Array;
  /** Running sums of the popularity weights, for {@link Prng.weightedIndex}. */
  readonly cumulativeWeights: Float64Array;
}

/**
 * The picker as plain JSON-safe arrays, to send to forked workers over IPC
 * once (typed arrays do not survive the default JSON serialisation).
 */
export interface SerializedCatalogue {
  readonly version: 1;
  readonly ids: string[];
  readonly priceCents: number[];
  readonly cumulativeWeights: number[];
}

/** Options of {@link generateCatalogue}. */
export interface GenerateCatalogueOptions {
  /** The run's seed (a safe integer). */
  seed: number;
  /** Number of products (default {@link DEFAULT_PRODUCTS}). */
  products?: number;
  /**
   * A faker locale key (default `pt_BR`). Validated for consistency with the
   * rest of the run, but the catalogue itself is always the pt_BR store.
   */
  locale?: string;
  /**
   * The year of the orders (default: the last full calendar year). Products
   * get listing dates in the three years before it, which is what their
   * ObjectId timestamps carry. Pass the resolved year for replayable runs.
   */
  year?: number;
}

/** The generated catalogue: documents to insert, and the picker for the workers. */
export interface Catalogue {
  products: ProductDoc[];
  picker: CataloguePicker;
}

/** A leaf of the tree with what products under it need, resolved once. */
interface Leaf {
  readonly top: TopCategory;
  readonly path: readonly string[];
  readonly node: CategoryNode;
  readonly price: PriceRange;
  readonly nouns: readonly string[];
}

function collectLeaves(top: TopCategory): Leaf[] {
  const leaves: Leaf[] = [];
  const walk = (node: CategoryNode, path: string[], price: PriceRange): void => {
    const here = node.price ?? price;
    if (!node.children || node.children.length === 0) {
      if (!node.nouns || node.nouns.length === 0) throw new Error(`category leaf ${path.join(' → ')} has no nouns`);
      leaves.push({ top, path, node, price: here, nouns: node.nouns });
      return;
    }
    for (const child of node.children) walk(child, [...path, child.name], here);
  };
  for (const child of top.children) walk(child, [top.name, child.name], top.price);
  return leaves;
}

const LEAVES_BY_TOP: readonly (readonly Leaf[])[] = CATEGORY_TREE.map(collectLeaves);
const TOP_WEIGHTS = cumulativeWeights(CATEGORY_TREE.map((t) => t.weight));

/**
 * The price range (whole reais, [min, max)) of the tree node a product's
 * categories lead to, or undefined if the path is not in the tree. Tags after
 * the path are ignored.
 */
export function priceRangeOf(categories: readonly string[]): PriceRange | undefined {
  const top = CATEGORY_TREE.find((t) => t.name === categories[0]);
  if (!top) return undefined;
  let node: CategoryNode = top;
  let price: PriceRange = top.price;
  for (const name of categories.slice(1)) {
    const child: CategoryNode | undefined = node.children?.find((c) => c.name === name);
    if (!child) break;
    node = child;
    price = child.price ?? price;
  }
  return node.children ? undefined : price;
}

/**
 * A price in cents, log-uniform in [min, max) reais (cheap items are more
 * numerous, as in real stores), with the psychological endings Brazilian
 * shops use (R$ 49,90 / R$ 49,99 / R$ 49,00).
 */
function drawPriceCents(prng: Prng, [min, max]: PriceRange): number {
  const reais = Math.floor(Math.exp(Math.log(min) + prng.next() * (Math.log(max) - Math.log(min))));
  const ending = prng.next();
  const cents = ending < 0.55 ? 90 : ending < 0.85 ? 99 : 0;
  return Math.min(reais, max - 1) * 100 + cents;
}

function describe(prng: Prng, leaf: Leaf, noun: string, brand: string): string {
  const benefits = leaf.top.benefits;
  const a = Math.floor(prng.next() * benefits.length);
  let b = Math.floor(prng.next() * (benefits.length - 1));
  if (b >= a) b++;
  const line = leaf.path[leaf.path.length - 1] as string;
  return `${noun} ${brand}, da linha ${line}. ${benefits[a] as string} ${benefits[b] as string}`;
}

/**
 * Generates the product catalogue deterministically from the seed: the same
 * options give deep-equal products (ObjectIds included) in any process.
 *
 * Every top-level category gets at least one product when `products` allows it,
 * so every category of the tree can show up in the crunch.
 *
 * @throws RangeError on a non-integer or non-positive product count, an
 *   unsupported year; Error on an unknown locale.
 */
export function generateCatalogue(options: GenerateCatalogueOptions): Catalogue {
  const { seed } = options;
  const count = options.products ?? DEFAULT_PRODUCTS;
  const locale = options.locale ?? DEFAULT_LOCALE;
  const year = options.year ?? defaultYear();
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${String(seed)}`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEQUENCE) {
    throw new RangeError(`products must be a positive integer, got ${String(count)}`);
  }
  assertLocale(locale);
  assertYear(year);

  const prng = Prng.forStream(seed, 'catalogue');
  const listedFrom = Date.UTC(year - 3, 0, 1);
  const listedSpan = Date.UTC(year, 0, 1) - listedFrom;

  const products: ProductDoc[] = new Array<ProductDoc>(count);
  const ids: string[] = new Array<string>(count);
  const priceCents = new Int32Array(count);
  const titles = new Set<string>();

  for (let i = 0; i < count; i++) {
    const topIndex = i < CATEGORY_TREE.length ? i : prng.weightedIndex(TOP_WEIGHTS);
    const top = CATEGORY_TREE[topIndex] as TopCategory;
    const leaf = prng.pick(LEAVES_BY_TOP[topIndex] as readonly Leaf[]);

    const noun = prng.pick(leaf.nouns);
    const brand = prng.pick(top.brands);
    const parts = [noun, brand];
    if (prng.chance(ADJECTIVE_RATE)) parts.push(prng.pick(leaf.node.adjectives ?? top.adjectives));
    if (leaf.node.variants && prng.chance(VARIANT_RATE)) parts.push(prng.pick(leaf.node.variants));
    let title = parts.join(' ');
    // Two products with one title would confuse anyone browsing the data.
    for (let n = 2; titles.has(title); n++) title = `${parts.join(' ')} - Modelo ${n}`;
    titles.add(title);

    const categories = [...leaf.path];
    if (prng.chance(TAG_RATE)) {
      const tag = prng.pick(top.tags);
      if (!categories.includes(tag)) categories.push(tag);
    }

    const cents = drawPriceCents(prng, leaf.price);
    const listedAt = listedFrom + Math.floor(prng.next() * listedSpan);
    const _id = makeObjectId(idSeconds(listedAt), IdKind.product, 0, i);

    products[i] = {
      _id,
      title,
      description: describe(prng, leaf, noun, brand),
      categories,
      price: cents / 100,
    };
    ids[i] = _id.toHexString();
    priceCents[i] = cents;
  }

  // Popularity: Zipf over a random ranking (so best sellers are spread over
  // categories), damped by price.
  const ranks = prng.shuffle(Array.from({ length: count }, (_, i) => i));
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const reais = (priceCents[i] as number) / 100;
    weights[i] = Math.pow(1 / ((ranks[i] as number) + 1), ZIPF_EXPONENT) * Math.pow(50 / (50 + reais), PRICE_DAMPING);
  }

  return { products, picker: makePicker(ids, priceCents, cumulativeWeights(weights)) };
}

function makePicker(ids: string[], priceCents: Int32Array, cumulative: Float64Array): CataloguePicker {
  const prices = new Float64Array(priceCents.length);
  for (let i = 0; i < prices.length; i++) prices[i] = (priceCents[i] as number) / 100;
  return { count: ids.length, ids, priceCents, prices, cumulativeWeights: cumulative };
}

/** The picker as plain arrays, for IPC (see {@link pickerFromSerialized}). */
export function serializePicker(picker: CataloguePicker): SerializedCatalogue {
  return {
    version: 1,
    ids: [...picker.ids],
    priceCents: Array.from(picker.priceCents),
    cumulativeWeights: Array.from(picker.cumulativeWeights),
  };
}

const HEX24 = /^[0-9a-f]{24}$/;

/**
 * Rebuilds the picker a worker uses from {@link serializePicker}'s output,
 * validating it (a malformed message must fail loudly, not generate garbage).
 *
 * Doubles survive JSON exactly (shortest round-trip representation), so the
 * rebuilt picker draws exactly what the parent's would.
 *
 * @throws Error describing the first problem found.
 */
export function pickerFromSerialized(data: SerializedCatalogue): CataloguePicker {
  if (data?.version !== 1) throw new Error('serialized catalogue: unsupported or missing version');
  const { ids, priceCents, cumulativeWeights: cum } = data;
  const n = ids?.length;
  if (!Array.isArray(ids) || n === 0 || !Array.isArray(priceCents) || !Array.isArray(cum) || priceCents.length !== n || cum.length !== n) {
    throw new Error('serialized catalogue: ids, priceCents and cumulativeWeights must be non-empty arrays of one length');
  }
  let previous = 0;
  for (let i = 0; i < n; i++) {
    if (typeof ids[i] !== 'string' || !HEX24.test(ids[i] as string)) throw new Error(`serialized catalogue: id ${i} is not 24 lower-case hex digits`);
    const c = priceCents[i];
    if (!Number.isInteger(c) || (c as number) < 0 || (c as number) > 0x7fffffff)
      throw new Error(`serialized catalogue: priceCents ${i} is not a non-negative int32`);
    const w = cum[i] as number;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < previous)
      throw new Error(`serialized catalogue: cumulativeWeights must be finite and non-decreasing (index ${i})`);
    previous = w;
  }
  if (!(previous > 0)) throw new Error('serialized catalogue: total weight must be positive');
  return makePicker([...ids], Int32Array.from(priceCents), Float64Array.from(cum));
}
