import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildNamePools,
  chunkCount,
  generateActivityChunk,
  generateCatalogue,
  pickerFromSerialized,
  serializePicker,
  type ActivityCart,
  type ActivityChunkParams,
  type ActivityDoc,
  type SerializedCatalogue,
} from '../../../src/seeding/generate/index.js';

const YEAR = 2024;
const SEED = 20240501;
const MAX_ORDERS = 6;
const catalogue = generateCatalogue({ seed: SEED, year: YEAR });
const picker = catalogue.picker;
const names = buildNamePools('pt_BR');
const productById = new Map(catalogue.products.map((p) => [p._id.toHexString(), p]));

const base = (over: Partial<ActivityChunkParams> = {}): ActivityChunkParams => ({
  seed: SEED,
  chunkIndex: 0,
  chunkSize: 1000,
  userCount: 100_000,
  maxOrdersPerUser: MAX_ORDERS,
  year: YEAR,
  picker,
  names,
  ...over,
});

/** All customers of a run, chunk by chunk. */
function generateAll(over: Partial<ActivityChunkParams> = {}): ActivityDoc[] {
  const p = base(over);
  const docs: ActivityDoc[] = [];
  for (let c = 0; c < chunkCount(p.userCount, p.chunkSize); c++) docs.push(...generateActivityChunk({ ...p, chunkIndex: c }));
  return docs;
}

let all: ActivityDoc[] = [];
let allCarts: ActivityCart[] = [];
beforeAll(() => {
  all = generateAll();
  allCarts = all.flatMap((d) => d.carts);
});

const orderCount = (d: ActivityDoc) => d.carts.filter((c) => c.order !== null).length;

describe('generateActivityChunk: determinism', () => {
  it('gives deep-equal output (ObjectIds included) for the same seed and chunk', () => {
    const a = generateActivityChunk(base({ chunkIndex: 7 }));
    const b = generateActivityChunk(base({ chunkIndex: 7 }));
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a)); // ObjectIds serialise as hex: byte-level check
  });

  it('gives different chunks different customers', () => {
    const a = generateActivityChunk(base({ chunkIndex: 1 }));
    const b = generateActivityChunk(base({ chunkIndex: 2 }));
    expect(b.map((d) => d.details)).not.toEqual(a.map((d) => d.details));
    expect(a[0]!.customer_id).not.toBe(b[0]!.customer_id);
  });

  it('does not depend on the order chunks are generated in (any worker assignment)', () => {
    const n = 12;
    const forward = Array.from({ length: n }, (_, c) => generateActivityChunk(base({ chunkIndex: c, userCount: n * 1000 })));
    const order = [5, 11, 0, 3, 9, 1, 7, 2, 10, 4, 8, 6];
    const shuffled = new Array<ActivityDoc[]>(n);
    for (const c of order) shuffled[c] = generateActivityChunk(base({ chunkIndex: c, userCount: n * 1000 }));
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(forward));
    // and the chunks of the big run are the same documents
    expect(JSON.stringify(forward.flat().slice(0, 3000))).toBe(JSON.stringify(all.slice(0, 3000)));
  });

  it('gives the same output from a picker rebuilt from its IPC form', () => {
    const wire = JSON.parse(JSON.stringify(serializePicker(picker))) as SerializedCatalogue;
    const rebuilt = pickerFromSerialized(wire);
    expect(JSON.stringify(generateActivityChunk(base({ chunkIndex: 3, picker: rebuilt })))).toBe(
      JSON.stringify(generateActivityChunk(base({ chunkIndex: 3 }))),
    );
  });

  it('changes with the seed', () => {
    const a = generateActivityChunk(base({ chunkIndex: 0 }));
    const b = generateActivityChunk(base({ chunkIndex: 0, seed: SEED + 1 }));
    expect(b.map((d) => d.email)).not.toEqual(a.map((d) => d.email));
  });
});

