import { describe, it, expect } from 'vitest';
import { trustworthiness } from '../../workers/engine/metrics/trustworthiness.ts';
import { ParameterError } from '../../workers/engine/errors.ts';
import { RandomState } from '../../workers/engine/util/random.ts';

const line = (values: number[]) => ({ data: new Float64Array(values), n_samples: values.length, n_features: 1 });

describe('trustworthiness', () => {
  it('is 1 for an embedding that keeps every neighbourhood (scaled, shifted, rotated copy)', () => {
    const rs = new RandomState(3);
    const n = 40;
    const X = new Float64Array(n * 2);
    for (let i = 0; i < X.length; i++) X[i] = rs.normal();
    const E = new Float64Array(n * 2);
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    for (let i = 0; i < n; i++) {
      E[2 * i] = 3 * (c * X[2 * i] - s * X[2 * i + 1]) + 5;
      E[2 * i + 1] = 3 * (s * X[2 * i] + c * X[2 * i + 1]) - 1;
    }
    expect(trustworthiness({ data: X, n_samples: n, n_features: 2 }, E, 5)).toBeCloseTo(1, 12);
  });

  it('matches a hand-checked case: 8 points on a line, the two ends swapped, k = 2', () => {
    // X = 0..7; embedding = X with points 0 and 7 exchanged. Normaliser 2 / (n k (2n - 3k - 1)) = 1/72.
    // Penalties sum(rank - k) over embedded neighbours ranked beyond k in X:
    //   point 0 (now at 7): neighbours 6, 5 with X ranks 6, 5 -> 4 + 3
    //   point 7 (now at 0): neighbours 1, 2 with X ranks 6, 5 -> 4 + 3
    //   point 1: neighbours 7 (rank 7) and 2 -> 5;  point 6: neighbours 5 and 0 (rank 7) -> 5
    // total 24, so T = 1 - 24/72 = 2/3 (scikit-learn 1.2 gives 0.6666666666666667).
    const X = line([0, 1, 2, 3, 4, 5, 6, 7]);
    const E = line([7, 1, 2, 3, 4, 5, 6, 0]);
    expect(trustworthiness(X, E, 2)).toBeCloseTo(2 / 3, 14);
  });

  it('equals a direct transcription of scikit-learn (full argsort, inverted index) on random data', () => {
    const rs = new RandomState(11);
    const n = 60;
    const d = 4;
    const X = new Float64Array(n * d);
    for (let i = 0; i < X.length; i++) X[i] = rs.normal();
    const E = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      E[2 * i] = X[i * d] + 0.8 * rs.normal();
      E[2 * i + 1] = X[i * d + 1] + 0.8 * rs.normal();
    }
    const dist = (A: Float64Array, m: number, i: number, j: number) => {
      let s = 0;
      for (let f = 0; f < m; f++) s += (A[i * m + f] - A[j * m + f]) ** 2;
      return Math.sqrt(s);
    };
    for (const k of [1, 5, 12]) {
      let t = 0;
      for (let i = 0; i < n; i++) {
        const others = [...Array(n).keys()].filter((j) => j !== i);
        const byX = [...others].sort((a, b) => dist(X, d, i, a) - dist(X, d, i, b) || a - b);
        const inverted = new Map(byX.map((j, r) => [j, r + 1]));
        const byE = [...others].sort((a, b) => dist(E, 2, i, a) - dist(E, 2, i, b) || a - b).slice(0, k);
        for (const j of byE) t += Math.max(0, (inverted.get(j) as number) - k);
      }
      const expected = 1 - t * (2 / (n * k * (2 * n - 3 * k - 1)));
      const got = trustworthiness({ data: X, n_samples: n, n_features: d }, E, k);
      expect(got).toBeCloseTo(expected, 12);
      expect(got).toBeLessThan(1);
    }
  });

  it('supports cosine in the input space', () => {
    // directions matter, not lengths: scaling rows does not change cosine neighbourhoods
    const X = { data: new Float64Array([1, 0, 10, 1, 0, 1, 0.1, 5, -1, 0, -3, -0.2, 0, -1, 0.2, -4]), n_samples: 8, n_features: 2 };
    const angles = new Float64Array(8);
    for (let i = 0; i < 8; i++) angles[i] = Math.atan2(X.data[2 * i + 1], X.data[2 * i]);
    const E = new Float64Array(16);
    for (let i = 0; i < 8; i++) {
      E[2 * i] = Math.cos(angles[i]);
      E[2 * i + 1] = Math.sin(angles[i]);
    }
    expect(trustworthiness(X, E, 2, 'cosine')).toBeCloseTo(1, 12);
    expect(trustworthiness(X, E, 2, 'euclidean')).toBeLessThan(1);
  });

  it('validates n_neighbors and the embedding size', () => {
    const X = line([0, 1, 2, 3, 4, 5]);
    expect(() => trustworthiness(X, X, 3)).toThrow(ParameterError);
    expect(() => trustworthiness(X, X, 3)).toThrow(/n_neighbors \(3\) should be less than n_samples \/ 2 \(3\)/);
    expect(() => trustworthiness(X, new Float64Array(7), 2)).toThrow(/embedding/);
  });
});
