import { describe, it, expect } from 'vitest';
import { silhouetteSamples, silhouetteScore, withoutNoise } from '../../workers/engine/metrics/silhouette.ts';
import { daviesBouldinScore } from '../../workers/engine/metrics/davies_bouldin.ts';
import { calinskiHarabaszScore } from '../../workers/engine/metrics/calinski_harabasz.ts';
import { inertia } from '../../workers/engine/metrics/inertia.ts';
import { contingencyMatrix, adjustedRandScore, encodeLabels, normalizedMutualInfoScore } from '../../workers/engine/metrics/contingency.ts';
import { ParameterError, CancelledError } from '../../workers/engine/errors.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { HAVE_SHARED, ccStandardized, oracle, relClose } from '../helpers/shared.ts';

function fromRows(rows: number[][]): Matrix {
  const d = rows[0].length;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n_samples: rows.length, n_features: d };
}
const L = (a: number[]) => Int32Array.from(a);

describe.skipIf(!HAVE_SHARED)('metrics vs scikit-learn (cc_general)', () => {
  it('silhouette, Davies-Bouldin, Calinski-Harabasz of the k-means fixed-init labels, k = 2..8', () => {
    const X = ccStandardized();
    for (const c of oracle('cc_general').kmeans.fixed_init) {
      const labels = L(c.labels);
      expect(relClose(silhouetteScore(X, labels), c.metrics.silhouette, 1e-6)).toBe(true);
      expect(relClose(daviesBouldinScore(X, labels), c.metrics.davies_bouldin, 1e-6)).toBe(true);
      expect(relClose(calinskiHarabaszScore(X, labels), c.metrics.calinski_harabasz, 1e-6)).toBe(true);
      const centers = new Float64Array(c.cluster_centers.flat());
      expect(relClose(inertia(X, labels, centers), c.inertia, 1e-6)).toBe(true);
    }
  });

  it('metrics of the DBSCAN labels on the non-noise points (null where < 2 clusters)', () => {
    const X = ccStandardized();
    const cases = oracle('cc_general').dbscan.cases;
    let checked = 0;
    for (const c of cases) {
      const kept = withoutNoise(X, L(c.labels));
      expect(kept.X.n_samples).toBe(X.n_samples - c.n_noise);
      expect(kept.labels.every((v) => v >= 0)).toBe(true);
      if (c.metrics.silhouette === null) {
        expect(() => silhouetteScore(kept.X, kept.labels)).toThrow(ParameterError);
        expect(() => daviesBouldinScore(kept.X, kept.labels)).toThrow(/Number of labels is 1\. Valid values are 2 to n_samples - 1 \(inclusive\)/);
        expect(() => calinskiHarabaszScore(kept.X, kept.labels)).toThrow(ParameterError);
        continue;
      }
      expect(relClose(silhouetteScore(kept.X, kept.labels), c.metrics.silhouette, 1e-6)).toBe(true);
      expect(relClose(daviesBouldinScore(kept.X, kept.labels), c.metrics.davies_bouldin, 1e-6)).toBe(true);
      expect(relClose(calinskiHarabaszScore(kept.X, kept.labels), c.metrics.calinski_harabasz, 1e-6)).toBe(true);
      checked++;
    }
    expect(checked).toBe(8);
  });

  it('ARI and NMI between k-means k=4 and ward k=4 (the oracle agreement)', () => {
    const o = oracle('cc_general');
    const km = L(o.kmeans.fixed_init.find((c: any) => c.n_clusters === 4).labels);
    const ward = L(o.agglomerative.cases.find((c: any) => c.linkage === 'ward' && c.metric === 'euclidean' && c.n_clusters === 4).labels);
    expect(relClose(adjustedRandScore(km, ward), o.agreement.adjusted_rand_score, 1e-6)).toBe(true);
    expect(relClose(normalizedMutualInfoScore(km, ward), o.agreement.normalized_mutual_info_score, 1e-6)).toBe(true);
    // symmetric
    expect(relClose(adjustedRandScore(ward, km), o.agreement.adjusted_rand_score, 1e-12)).toBe(true);
    expect(relClose(normalizedMutualInfoScore(ward, km), o.agreement.normalized_mutual_info_score, 1e-12)).toBe(true);
  });

  it('silhouette with sample_size: deterministic, near the exact value, and exact when sample_size = n', () => {
    const X = ccStandardized();
    const c = oracle('cc_general').kmeans.fixed_init[1];
    const labels = L(c.labels);
    const a = silhouetteScore(X, labels, { sample_size: 2000, random_state: 1 });
    const b = silhouetteScore(X, labels, { sample_size: 2000, random_state: 1 });
    expect(a).toBe(b);
    expect(Math.abs(a - c.metrics.silhouette)).toBeLessThan(0.05);
    const all = silhouetteScore(X, labels, { sample_size: X.n_samples });
    expect(relClose(all, c.metrics.silhouette, 1e-9)).toBe(true);
  });

  it('silhouette reports progress and can be cancelled', () => {
    const X = ccStandardized();
    const labels = L(oracle('cc_general').kmeans.fixed_init[0].labels);
    const seen: number[] = [];
    silhouetteSamples(X, labels, {}, { on_progress: (p) => seen.push(p.fraction) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toBe(1);
    const ac = new AbortController();
    ac.abort();
    expect(() => silhouetteScore(X, labels, {}, { signal: ac.signal })).toThrow(CancelledError);
  });
});

describe('metrics: hand-checked small cases', () => {
  const X1 = fromRows([[0], [1], [4], [5]]);
  const lab = L([0, 0, 1, 1]);

  it('silhouette samples and score (euclidean, manhattan, cosine)', () => {
    const s = silhouetteSamples(X1, lab);
    const expected = [3.5 / 4.5, 2.5 / 3.5, 2.5 / 3.5, 3.5 / 4.5];
    expected.forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
    expect(silhouetteScore(X1, lab)).toBeCloseTo((7 / 9 + 5 / 7) / 2, 12);
    // manhattan on the diagonal doubles every distance: same coefficients
    const X2 = fromRows([[0, 0], [1, 1], [4, 4], [5, 5]]);
    const m = silhouetteSamples(X2, lab, { metric: 'manhattan' });
    expected.forEach((v, i) => expect(m[i]).toBeCloseTo(v, 12));
    // cosine: same direction within clusters (distance 0), orthogonal between (distance 1)
    const X3 = fromRows([[1, 0], [2, 0], [0, 1], [0, 3]]);
    expect(Array.from(silhouetteSamples(X3, lab, { metric: 'cosine' }))).toEqual([1, 1, 1, 1]);
    // labels are any integers; a sample alone in its cluster gets 0
    const s2 = silhouetteSamples(fromRows([[0], [1], [10]]), L([7, 7, -1]));
    expect(s2[2]).toBe(0);
    expect(s2[0]).toBeCloseTo((10 - 1) / 10, 12);
    // odd sizes exercise the remainder loops of the 4-wide kernels
    const rows: number[][] = [];
    for (let i = 0; i < 23; i++) rows.push([Math.sin(i), Math.cos(3 * i), i % 5]);
    const X4 = fromRows(rows);
    const l4 = L(rows.map((_, i) => i % 3));
    for (const metric of ['euclidean', 'manhattan', 'cosine'] as const) {
      const got = silhouetteSamples(X4, l4, { metric });
      const want = bruteSilhouette(X4, l4, metric);
      want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 10));
    }
  });

  it('number of labels outside 2..n-1 raises scikit-learn\'s message', () => {
    expect(() => silhouetteScore(X1, L([0, 0, 0, 0]))).toThrow('Number of labels is 1. Valid values are 2 to n_samples - 1 (inclusive)');
    expect(() => silhouetteScore(X1, L([0, 1, 2, 3]))).toThrow('Number of labels is 4. Valid values are 2 to n_samples - 1 (inclusive)');
    try {
      daviesBouldinScore(X1, L([1, 1, 1, 1]));
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      expect((e as ParameterError).param).toBe('labels');
    }
  });

  it('Davies-Bouldin and Calinski-Harabasz', () => {
    const X = fromRows([[0], [2], [10], [12]]);
    // centroids 1 and 11, mean intra distance 1 each, centroid distance 10
    expect(daviesBouldinScore(X, lab)).toBeCloseTo(0.2, 12);
    // between: 2*25 + 2*25 = 100; within: 4; (100 / (2 - 1)) / (4 / (4 - 2)) = 50
    expect(calinskiHarabaszScore(X, lab)).toBeCloseTo(50, 10);
    // identical points in each cluster: within dispersion 0 -> 1.0 (scikit-learn), DB 0
    const Y = fromRows([[0], [0], [3], [3]]);
    expect(calinskiHarabaszScore(Y, lab)).toBe(1);
    expect(daviesBouldinScore(Y, lab)).toBe(0);
  });

  it('inertia', () => {
    expect(inertia(X1, lab, new Float64Array([0.5, 4.5]))).toBeCloseTo(1, 12);
    expect(() => inertia(X1, L([0, 0, 1, 2]), new Float64Array([0.5, 4.5]))).toThrow(/label 2/);
  });

  it('contingency matrix, ARI and NMI', () => {
    const c = contingencyMatrix(L([0, 0, 1, 1, -1]), L([5, 5, 5, 7, 7]));
    expect(Array.from(c.classes_a)).toEqual([-1, 0, 1]);
    expect(Array.from(c.classes_b)).toEqual([5, 7]);
    expect(Array.from(c.counts)).toEqual([0, 1, 2, 0, 1, 1]);
    // identical partitions with renamed labels
    const a = L([0, 0, 1, 1, 2, 2, 2]);
    const b = L([9, 9, -1, -1, 4, 4, 4]);
    expect(adjustedRandScore(a, b)).toBe(1);
    expect(normalizedMutualInfoScore(a, b)).toBeCloseTo(1, 12);
    // scikit-learn's documented example
    expect(adjustedRandScore(L([0, 0, 1, 1]), L([0, 0, 1, 2]))).toBeCloseTo(0.5714285714285715, 12);
    // b refines a: MI = H(a) = ln 2, H(b) = 1.5 ln 2 -> NMI = ln2 / (1.25 ln 2) = 0.8
    expect(normalizedMutualInfoScore(L([0, 0, 1, 1]), L([0, 0, 1, 2]))).toBeCloseTo(0.8, 12);
    // independent: ARI negative, NMI 0
    expect(adjustedRandScore(L([0, 0, 1, 1]), L([0, 1, 0, 1]))).toBeCloseTo(-0.5, 12);
    expect(normalizedMutualInfoScore(L([0, 0, 1, 1]), L([0, 1, 0, 1]))).toBe(0);
    // one cluster each: 1; one against two: NMI 0
    expect(normalizedMutualInfoScore(L([3, 3, 3]), L([1, 1, 1]))).toBe(1);
    expect(normalizedMutualInfoScore(L([0, 0, 1, 1]), L([0, 0, 0, 0]))).toBe(0);
    expect(adjustedRandScore(L([0, 0, 0]), L([1, 1, 1]))).toBe(1);
  });

  it('withoutNoise drops label -1 rows and keeps their indices', () => {
    const X = fromRows([[0, 1], [2, 3], [4, 5], [6, 7]]);
    const r = withoutNoise(X, L([-1, 2, -1, 0]));
    expect(Array.from(r.index)).toEqual([1, 3]);
    expect(Array.from(r.labels)).toEqual([2, 0]);
    expect(Array.from(r.X.data)).toEqual([2, 3, 6, 7]);
    expect(r.X.n_samples).toBe(2);
  });
});