describe('generateActivityChunk: shape and invariants', () => {
  it('covers exactly the chunk’s customers, the last chunk shorter', () => {
    expect(all).toHaveLength(100_000);
    const last = generateActivityChunk(base({ userCount: 2500, chunkIndex: 2 }));
    expect(last).toHaveLength(500);
    expect(() => generateActivityChunk(base({ userCount: 2500, chunkIndex: 3 }))).toThrow(/past the last chunk/);
  });

  it('has the exact activity shape of docs/DATA-MODEL.md §1', () => {
    for (const d of all.slice(0, 2000)) {
      expect(Object.keys(d)).toEqual(['_id', 'customer_id', 'email', 'details', 'carts']);
      expect(d.customer_id).toBe(d._id.toHexString());
      expect(d.details).toEqual({ first_name: expect.any(String), last_name: expect.any(String), full_name: null });
      for (const c of d.carts) {
        expect(Object.keys(c)).toEqual(['_id', 'products', 'amount', 'order']);
        for (const l of c.products) expect(Object.keys(l)).toEqual(['product_id', 'price', 'quantity']);
        if (c.order) {
          expect(Object.keys(c.order)).toEqual(['_id', 'created_at']);
          expect(c.order.created_at).toBeInstanceOf(Date);
        }
      }
    }
  });

  it('computes amounts exact to the cent (integer-cents recomputation)', () => {
    const bad: unknown[] = [];
    for (const c of allCarts) {
      const cents = c.products.reduce((s, l) => s + Math.round(l.price * 100) * l.quantity, 0);
      if (c.amount !== cents / 100 || Math.round(c.amount * 100) !== cents) bad.push(c);
    }
    expect(bad).toEqual([]);
    expect(allCarts.length).toBeGreaterThan(200_000);
  });

  it('never exceeds maxOrdersPerUser orders', () => {
    expect(Math.max(...all.map(orderCount))).toBe(MAX_ORDERS);
    const few = generateAll({ userCount: 5000, maxOrdersPerUser: 2 });
    expect(Math.max(...few.map(orderCount))).toBe(2);
    const none = generateAll({ userCount: 2000, maxOrdersPerUser: 0 });
    expect(none.every((d) => orderCount(d) === 0)).toBe(true);
  });

  it('puts 1–5 distinct catalogue products in each cart, at catalogue prices, quantity 1–3 mostly 1', () => {
    const lineCounts = [0, 0, 0, 0, 0, 0];
    const problems: string[] = [];
    let quantityOne = 0;
    let lines = 0;
    for (const c of allCarts) {
      const n = c.products.length;
      if (n < 1 || n > 5) problems.push(`${c._id.toHexString()}: ${n} lines`);
      lineCounts[n]!++;
      if (new Set(c.products.map((l) => l.product_id)).size !== n) problems.push(`${c._id.toHexString()}: repeated product`);
      for (const l of c.products) {
        const product = productById.get(l.product_id);
        if (!product) problems.push(`unknown product ${l.product_id}`);
        else if (l.price !== product.price) problems.push(`price ${l.price} ≠ ${product.price}`);
        if (!(l.quantity >= 1 && l.quantity <= 3 && Number.isInteger(l.quantity))) problems.push(`quantity ${l.quantity}`);
        if (l.quantity === 1) quantityOne++;
        lines++;
      }
    }
    expect(problems).toEqual([]);
    expect(quantityOne / lines).toBeGreaterThan(0.7);
    expect(lineCounts[1]! + lineCounts[2]!).toBeGreaterThan(0.6 * allCarts.length);
    expect(lineCounts[5]).toBeGreaterThan(0);
  });

  it('dates every order inside the year, and ObjectId timestamps follow the entity dates', () => {
    const start = Date.UTC(YEAR, 0, 1);
    const end = Date.UTC(YEAR + 1, 0, 1);
    const problems: string[] = [];
    for (const d of all) {
      let firstCart = Infinity;
      for (const c of d.carts) {
        const cartMs = c._id.getTimestamp().getTime();
        firstCart = Math.min(firstCart, cartMs);
        if (c._id.toHexString().slice(8, 10) !== '02') problems.push(`cart kind ${c._id.toHexString()}`);
        if (!c.order) continue;
        const t = c.order.created_at.getTime();
        if (!(t >= start && t < end)) problems.push(`order outside the year: ${c.order.created_at.toISOString()}`);
        if (c.order._id.getTimestamp().getTime() !== Math.floor(t / 1000) * 1000) problems.push(`order id time ${c.order._id.toHexString()}`);
        if (c.order._id.toHexString().slice(8, 10) !== '03') problems.push(`order kind ${c.order._id.toHexString()}`);
        if (cartMs > t) problems.push(`cart after its order ${c._id.toHexString()}`);
      }
      const registered = d._id.getTimestamp().getTime();
      if (registered < Date.UTC(YEAR - 3, 0, 1) || registered > Math.min(firstCart, end)) problems.push(`registration ${d.customer_id}`);
      if (d.customer_id.slice(8, 10) !== '01') problems.push(`user kind ${d.customer_id}`);
    }
    expect(problems).toEqual([]);
  });

  it('lists a customer’s carts in date order', () => {
    const outOfOrder: string[] = [];
    for (const d of all.slice(0, 5000)) {
      const times = d.carts.map((c) => (c.order ? c.order.created_at.getTime() : c._id.getTimestamp().getTime()));
      for (let i = 1; i < times.length; i++) if (times[i]! + 1000 < times[i - 1]!) outOfOrder.push(d.customer_id);
    }
    expect(outOfOrder).toEqual([]);
  });
});

