/**
 * A map that forgets what was used least recently once it holds more than `maxEntries`
 * entries or more than `maxWeight` in all (each entry's weight given by `weigh`: for caches
 * keyed by client-sent text, its length). An entry heavier than `maxWeight` alone is not kept.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxWeight: number = Infinity,
    private readonly weigh: (key: K, value: V) => number = () => 0,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The weight of every entry together. */
  get weight(): number {
    return this.total;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): this {
    this.delete(key);
    const weight = this.weigh(key, value);
    if (weight > this.maxWeight || this.maxEntries < 1) return this;
    this.entries.set(key, { value, weight });
    this.total += weight;
    while (this.entries.size > this.maxEntries || this.total > this.maxWeight) this.delete(this.entries.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.weight;
    return true;
  }
}
