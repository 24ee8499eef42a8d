/**
 * The `activity` documents: one per customer, with the customer's identity and
 * carts, each cart carrying its order or null. The split aggregations (docs/ARCHITECTURE.md
 * §4.4) turn them into `users`, `carts` and `orders`.
 *
 * Why one generator per chunk of customers: a chunk's output depends only on
 * (seed, chunkIndex, chunkSize, options, catalogue), through its own PRNG
 * stream and its own ObjectId space, so workers can take chunks in any order
 * and seeded runs are byte-identical whatever the worker count.
 *
 * Why it is written plainly (counters, small scratch arrays, no closures in the
 * loop): it must produce hundreds of thousands of customers per second on one
 * core so that the database, not the generator, is the bottleneck.
 *
 * @module
 */
import type { ObjectId } from 'bson';
import type { CataloguePicker } from './catalogue.js';
import { drawPerson, type NamePools } from './names.js';
import { assertIdRanges, IdKind, makeObjectId } from './object-ids.js';
import { cumulativeWeights, Prng } from './prng.js';
import { assertYear, drawInstant, seasonalCalendar } from './seasonality.js';

/** Customers per chunk by default: big enough to amortise per-chunk setup, small enough for smooth progress. */
export const DEFAULT_CHUNK_SIZE = 1000;

/** Share of customers who never ordered (some still left abandoned carts). */
export const NO_ORDER_RATE = 0.15;
/** Share of customers who are heavy buyers (60–100% of the maximum order count). */
export const HEAVY_BUYER_RATE = 0.06;
/** Ratio of the geometric decay of light buyers' order counts: P(k+1) = 0.6 × P(k). */
const LIGHT_BUYER_DECAY = 0.6;
/** Chance that each order comes with an abandoned cart as well (≈ 25% of carts end up abandoned). */
const ABANDON_PER_ORDER = 0.3;
/** Chance that a customer without orders has (at least) one abandoned cart; then again for a second one. */
const ABANDON_WITHOUT_ORDER = 0.45;
/** Lines per cart, 1 to 5: mostly 1–2. */
const LINE_COUNT_WEIGHTS = cumulativeWeights([0.5, 0.28, 0.12, 0.06, 0.04]);
/** Quantity per line, 1 to 3: mostly 1. */
const QUANTITY_WEIGHTS = cumulativeWeights([0.82, 0.13, 0.05]);
/** A cart is created 2–90 minutes before its order. */
const CART_LEAD_MIN_MS = 2 * 60_000;
const CART_LEAD_SPAN_MS = 88 * 60_000;
/** Customers register up to this many years before the orders' year. */
const REGISTRATION_YEARS_BEFORE = 3;

/** One cart line, as in `carts.products`. */
export interface ActivityLine {
  /** The product's `_id` as 24 hex digits. */
  product_id: string;
  /** The product's catalogue price in reais (2 decimals). */
  price: number;
  quantity: number;
}

/** The order that closed a cart. */
export interface ActivityOrder {
  _id: ObjectId;
  /** A UTC instant inside the chosen year. */
  created_at: Date;
}

/** A cart, with its order or null when abandoned. */
export interface ActivityCart {
  _id: ObjectId;
  products: ActivityLine[];
  /** Σ price × quantity, computed in integer cents then divided by 100 (exact to the cent). */
  amount: number;
  order: ActivityOrder | null;
}

/** One `activity` document: the user's fields plus its carts (docs/DATA-MODEL.md §1). */
export interface ActivityDoc {
  _id: ObjectId;
  /** `_id` as 24 hex digits. */
  customer_id: string;
  email: string;
  details: { first_name: string; last_name: string; full_name: null };
  carts: ActivityCart[];
}

/** Inputs of {@link generateActivityChunk}. */
export interface ActivityChunkParams {
  /** The run's seed (a safe integer). */
  seed: number;
  /** Which chunk: customers [chunkIndex × chunkSize, …). */
  chunkIndex: number;
  /** Customers per chunk (the last chunk may be shorter). */
  chunkSize: number;
  /** Customers in the whole run. */
  userCount: number;
  /** No customer gets more orders than this. */
  maxOrdersPerUser: number;
  /** The calendar year (UTC) of every order. */
  year: number;
  /** From `generateCatalogue(...).picker` or `pickerFromSerialized(...)`. */
  picker: CataloguePicker;
  /** From `buildNamePools(locale)`. */
  names: NamePools;
}

