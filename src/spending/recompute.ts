/**
 * An independent, plain-TypeScript computation of the `customer_spending` documents from the
 * raw collections, for tests to compare with what the crunch pipeline wrote.
 *
 * It deliberately shares no code with `pipeline/` (nor its approach: it indexes the
 * collections in maps and walks users → orders → cart → lines). It follows docs/DATA-MODEL.md §4 and the
 * same rounding rule:
 *   - an order's amount is its cart's `amount`, in cents rounded half to even;
 *   - a line's amount is price × quantity, in cents rounded half to even, counted in every
 *     category listed by its product (once per entry of `categories`);
 *   - sums are exact sums of cents; amounts are cents / 100;
 *   - averages are round-half-even(yearly cents / 12) / 100.
 * Only orders whose `created_at` is a Date in the UTC year count; an order whose cart is
 * missing counts nowhere; a line whose product is missing counts in no category; orders
 * of customer ids that are not in `users` are ignored. One document per distinct user
 * `customer_id` (the first user wins if the data breaks the uniqueness invariant).
 */
import { MONTH_KEYS, type CategorizedMonths, type CustomerSpending, type MonthlyAmounts } from './months.js';

/** Any document as read from the database: an ObjectId, a hex string... */
type Doc = Record<string, unknown>;

export interface RecomputeInput {
  users: readonly Doc[];
  products: readonly Doc[];
  carts: readonly Doc[];
  orders: readonly Doc[];
  year: number;
}

/** A reference as a lowercase hex string: ObjectIds (anything with toHexString) or strings. */
function refKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'object' && value !== null && 'toHexString' in value) {
    const hex = (value as { toHexString: unknown }).toHexString;
    if (typeof hex === 'function') return String(hex.call(value)).toLowerCase();
  }
  return undefined;
}

/** Rounds a double to the nearest integer, ties to even (on its exact binary value). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && !Number.isNaN(value) ? value : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Cents of an amount; a missing or non-numeric amount counts 0. */
function cents(amount: number | undefined): number {
  return amount === undefined ? 0 : roundHalfEven(amount * 100);
}

interface CustomerTotals {
  months: Map<number, number>; // month index 0..11 → cents
  categoriesByMonth: Map<number, Map<string, number>>; // month → category → cents
}

export function recomputeSpending(input: RecomputeInput): CustomerSpending[] {
  const { year } = input;
  const yearStart = new Date(0);
  yearStart.setUTCFullYear(year, 0, 1);
  const yearEnd = new Date(0);
  yearEnd.setUTCFullYear(year + 1, 0, 1);

  const productsById = new Map<string, Doc>();
  for (const product of input.products) {
    const key = refKey(product._id);
    if (key !== undefined && !productsById.has(key)) productsById.set(key, product);
  }
  const cartsById = new Map<string, Doc>();
  for (const cart of input.carts) {
    const key = refKey(cart._id);
    if (key !== undefined && !cartsById.has(key)) cartsById.set(key, cart);
  }

  const totals = new Map<string, CustomerTotals>();
  for (const order of input.orders) {
    const createdAt = order.created_at;
    if (!(createdAt instanceof Date)) continue;
    const time = createdAt.getTime();
    if (time < yearStart.getTime() || time >= yearEnd.getTime()) continue;
    const customerId = order.customer_id;
    if (typeof customerId !== 'string') continue;
    const cartKey = refKey(order.cart_id);
    const cart = cartKey === undefined ? undefined : cartsById.get(cartKey);
    if (cart === undefined) continue;

    const month = createdAt.getUTCMonth();
    let customer = totals.get(customerId);
    if (customer === undefined) {
      customer = { months: new Map(), categoriesByMonth: new Map() };
      totals.set(customerId, customer);
    }
    customer.months.set(month, (customer.months.get(month) ?? 0) + cents(num(cart.amount)));

    let categories = customer.categoriesByMonth.get(month);
    if (categories === undefined) {
      categories = new Map();
      customer.categoriesByMonth.set(month, categories);
    }
    for (const line of asArray(cart.products)) {
      if (typeof line !== 'object' || line === null) continue;
      const { product_id: productId, price, quantity } = line as Doc;
      const productKey = refKey(productId);
      const product = productKey === undefined ? undefined : productsById.get(productKey);
      if (product === undefined) continue;
      const p = num(price);
      const q = num(quantity);
      const lineCents = p === undefined || q === undefined ? 0 : cents(p * q);
      const productCategories = product.categories;
      // A scalar `categories` counts as a one-element list (as `$unwind` treats it).
      const list = Array.isArray(productCategories) ? productCategories : productCategories == null ? [] : [productCategories];
      for (const category of list) {
        if (typeof category !== 'string') continue;
        categories.set(category, (categories.get(category) ?? 0) + lineCents);
      }
    }
  }

  const out: CustomerSpending[] = [];
  const seen = new Set<string>();
  for (const user of input.users) {
    const customerId = user.customer_id;
    if (typeof customerId !== 'string' || seen.has(customerId)) continue;
    seen.add(customerId);
    const customer = totals.get(customerId);

    const monthly = {} as MonthlyAmounts;
    const categorized = {} as CategorizedMonths;
    const yearByCategory = new Map<string, number>();
    let yearCents = 0;
    MONTH_KEYS.forEach((key, month) => {
      const monthCents = customer?.months.get(month) ?? 0;
      yearCents += monthCents;
      monthly[key] = monthCents / 100;
      const byCategory: Record<string, number> = {};
      const categories = customer?.categoriesByMonth.get(month);
      for (const name of [...(categories?.keys() ?? [])].sort()) {
        const value = categories?.get(name) ?? 0;
        byCategory[name] = value / 100;
        yearByCategory.set(name, (yearByCategory.get(name) ?? 0) + value);
      }
      categorized[key] = byCategory;
    });
    const categoryAverages: Record<string, number> = {};
    for (const name of [...yearByCategory.keys()].sort()) {
      categoryAverages[name] = roundHalfEven((yearByCategory.get(name) ?? 0) / 12) / 100;
    }

    const details = (typeof user.details === 'object' && user.details !== null ? user.details : {}) as Doc;
    out.push({
      _id: customerId,
      customer_id: customerId,
      email: user.email as string,
      year,
      details: { first_name: details.first_name as string, last_name: details.last_name as string },
      monthly_spenses: monthly,
      categorized_monthly_expenses: categorized,
      monthly_avg_expense: roundHalfEven(yearCents / 12) / 100,
      categorized_monthly_avg_expense: categoryAverages,
    });
  }
  return out;
}