describe('generateActivityChunk: realism', () => {
  it('peaks in November and December (20k customers)', () => {
    const months = new Array<number>(12).fill(0);
    for (const d of all.slice(0, 20_000)) for (const c of d.carts) if (c.order) months[c.order.created_at.getUTCMonth()]!++;
    const mean = months.reduce((s, n) => s + n, 0) / 12;
    expect(months[10]).toBeGreaterThan(1.2 * mean);
    expect(months[11]).toBeGreaterThan(1.2 * mean);
    for (let m = 0; m < 10; m++) expect(months[m]).toBeLessThan(months[10]!);
  });

  it('uses random times of day with millisecond precision', () => {
    const hours = new Set<number>();
    let nonZeroMs = 0;
    for (const c of allCarts.slice(0, 20_000)) {
      if (!c.order) continue;
      hours.add(c.order.created_at.getUTCHours());
      if (c.order.created_at.getUTCMilliseconds() !== 0) nonZeroMs++;
    }
    expect(hours.size).toBe(24);
    expect(nonZeroMs).toBeGreaterThan(1000);
  });

  it('skews purchase counts: 10–20% without orders, many light buyers, a few heavy ones', () => {
    const n = all.length;
    const counts = new Array<number>(MAX_ORDERS + 1).fill(0);
    for (const d of all) counts[orderCount(d)]!++;
    expect(counts[0]! / n).toBeGreaterThan(0.1);
    expect(counts[0]! / n).toBeLessThan(0.2);
    expect(counts[1]!).toBeGreaterThan(counts[2]!);
    expect(counts[2]!).toBeGreaterThan(counts[3]!);
    expect(counts[1]! + counts[2]!).toBeGreaterThan(0.45 * n);
    expect(counts[MAX_ORDERS]! / n).toBeGreaterThan(0.01); // heavy buyers exist
    expect(counts[MAX_ORDERS]! / n).toBeLessThan(0.1); // but are few
  });

  it('leaves 20–35% of carts abandoned, some customers with only abandoned carts', () => {
    const all_ = allCarts;
    const abandoned = all_.filter((c) => c.order === null).length;
    expect(abandoned / all_.length).toBeGreaterThan(0.2);
    expect(abandoned / all_.length).toBeLessThan(0.35);
    const onlyAbandoned = all.filter((d) => d.carts.length > 0 && orderCount(d) === 0).length;
    expect(onlyAbandoned).toBeGreaterThan(0.03 * all.length);
  });

  it('follows the catalogue’s popularity skew', () => {
    const hits = new Map<string, number>();
    for (const c of allCarts) for (const l of c.products) hits.set(l.product_id, (hits.get(l.product_id) ?? 0) + 1);
    const sorted = [...hits.values()].sort((a, b) => b - a);
    const total = sorted.reduce((s, n) => s + n, 0);
    const top10 = sorted.slice(0, catalogue.products.length / 10).reduce((s, n) => s + n, 0);
    expect(top10 / total).toBeGreaterThan(0.25);
  });
});