/** Number of chunks needed for `userCount` customers. */
export function chunkCount(userCount: number, chunkSize: number): number {
  return Math.ceil(userCount / chunkSize);
}

function assertParams(p: ActivityChunkParams): void {
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  };
  int('seed', p.seed, Number.MIN_SAFE_INTEGER);
  int('chunkSize', p.chunkSize, 1);
  int('chunkIndex', p.chunkIndex, 0);
  int('userCount', p.userCount, 0);
  int('maxOrdersPerUser', p.maxOrdersPerUser, 0);
  assertYear(p.year);
  const chunks = chunkCount(p.userCount, p.chunkSize);
  if (p.chunkIndex >= chunks) {
    throw new RangeError(`chunkIndex ${p.chunkIndex} is past the last chunk (${chunks} chunks of ${p.chunkSize} for ${p.userCount} users)`);
  }
  if (!p.picker || p.picker.count < 1) throw new RangeError('the catalogue must hold at least one product');
  if (!p.names) throw new RangeError('names: pass buildNamePools(locale)');
  // Carts per chunk are bounded by chunkSize × (2 × maxOrders + 2): each order brings at most one abandoned cart.
  assertIdRanges(p.chunkIndex, p.chunkSize * (2 * p.maxOrdersPerUser + 2));
}

/**
 * Cumulative weights of the order count 0 … max: NO_ORDER_RATE of customers
 * order nothing, HEAVY_BUYER_RATE are heavy buyers (uniform over the top 40% of
 * counts), the rest decay geometrically from 1 (many light buyers).
 */
function orderCountWeights(max: number): Float64Array {
  const w = new Float64Array(max + 1);
  if (max === 0) {
    w[0] = 1;
    return cumulativeWeights(w);
  }
  w[0] = NO_ORDER_RATE;
  let geometricSum = 0;
  for (let k = 1; k <= max; k++) geometricSum += Math.pow(LIGHT_BUYER_DECAY, k - 1);
  const light = 1 - NO_ORDER_RATE - HEAVY_BUYER_RATE;
  for (let k = 1; k <= max; k++) w[k] = (light * Math.pow(LIGHT_BUYER_DECAY, k - 1)) / geometricSum;
  const heavyFrom = Math.max(1, Math.ceil(max * 0.6));
  for (let k = heavyFrom; k <= max; k++) w[k] = (w[k] as number) + HEAVY_BUYER_RATE / (max - heavyFrom + 1);
  return cumulativeWeights(w);
}

/**
 * Generates the `activity` documents of one chunk: customers
 * [chunkIndex × chunkSize, min((chunkIndex + 1) × chunkSize, userCount)).
 *
 * Deterministic: the output depends only on the parameters (deep-equal,
 * ObjectIds included, for equal parameters), never on other chunks, the
 * process or the clock.
 *
 * @throws RangeError on invalid parameters (non-integers, a chunk past the end,
 *   an empty catalogue, an unsupported year...).
 */
