/** The caches keyed by client-sent texts are bounded in count and in weight, least recently used forgotten first. */
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/lru.js';

describe('LruCache', () => {
  it('forgets the least recently used past its count', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('d', 4);
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.has('d'), cache.size]).toEqual([true, false, true, true, 3]);
  });

  it('forgets past its weight, and keeps nothing heavier than the whole bound', () => {
    const cache = new LruCache<string, null>(100, 10, (key) => key.length);
    cache.set('aaaa', null).set('bbbb', null);
    expect(cache.weight).toBe(8);
    cache.set('cccc', null);
    expect([cache.has('aaaa'), cache.has('bbbb'), cache.has('cccc'), cache.weight]).toEqual([false, true, true, 8]);
    cache.set('x'.repeat(11), null);
    expect([cache.size, cache.weight]).toEqual([2, 8]);
  });

  it('replacing or deleting an entry gives its weight back', () => {
    const cache = new LruCache<string, string>(10, 100, (_key, value) => value.length);
    cache.set('k', 'x'.repeat(40)).set('k', 'x'.repeat(10));
    expect([cache.size, cache.weight, cache.get('k')]).toEqual([1, 10, 'x'.repeat(10)]);
    expect(cache.delete('k')).toBe(true);
    expect([cache.size, cache.weight, cache.get('k')]).toEqual([0, 0, undefined]);
  });
});
