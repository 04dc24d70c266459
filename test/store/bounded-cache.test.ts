// The byte-bounded caches in front of the dictionaries and usage_keys: what is used again survives when the cache
// turns over, and the bound holds whatever the number of entries.
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/store/dictionary.js';

describe('BoundedCache', () => {
  it('keeps an entry that is used again, and forgets one that is not, once its bytes are spent', () => {
    const cache = new BoundedCache(2 * (64 + 10) * 4); // each generation: four 10-character keys
    cache.set('kept-00000', 1);
    cache.set('lost-00000', 2);
    for (let i = 0; i < 12; i++) {
      cache.set(`other-${String(i).padStart(4, '0')}`, 100 + i);
      expect(cache.get('kept-00000')).toBe(1); // found in either generation, and moved to the newer one
    }
    expect(cache.get('lost-00000')).toBeUndefined();
    expect(cache.get('other-0011')).toBe(111);
    expect(cache.size).toBeLessThanOrEqual(8);
  });

  it('counts characters outside Latin-1 twice', () => {
    const cache = new BoundedCache(2 * (64 + 20));
    cache.set('a'.repeat(20), 1);
    cache.set('b'.repeat(10), 2); // does not fit beside the first: the first moves to the older generation
    expect(cache.size).toBe(2);
    cache.set('\u4e00'.repeat(10), 3); // 20 bytes: turns over again, the 'a' key is gone
    expect(cache.get('a'.repeat(20))).toBeUndefined();
    expect(cache.get('b'.repeat(10))).toBe(2);
  });
});