export function generateActivityChunk(params: ActivityChunkParams): ActivityDoc[] {
  assertParams(params);
  const { seed, chunkIndex, chunkSize, userCount, maxOrdersPerUser, year, picker, names } = params;

  const prng = Prng.forStream(seed, 'activity', chunkIndex);
  const calendar = seasonalCalendar(year);
  const orderCounts = orderCountWeights(maxOrdersPerUser);
  const registrationFrom = Date.UTC(year - REGISTRATION_YEARS_BEFORE, 0, 1);

  const productIds = picker.ids;
  const prices = picker.prices;
  const priceCents = picker.priceCents;
  const popularity = picker.cumulativeWeights;
  const productCount = picker.count;
  const maxLines = Math.min(5, productCount);

  // Scratch for one customer's sessions (a cart and maybe its order), sorted by date.
  const maxSessions = 2 * maxOrdersPerUser + 2;
  const sessionMs = new Float64Array(maxSessions);
  const sessionOrdered = new Uint8Array(maxSessions);
  const picked = new Int32Array(5);

  const first = chunkIndex * chunkSize;
  const end = Math.min(first + chunkSize, userCount);
  const docs: ActivityDoc[] = [];
  let cartSeq = 0;
  let orderSeq = 0;

  for (let u = first; u < end; u++) {
    const person = drawPerson(prng, names, u);

    // How many orders, and how many carts left behind.
    const orders = prng.weightedIndex(orderCounts);
    let abandoned = 0;
    if (orders === 0) {
      if (prng.next() < ABANDON_WITHOUT_ORDER) abandoned = prng.next() < ABANDON_WITHOUT_ORDER ? 2 : 1;
    } else {
      for (let k = 0; k < orders; k++) if (prng.next() < ABANDON_PER_ORDER) abandoned++;
    }
    const sessions = orders + abandoned;

    // Dates, then an insertion sort (≤ 14 items) so carts read chronologically.
    for (let i = 0; i < sessions; i++) {
      const ms = drawInstant(prng, calendar);
      const ordered = i < orders ? 1 : 0;
      let j = i;
      while (j > 0 && (sessionMs[j - 1] as number) > ms) {
        sessionMs[j] = sessionMs[j - 1] as number;
        sessionOrdered[j] = sessionOrdered[j - 1] as number;
        j--;
      }
      sessionMs[j] = ms;
      sessionOrdered[j] = ordered;
    }

    const carts: ActivityCart[] = [];
    let firstCartMs = calendar.endMs;
    for (let i = 0; i < sessions; i++) {
      const ms = sessionMs[i] as number;
      const ordered = sessionOrdered[i] === 1;

      // Lines: distinct products drawn by popularity.
      const lineCount = Math.min(prng.weightedIndex(LINE_COUNT_WEIGHTS) + 1, maxLines);
      const lines: ActivityLine[] = [];
      let amountCents = 0;
      for (let l = 0; l < lineCount; l++) {
        let p = prng.weightedIndex(popularity);
        for (let attempt = 0; isPicked(picked, l, p); attempt++) {
          // Skewed popularity makes repeats common; after a few redraws take the
          // next free product so tiny catalogues cannot loop for long.
          p = attempt < 8 ? prng.weightedIndex(popularity) : (p + 1) % productCount;
        }
        picked[l] = p;
        const quantity = prng.weightedIndex(QUANTITY_WEIGHTS) + 1;
        amountCents += (priceCents[p] as number) * quantity;
        lines.push({ product_id: productIds[p] as string, price: prices[p] as number, quantity });
      }

      const cartMs = ordered ? ms - CART_LEAD_MIN_MS - Math.floor(prng.next() * CART_LEAD_SPAN_MS) : ms;
      if (cartMs < firstCartMs) firstCartMs = cartMs;
      carts.push({
        _id: makeObjectId(Math.floor(cartMs / 1000), IdKind.cart, chunkIndex, cartSeq++),
        products: lines,
        amount: amountCents / 100,
        order: ordered ? { _id: makeObjectId(Math.floor(ms / 1000), IdKind.order, chunkIndex, orderSeq++), created_at: new Date(ms) } : null,
      });
    }

    // Registered some time in the three years before, and before the first cart.
    const registeredMs = registrationFrom + Math.floor(prng.next() * (firstCartMs - registrationFrom));
    const _id = makeObjectId(Math.floor(registeredMs / 1000), IdKind.user, chunkIndex, u - first);
    docs.push({
      _id,
      customer_id: _id.toHexString(),
      email: person.email,
      details: { first_name: person.first_name, last_name: person.last_name, full_name: null },
      carts,
    });
  }
  return docs;
}

function isPicked(picked: Int32Array, count: number, p: number): boolean {
  for (let i = 0; i < count; i++) if (picked[i] === p) return true;
  return false;
}
