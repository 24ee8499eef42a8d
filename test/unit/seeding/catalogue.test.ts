import { describe, expect, it } from 'vitest';
import {
  CATEGORY_TREE,
  DEFAULT_PRODUCTS,
  generateCatalogue,
  pickerFromSerialized,
  priceRangeOf,
  serializePicker,
  type SerializedCatalogue,
} from '../../../src/seeding/generate/index.js';

const YEAR = 2024;
const { products, picker } = generateCatalogue({ seed: 11, year: YEAR });

describe('category tree', () => {
  it('has at least 8 top-level categories, each with sub-categories, nouns and brands', () => {
    expect(CATEGORY_TREE.length).toBeGreaterThanOrEqual(8);
    const names = CATEGORY_TREE.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('Cosméticos');
    for (const top of CATEGORY_TREE) {
      expect(top.children.length).toBeGreaterThanOrEqual(2);
      expect(top.brands.length).toBeGreaterThan(0);
      expect(top.tags.length).toBeGreaterThan(0);
      expect(top.price[0]).toBeLessThan(top.price[1]);
    }
  });

  it('has the category path and the tag of the reproduced catalogue', () => {
    expect(priceRangeOf(['Cosméticos', 'Cosméticos Profissionais', 'Líquidos'])).toBeDefined();
    expect(CATEGORY_TREE.some((t) => t.tags.includes('Gordura Localizada'))).toBe(true);
  });
});

describe('generateCatalogue', () => {
  it('defaults to DEFAULT_PRODUCTS products shaped as docs/DATA-MODEL.md §1 gives them', () => {
    expect(products).toHaveLength(DEFAULT_PRODUCTS);
    for (const p of products) {
      expect(Object.keys(p)).toEqual(['_id', 'title', 'description', 'categories', 'price']);
      expect(typeof p.title).toBe('string');
      expect(p.title.length).toBeGreaterThan(3);
      expect(p.description.length).toBeGreaterThan(20);
    }
  });

  it('is deterministic for a seed, and different for another seed', () => {
    const again = generateCatalogue({ seed: 11, year: YEAR });
    expect(again.products).toEqual(products);
    expect(again.products.map((p) => p._id.toHexString())).toEqual(products.map((p) => p._id.toHexString()));
    expect(serializePicker(again.picker)).toEqual(serializePicker(picker));
    const other = generateCatalogue({ seed: 12, year: YEAR });
    expect(other.products.map((p) => p.title)).not.toEqual(products.map((p) => p.title));
  });

  it('gives each product 2–4 distinct categories: a tree path plus maybe a tag', () => {
    for (const p of products) {
      expect(p.categories.length).toBeGreaterThanOrEqual(2);
      expect(p.categories.length).toBeLessThanOrEqual(4);
      expect(new Set(p.categories).size).toBe(p.categories.length);
      expect(priceRangeOf(p.categories), p.categories.join(' > ')).toBeDefined();
    }
    const lengths = new Set(products.map((p) => p.categories.length));
    expect(lengths.size).toBeGreaterThanOrEqual(3);
    const tops = new Set(products.map((p) => p.categories[0]));
    expect(tops.size).toBe(CATEGORY_TREE.length);
  });

  it('prices products plausibly for their category, in whole cents', () => {
    for (const p of products) {
      const [min, max] = priceRangeOf(p.categories)!;
      expect(p.price).toBeGreaterThanOrEqual(min);
      expect(p.price).toBeLessThan(max);
      expect(Math.round(p.price * 100) / 100).toBe(p.price);
    }
    // Phones cost more than lipsticks.
    const avg = (top: string): number => {
      const ps = products.filter((p) => p.categories[1] === top);
      return ps.reduce((s, p) => s + p.price, 0) / ps.length;
    };
    expect(avg('Notebooks')).toBeGreaterThan(avg('Maquiagem'));
  });

  it('gives unique ids and titles, with product kind and listing dates before the year', () => {
    expect(new Set(products.map((p) => p._id.toHexString())).size).toBe(products.length);
    expect(new Set(products.map((p) => p.title)).size).toBe(products.length);
    for (const [i, p] of products.entries()) {
      const hex = p._id.toHexString();
      expect(hex.slice(8, 16)).toBe('04000000');
      expect(parseInt(hex.slice(16), 16)).toBe(i);
      const t = p._id.getTimestamp().getTime();
      expect(t).toBeGreaterThanOrEqual(Date.UTC(YEAR - 3, 0, 1));
      expect(t).toBeLessThan(Date.UTC(YEAR, 0, 1));
    }
  });

  it('exposes a picker consistent with the documents, with skewed popularity', () => {
    expect(picker.count).toBe(products.length);
    for (const [i, p] of products.entries()) {
      expect(picker.ids[i]).toBe(p._id.toHexString());
      expect(picker.priceCents[i]! / 100).toBe(p.price);
      expect(picker.prices[i]).toBe(p.price);
    }
    const cum = picker.cumulativeWeights;
    const weights = Array.from(cum, (c, i) => c - (i > 0 ? cum[i - 1]! : 0)).sort((a, b) => b - a);
    const total = cum[cum.length - 1]!;
    const top10 = weights.slice(0, products.length / 10).reduce((s, w) => s + w, 0);
    expect(top10 / total).toBeGreaterThan(0.25); // Zipf: the top 10% sell far more than 10%
    expect(weights[weights.length - 1]).toBeGreaterThan(0); // but every product can sell
  });

  it('round-trips the picker through JSON (IPC) exactly', () => {
    const wire = JSON.parse(JSON.stringify(serializePicker(picker))) as SerializedCatalogue;
    const rebuilt = pickerFromSerialized(wire);
    expect(rebuilt.ids).toEqual(picker.ids);
    expect(rebuilt.priceCents).toEqual(picker.priceCents);
    expect(rebuilt.prices).toEqual(picker.prices);
    expect(rebuilt.cumulativeWeights).toEqual(picker.cumulativeWeights);
    expect(() => pickerFromSerialized({ ...wire, ids: wire.ids.slice(1) })).toThrow(/one length/);
    expect(() => pickerFromSerialized({ ...wire, version: 2 } as unknown as SerializedCatalogue)).toThrow(/version/);
    expect(() => pickerFromSerialized({ ...wire, ids: ['nope', ...wire.ids.slice(1)] })).toThrow(/hex/);
  });

  it('validates its options', () => {
    expect(() => generateCatalogue({ seed: 1, products: 0 })).toThrow(RangeError);
    expect(() => generateCatalogue({ seed: 1, products: 2.5 })).toThrow(RangeError);
    expect(() => generateCatalogue({ seed: 1.5 })).toThrow(RangeError);
    expect(() => generateCatalogue({ seed: 1, locale: 'xx_YY' })).toThrow(/Unknown locale/);
    expect(generateCatalogue({ seed: 1, products: 3, year: YEAR }).products).toHaveLength(3);
    expect(generateCatalogue({ seed: 1, products: 5000, year: YEAR }).products).toHaveLength(5000);
  });
});
