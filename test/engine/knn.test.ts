import { describe, it, expect } from 'vitest';
import { kNearestNeighbors } from '../../workers/engine/neighbors/knn.ts';
import { rowDistance } from '../../workers/engine/metrics/pairwise.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import { CancelledError, DataError, ParameterError } from '../../workers/engine/errors.ts';
import type { Matrix, Metric, Progress } from '../../workers/engine/types.ts';
import { HAVE_SHARED, ccStandardized } from '../helpers/shared.ts';

function blobs(n: number, d: number, seed: number, centers = 4): Matrix {
  const rs = new RandomState(seed);
  const c = Array.from({ length: centers }, () => Array.from({ length: d }, () => rs.normal() * 5));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const cc = c[rs.randint(centers)];
    for (let f = 0; f < d; f++) data[i * d + f] = cc[f] + rs.normal();
  }
  return { data, n_samples: n, n_features: d };
}

/** Small integer grid with many duplicate rows and equal distances. */
function grid(n: number, d: number, seed: number, side = 5): Matrix {
  const rs = new RandomState(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) data[i] = rs.randint(side);
  return { data, n_samples: n, n_features: d };
}

/** Reference: all distances by metrics/pairwise.ts, sorted by (distance, index), self forced first. */
function naiveKnn(X: Matrix, k: number, metric: Metric) {
  const dist = rowDistance(X, metric);
  const n = X.n_samples;
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const others: [number, number][] = [];
    for (let j = 0; j < n; j++) if (j !== i) others.push([dist(i, j), j]);
    others.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    indices[i * k] = i;
    distances[i * k] = 0;
    for (let s = 1; s < k; s++) {
      indices[i * k + s] = others[s - 1][1];
      distances[i * k + s] = others[s - 1][0];
    }
  }
  return { indices, distances };
}

describe('kNearestNeighbors', () => {
  const cases: { name: string; X: Matrix }[] = [
    { name: 'blobs 300x5', X: blobs(300, 5, 1) },
    { name: 'blobs 120x17', X: blobs(120, 17, 2) },
    { name: 'integer grid 300x3 (duplicates, ties)', X: grid(300, 3, 3) },
  ];
  for (const { name, X } of cases) {
    for (const metric of ['euclidean', 'manhattan', 'cosine'] as Metric[]) {
      it(`${name}, ${metric}: equals the naive reference exactly (brute and tree)`, () => {
        for (const k of [1, 2, 7]) {
          const ref = naiveKnn(X, k, metric);
          const algs = metric === 'cosine' ? (['brute', 'auto'] as const) : (['brute', 'kd_tree', 'auto'] as const);
          for (const algorithm of algs) {
            const r = kNearestNeighbors(X, k, metric, { algorithm });
            expect(r.k).toBe(k);
            expect(r.n_samples).toBe(X.n_samples);
            expect(r.indices).toEqual(ref.indices);
            expect(r.distances).toEqual(ref.distances);
          }
        }
      });
    }
  }

  it('large k (t-SNE, UMAP: the heap search) equals the naive reference exactly, ties and duplicates included', () => {
    const sets: { X: Matrix; metrics: Metric[] }[] = [
      { X: blobs(400, 17, 11), metrics: ['euclidean', 'manhattan'] },
      { X: grid(400, 3, 12), metrics: ['euclidean', 'manhattan'] },
    ];
    for (const { X, metrics } of sets) {
      for (const metric of metrics) {
        for (const k of [25, 92]) {
          const ref = naiveKnn(X, k, metric);
          for (const algorithm of ['kd_tree', 'brute'] as const) {
            const r = kNearestNeighbors(X, k, metric, { algorithm });
            expect(r.indices).toEqual(ref.indices);
            expect(r.distances).toEqual(ref.distances);
          }
        }
      }
    }
  });

  it('squared: euclidean distances before the square root, same neighbours', () => {
    const X = blobs(300, 6, 13);
    for (const k of [7, 40]) {
      const a = kNearestNeighbors(X, k, 'euclidean');
      const b = kNearestNeighbors(X, k, 'euclidean', { squared: true });
      expect(b.indices).toEqual(a.indices);
      for (let i = 0; i < a.distances.length; i++) expect(Math.sqrt(b.distances[i])).toBe(a.distances[i]);
    }
  });

  it('puts the point itself first even among duplicates, and rows are sorted', () => {
    const X = grid(200, 2, 9, 3); // 9 distinct points, 200 rows
    const k = 30;
    const r = kNearestNeighbors(X, k, 'euclidean');
    for (let i = 0; i < X.n_samples; i++) {
      expect(r.indices[i * k]).toBe(i);
      expect(r.distances[i * k]).toBe(0);
      for (let s = 1; s < k; s++) expect(r.distances[i * k + s]).toBeGreaterThanOrEqual(r.distances[i * k + s - 1]);
    }
  });

  it('k = n returns every point once per row', () => {
    const X = blobs(40, 3, 4);
    const r = kNearestNeighbors(X, 40, 'manhattan');
    for (let i = 0; i < 40; i++) {
      const seen = new Set(Array.from(r.indices.subarray(i * 40, i * 40 + 40)));
      expect(seen.size).toBe(40);
    }
  });

  it('validates k, metric, algorithm and data', () => {
    const X = blobs(20, 2, 5);
    expect(() => kNearestNeighbors(X, 0)).toThrow(ParameterError);
    expect(() => kNearestNeighbors(X, 0)).toThrow('k must be >= 1 (got 0)');
    expect(() => kNearestNeighbors(X, 21)).toThrow('k must be <= 20 (got 21)');
    expect(() => kNearestNeighbors(X, 2.5)).toThrow('k must be an integer (got 2.5)');
    expect(() => kNearestNeighbors(X, 3, 'chebyshev' as Metric)).toThrow(/metric must be one of/);
    expect(() => kNearestNeighbors(X, 3, 'cosine', { algorithm: 'kd_tree' })).toThrow(/kd_tree/);
    const bad = { ...X, data: Float64Array.from(X.data) };
    bad.data[7] = NaN;
    expect(() => kNearestNeighbors(bad, 3)).toThrow(DataError);
  });

  it('reports progress and can be cancelled', () => {
    const X = blobs(2000, 4, 6);
    const seen: Progress[] = [];
    kNearestNeighbors(X, 5, 'euclidean', { on_progress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.every((p) => p.stage === 'neighbours' && p.fraction >= 0 && p.fraction <= 1)).toBe(true);
    expect(seen[seen.length - 1].fraction).toBe(1);

    const ac = new AbortController();
    ac.abort();
    expect(() => kNearestNeighbors(X, 5, 'euclidean', { signal: ac.signal })).toThrow(CancelledError);
    for (const algorithm of ['brute', 'kd_tree'] as const) {
      const ac2 = new AbortController();
      expect(() =>
        kNearestNeighbors(X, 5, 'euclidean', {
          algorithm,
          signal: ac2.signal,
          on_progress: (p) => {
            if (p.fraction < 1) ac2.abort(); // the first report (fraction 0) comes before any work
          },
        }),
      ).toThrow(CancelledError);
    }
  });
});

describe.skipIf(!HAVE_SHARED)('kNearestNeighbors on CC GENERAL (8950 x 17)', () => {
  it('tree and brute force give identical arrays', () => {
    const X = ccStandardized();
    const a = kNearestNeighbors(X, 10, 'euclidean', { algorithm: 'brute' });
    const b = kNearestNeighbors(X, 10, 'euclidean', { algorithm: 'kd_tree' });
    expect(b.indices).toEqual(a.indices);
    expect(b.distances).toEqual(a.distances);
  });
});
