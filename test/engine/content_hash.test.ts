import { describe, it, expect } from 'vitest';
import { contentHash } from '../../workers/engine/data/content_hash.ts';

describe('contentHash', () => {
  it('is 32 hex digits, the same for equal values wherever they lie in their buffer', () => {
    const a = Float64Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 1e3);
    const h = contentHash(a);
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(contentHash(a.slice())).toBe(h);
    const wide = new Float64Array(1010);
    wide.set(a, 7);
    expect(contentHash(wide.subarray(7, 1008))).toBe(h);
  });

  it('changes with any one bit of any value, and with the length', () => {
    // every length mod 4 of the 32-bit words (each value is two), so each lane and the tail are covered
    for (const n of [1, 2, 3, 4, 5, 9, 64]) {
      const a = Float64Array.from({ length: n }, (_, i) => i + 0.25);
      const h = contentHash(a);
      const seen = new Set([h]);
      const words = new Uint32Array(a.buffer);
      for (let w = 0; w < words.length; w++) {
        for (const bit of [0, 13, 31]) {
          const b = new Uint32Array(words);
          b[w] ^= 1 << bit;
          seen.add(contentHash(new Float64Array(b.buffer)));
        }
      }
      expect(seen.size).toBe(1 + 3 * words.length);
      const longer = new Float64Array(n + 1);
      longer.set(a);
      expect(contentHash(longer)).not.toBe(h);
      expect(contentHash(a.subarray(0, n - 1))).not.toBe(h);
    }
    expect(contentHash(new Float64Array(0))).toMatch(/^[0-9a-f]{32}$/);
  });

  it('tells apart values in another order, and -0 from +0 (the cache may miss, never mix)', () => {
    expect(contentHash(Float64Array.of(1, 2, 3, 4))).not.toBe(contentHash(Float64Array.of(2, 1, 3, 4)));
    expect(contentHash(Float64Array.of(0, 5))).not.toBe(contentHash(Float64Array.of(-0, 5)));
  });
});