describe('generateActivityChunk: uniqueness and names over 100k customers', () => {
  it('gives unique emails, derived from the names', () => {
    const emails = new Set(all.map((d) => d.email));
    expect(emails.size).toBe(all.length);
    for (const d of all.slice(0, 1000)) {
      expect(d.email).toMatch(/^[a-z._]+\d{3,6}@[a-z.]+\.[a-z]+$/);
      expect(d.email).toBe(d.email.normalize('NFD').replace(/\p{M}/gu, ''));
    }
    const domains = new Set(all.map((d) => d.email.split('@')[1]));
    expect(domains.has('gmail.com') && domains.has('hotmail.com') && domains.has('yahoo.com.br')).toBe(true);
  });

  it('gives unique ObjectIds to users, carts and orders', () => {
    const ids = new Set<string>();
    let total = 0;
    for (const d of all) {
      ids.add(d.customer_id);
      total++;
      for (const c of d.carts) {
        ids.add(c._id.toHexString());
        total++;
        if (c.order) {
          ids.add(c.order._id.toHexString());
          total++;
        }
      }
    }
    expect(ids.size).toBe(total);
  });

  it('looks like a population, not 3.5k repeated people', () => {
    const fullNames = new Set(all.map((d) => `${d.details.first_name} ${d.details.last_name}`));
    expect(fullNames.size).toBeGreaterThan(50_000);
    const firsts = new Set(all.map((d) => d.details.first_name));
    const lasts = new Set(all.map((d) => d.details.last_name));
    expect(firsts.size).toBeGreaterThan(1000);
    expect(lasts.size).toBeGreaterThan(300);
  });
});

describe('generateActivityChunk: edge cases and validation', () => {
  it('works with a one-product and a three-product catalogue', () => {
    for (const products of [1, 3]) {
      const tiny = generateCatalogue({ seed: 1, products, year: YEAR }).picker;
      const docs = generateActivityChunk(base({ picker: tiny, userCount: 500, chunkSize: 500 }));
      for (const d of docs) {
        for (const c of d.carts) {
          expect(c.products.length).toBeLessThanOrEqual(products);
          expect(new Set(c.products.map((l) => l.product_id)).size).toBe(c.products.length);
        }
      }
    }
  });

  it('works in other locales', () => {
    const docs = generateActivityChunk(base({ names: buildNamePools('de'), userCount: 1000 }));
    expect(new Set(docs.map((d) => d.email)).size).toBe(1000);
  });

  it('refuses invalid parameters with clear errors', () => {
    expect(() => generateActivityChunk(base({ chunkSize: 0 }))).toThrow(/chunkSize/);
    expect(() => generateActivityChunk(base({ chunkIndex: -1 }))).toThrow(/chunkIndex/);
    expect(() => generateActivityChunk(base({ userCount: 1.5 }))).toThrow(/userCount/);
    expect(() => generateActivityChunk(base({ maxOrdersPerUser: -1 }))).toThrow(/maxOrdersPerUser/);
    expect(() => generateActivityChunk(base({ year: 1900 }))).toThrow(/year/);
    expect(() => generateActivityChunk(base({ seed: 0.5 }))).toThrow(/seed/);
  });
});