function bruteSilhouette(X: Matrix, labels: Int32Array, metric: 'euclidean' | 'manhattan' | 'cosine'): number[] {
  const n = X.n_samples;
  const d = X.n_features;
  const row = (i: number) => Array.from(X.data.subarray(i * d, i * d + d));
  const dist = (p: number[], q: number[]) => {
    if (metric === 'euclidean') return Math.sqrt(p.reduce((s, v, f) => s + (v - q[f]) ** 2, 0));
    if (metric === 'manhattan') return p.reduce((s, v, f) => s + Math.abs(v - q[f]), 0);
    const np = Math.sqrt(p.reduce((s, v) => s + v * v, 0)) || 1;
    const nq = Math.sqrt(q.reduce((s, v) => s + v * v, 0)) || 1;
    return Math.max(0, 1 - p.reduce((s, v, f) => s + v * q[f], 0) / (np * nq));
  };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const byCluster = new Map<number, number[]>();
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const l = labels[j];
      if (!byCluster.has(l)) byCluster.set(l, []);
      byCluster.get(l)!.push(dist(row(i), row(j)));
    }
    const own = byCluster.get(labels[i]) ?? [];
    if (own.length === 0) {
      out.push(0);
      continue;
    }
    const a = own.reduce((s, v) => s + v, 0) / own.length;
    let b = Infinity;
    for (const [l, ds] of byCluster) if (l !== labels[i]) b = Math.min(b, ds.reduce((s, v) => s + v, 0) / ds.length);
    out.push((b - a) / Math.max(a, b));
  }
  return out;
}

describe('encodeLabels', () => {
  it('gives the sorted distinct labels and each sample\'s index among them, for small and far-apart label values', () => {
    for (const labels of [[2, -1, 0, 2, 5, -1], [7, 1_000_000_000, -2_000_000_000, 7, 1_000_000_000], [3], []]) {
      const { classes, codes } = encodeLabels(Int32Array.from(labels));
      const want = [...new Set(labels)].sort((a, b) => a - b);
      expect(Array.from(classes)).toEqual(want);
      expect(Array.from(codes)).toEqual(labels.map((l) => want.indexOf(l)));
    }
  });
});
