import { describe, it, expect } from 'vitest';
// density-clustering ships no type declarations
// @ts-ignore
import clustering from 'density-clustering';
import { buildDbscanIndex, cutDbscan, fitDbscan, kDistance, suggestEpsRange, type DbscanIndex } from '../../workers/engine/cluster/dbscan.ts';
import { EngineCache, fitEstimator } from '../../workers/engine/cluster/estimators.ts';
import { mutualReachabilityMst } from '../../workers/engine/neighbors/mst.ts';
import { kNearestNeighbors } from '../../workers/engine/neighbors/knn.ts';
import { rowDistance } from '../../workers/engine/metrics/pairwise.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import { CancelledError, ParameterError } from '../../workers/engine/errors.ts';
import type { Matrix, Metric, Progress } from '../../workers/engine/types.ts';
import { HAVE_SHARED, ccStandardized, oracle } from '../helpers/shared.ts';

function blobs(n: number, d: number, seed: number, centers = 4, spread = 5): Matrix {
  const rs = new RandomState(seed);
  const c = Array.from({ length: centers }, () => Array.from({ length: d }, () => rs.normal() * spread));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const cc = c[rs.randint(centers)];
    const s = 0.5 + rs.random();
    for (let f = 0; f < d; f++) data[i * d + f] = cc[f] + rs.normal() * s;
  }
  return { data, n_samples: n, n_features: d };
}

function grid(n: number, d: number, seed: number, side = 6): Matrix {
  const rs = new RandomState(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) data[i] = rs.randint(side);
  return { data, n_samples: n, n_features: d };
}

/**
 * Textbook DBSCAN with scikit-learn's scan: points in index order, a cluster grows from each unlabelled
 * core point through core points only, a border point keeps the first label it gets.
 */
function textbookDbscan(X: Matrix, eps: number, minPts: number, metric: Metric) {
  const n = X.n_samples;
  const dist = rowDistance(X, metric);
  const nb: number[][] = [];
  for (let i = 0; i < n; i++) {
    const l: number[] = [];
    for (let j = 0; j < n; j++) if (j === i || dist(i, j) <= eps) l.push(j);
    nb.push(l);
  }
  const core = nb.map((l) => l.length >= minPts);
  const labels = new Int32Array(n).fill(-1);
  let label = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || !core[i]) continue;
    labels[i] = label;
    const stack = [i];
    while (stack.length) {
      const p = stack.pop()!;
      if (!core[p]) continue;
      for (const q of nb[p]) {
        if (labels[q] === -1) {
          labels[q] = label;
          stack.push(q);
        }
      }
    }
    label++;
  }
  const coreIdx = Int32Array.from(core.flatMap((c, i) => (c ? [i] : [])));
  return { labels, core_sample_indices: coreIdx, n_clusters: label, n_noise: labels.filter((l) => l < 0).length };
}

function expectSameResult(r: ReturnType<typeof cutDbscan>, ref: ReturnType<typeof textbookDbscan>) {
  expect(r.core_sample_indices).toEqual(ref.core_sample_indices);
  expect(r.n_clusters).toBe(ref.n_clusters);
  expect(r.n_noise).toBe(ref.n_noise);
  expect(r.labels).toEqual(ref.labels);
}

describe('cutDbscan equals a textbook DBSCAN', () => {
  const datasets: { name: string; X: Matrix; eps: Record<Metric, number[]> }[] = [
    // n >= 256: KD-tree kNN and Borůvka tree for euclidean / manhattan
    { name: 'blobs 400x3', X: blobs(400, 3, 11), eps: { euclidean: [0.3, 0.6, 1, 1.5, 3], manhattan: [0.5, 1, 2, 4], cosine: [0.001, 0.01, 0.05, 0.2] } },
    // n < 256: brute force and Prim
    { name: 'blobs 150x6', X: blobs(150, 6, 12), eps: { euclidean: [0.8, 1.5, 2.5, 4], manhattan: [2, 4, 7], cosine: [0.01, 0.05, 0.2] } },
    // integer coordinates: duplicates and many pairs at exactly eps (the core test is <=)
    { name: 'integer grid 300x3', X: grid(300, 3, 13), eps: { euclidean: [1, Math.SQRT2, 1.5, 2], manhattan: [1, 2, 3], cosine: [0.02, 0.1] } },
  ];
  for (const { name, X, eps } of datasets) {
    for (const metric of ['euclidean', 'manhattan', 'cosine'] as Metric[]) {
      it(`${name}, ${metric}`, () => {
        for (const min_samples of [1, 2, 5, 12]) {
          const index = buildDbscanIndex(X, { min_samples, metric });
          for (const e of eps[metric]) {
            const ref = textbookDbscan(X, e, min_samples, metric);
            expectSameResult(cutDbscan(index, e), ref);
          }
          const one = fitDbscan(X, { eps: eps[metric][1], min_samples, metric });
          expectSameResult(one, textbookDbscan(X, eps[metric][1], min_samples, metric));
        }
      });
    }
  }

  it('sweeps eps finely (every distinct MST weight and its neighbours)', () => {
    const X = blobs(300, 2, 21, 5, 3);
    const index = buildDbscanIndex(X, { min_samples: 4 });
    const ws = Array.from(new Set(Array.from(index.mst_w))).filter((_, i) => i % 15 === 0);
    for (const w of ws) {
      for (const e of [w, w * (1 - 1e-9), w * (1 + 1e-9)]) expectSameResult(cutDbscan(index, e), textbookDbscan(X, e, 4, 'euclidean'));
    }
  });
});

describe('fitDbscan (direct: radius counts + union-find) equals the index cut', () => {
  const sets: { name: string; X: Matrix; eps: Record<Metric, number[]> }[] = [
    { name: 'blobs 1500x5 (tree)', X: blobs(1500, 5, 71), eps: { euclidean: [0.2, 0.5, 0.9, 1.6, 4, 40], manhattan: [0.5, 1.2, 2.5, 6], cosine: [0.002, 0.02, 0.1, 0.5] } },
    { name: 'blobs 700x17 (tree)', X: blobs(700, 17, 72, 6, 2), eps: { euclidean: [1, 2, 3.5, 6], manhattan: [5, 9, 14], cosine: [0.05, 0.2, 0.6] } },
    { name: 'blobs 200x4 (brute)', X: blobs(200, 4, 73), eps: { euclidean: [0.3, 0.8, 2], manhattan: [0.6, 1.5, 4], cosine: [0.005, 0.05, 0.3] } },
    // integer coordinates: duplicates and many pairs at exactly eps (the core test is <=)
    { name: 'integer grid 900x4 (tree, ties)', X: grid(900, 4, 74, 5), eps: { euclidean: [1, Math.SQRT2, Math.sqrt(3), 2, 2.5], manhattan: [1, 2, 3], cosine: [0.01, 0.05, 0.1] } },
  ];
  for (const { name, X, eps } of sets) {
    for (const metric of ['euclidean', 'manhattan', 'cosine'] as Metric[]) {
      it(`${name}, ${metric}`, () => {
        let clustered = 0;
        for (const min_samples of [1, 3, 5, 15]) {
          const index = buildDbscanIndex(X, { min_samples, metric });
          for (const e of eps[metric]) {
            const direct = fitDbscan(X, { eps: e, min_samples, metric });
            const cut = cutDbscan(index, e);
            expect(direct.core_sample_indices).toEqual(cut.core_sample_indices);
            expect(direct.labels).toEqual(cut.labels);
            expect(direct.n_clusters).toBe(cut.n_clusters);
            expect(direct.n_noise).toBe(cut.n_noise);
            if (direct.n_clusters > 1 && direct.n_noise > 0) clustered++;
          }
        }
        // the eps values exercise real partitions (several clusters and some noise), not only trivial ones
        expect(clustered).toBeGreaterThan(0);
      });
    }
  }

  it('eps at exactly a pairwise distance, and one ulp either side', () => {
    const X = blobs(600, 3, 75, 5, 3);
    const index = buildDbscanIndex(X, { min_samples: 6 });
    const dist = rowDistance(X, 'euclidean');
    for (const [i, j] of [[0, 1], [5, 17], [40, 41], [100, 300]]) {
      const e0 = Math.max(index.core_distances[i], dist(i, j) / 3);
      for (const e of [e0, e0 * (1 - 2 ** -52), e0 * (1 + 2 ** -52)]) {
        expect(fitDbscan(X, { eps: e, min_samples: 6 }).labels).toEqual(cutDbscan(index, e).labels);
      }
    }
  });

  it('cosine with an all-zero row (distance 1 to every row): brute force, still equal to the cut', () => {
    const X = blobs(400, 3, 77);
    X.data.fill(0, 5 * 3, 6 * 3);
    for (const min_samples of [2, 5]) {
      const index = buildDbscanIndex(X, { min_samples, metric: 'cosine' });
      for (const e of [0.01, 0.1, 1, 1.5]) {
        const a = fitDbscan(X, { eps: e, min_samples, metric: 'cosine' });
        const b = cutDbscan(index, e);
        expect(a.labels).toEqual(b.labels);
        expect(a.core_sample_indices).toEqual(b.core_sample_indices);
      }
    }
  });

  it('reports its two stages and stops when cancelled', () => {
    const X = blobs(3000, 3, 76);
    for (const metric of ['euclidean', 'cosine'] as Metric[]) {
      const seen: Progress[] = [];
      fitDbscan(X, { eps: 0.5, min_samples: 5, metric: metric }, { on_progress: (p) => seen.push(p) });
      expect(new Set(seen.map((p) => p.stage))).toEqual(new Set(['core points', 'clusters']));
      expect(seen.every((p) => p.fraction >= 0 && p.fraction <= 1)).toBe(true);
      expect(seen[seen.length - 1]).toEqual({ stage: 'clusters', fraction: 1 });
      for (const stage of ['core points', 'clusters']) {
        const ac = new AbortController();
        expect(() =>
          fitDbscan(X, { eps: 0.5, min_samples: 5, metric }, { signal: ac.signal, on_progress: (p) => p.stage === stage && ac.abort() }),
        ).toThrow(CancelledError);
      }
    }
  });
});

describe('fitEstimator: one-shot (no cache, the CLI) and the cached index give the same DBSCAN', () => {
  it('labels, core points and counts agree; the cached path builds the index once', () => {
    const X = blobs(1500, 5, 75);
    const cache = new EngineCache();
    for (const eps of [0.3, 0.8, 2]) {
      const est = { name: 'DBSCAN' as const, params: { eps, min_samples: 5, metric: 'euclidean' } };
      const one = fitEstimator(X, est);
      const cached = fitEstimator(X, est, {}, cache, 'blobs');
      expect(one.labels).toEqual(cached.labels);
      expect(one.model.core_sample_indices).toEqual(cached.model.core_sample_indices);
      expect([one.n_clusters, one.n_noise]).toEqual([cached.n_clusters, cached.n_noise]);
    }
    expect(() => fitEstimator(X, { name: 'DBSCAN', params: { eps: -1, min_samples: 5 } })).toThrow(/eps must be > 0 \(got -1\)/);
  });
});

describe('mutual-reachability spanning tree', () => {
  it('Borůvka and Prim give the same sorted weights (all minimum spanning trees share them)', () => {
    for (const [X, metric] of [
      [blobs(500, 4, 31), 'euclidean'],
      [blobs(400, 3, 32), 'manhattan'],
      [grid(400, 3, 33, 4), 'euclidean'],
      [grid(300, 2, 34, 5), 'manhattan'],
    ] as [Matrix, Metric][]) {
      for (const k of [1, 3, 8]) {
        const knn = kNearestNeighbors(X, k, metric);
        const core = new Float64Array(X.n_samples);
        for (let i = 0; i < X.n_samples; i++) core[i] = knn.distances[i * k + k - 1];
        const a = mutualReachabilityMst(X, core, metric, { algorithm: 'prim' });
        const b = mutualReachabilityMst(X, core, metric, { algorithm: 'boruvka', knn });
        const c = mutualReachabilityMst(X, core, metric, { algorithm: 'boruvka' });
        expect(b.w).toEqual(a.w);
        expect(c.w).toEqual(a.w);
        // it is a spanning tree: n - 1 edges joining everything
        const parent = Int32Array.from({ length: X.n_samples }, (_, i) => i);
        const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
        for (let e = 0; e < b.a.length; e++) parent[find(b.a[e])] = find(b.b[e]);
        const roots = new Set(Array.from({ length: X.n_samples }, (_, i) => find(i)));
        expect(roots.size).toBe(1);
        // every weight is max(core_a, core_b, d(a, b))
        const dist = rowDistance(X, metric);
        for (let e = 0; e < b.a.length; e++) {
          expect(b.w[e]).toBe(Math.max(core[b.a[e]], core[b.b[e]], dist(b.a[e], b.b[e])));
        }
      }
    }
  });
});

describe('agrees with density-clustering (npm)', () => {
  it('same core points, noise and clusters on blobs', () => {
    const X = blobs(400, 2, 41, 5, 4);
    const rows: number[][] = [];
    for (let i = 0; i < X.n_samples; i++) rows.push(Array.from(X.data.subarray(i * 2, i * 2 + 2)));
    for (const [eps, min] of [
      [0.3, 4],
      [0.6, 5],
      [1.0, 10],
    ]) {
      const dc = new clustering.DBSCAN();
      const clusters: number[][] = dc.run(rows, eps, min);
      // density-clustering: a point is core when >= minPts points (itself included) lie at distance < eps
      const theirCore: number[] = [];
      for (let i = 0; i < X.n_samples; i++) if (dc._regionQuery(i).length >= min) theirCore.push(i);
      const theirLabels = new Int32Array(X.n_samples).fill(-1);
      clusters.forEach((c, l) => c.forEach((i) => (theirLabels[i] = l)));
      const ours = fitDbscan(X, { eps, min_samples: min });
      expect(Array.from(ours.core_sample_indices)).toEqual(theirCore);
      expect(ours.n_clusters).toBe(clusters.length);
      const noise = (l: Int32Array) => Array.from(l.keys()).filter((i) => l[i] < 0);
      expect(noise(ours.labels)).toEqual(noise(theirLabels));
      expect(ours.labels).toEqual(theirLabels);
    }
  });
});

describe('kDistance and suggestEpsRange', () => {
  it('kDistance is the sorted distance to the min_samples-th neighbour', () => {
    const X = blobs(200, 3, 51);
    const index = buildDbscanIndex(X, { min_samples: 6 });
    const kd = kDistance(index);
    const dist = rowDistance(X, 'euclidean');
    const ref = Array.from({ length: 200 }, (_, i) => {
      const ds = Array.from({ length: 200 }, (_, j) => (i === j ? 0 : dist(i, j))).sort((a, b) => a - b);
      return ds[5];
    }).sort((a, b) => a - b);
    expect(Array.from(kd)).toEqual(ref);
  });

  it('suggests an ordered range with a usable eps', () => {
    for (const seed of [52, 53]) {
      const X = blobs(600, 3, seed);
      const index = buildDbscanIndex(X, { min_samples: 5 });
      const r = suggestEpsRange(index);
      expect(r.step).toBeGreaterThan(0);
      expect(r.min).toBeGreaterThan(0);
      expect(r.min).toBeLessThanOrEqual(r.suggested);
      expect(r.suggested).toBeLessThanOrEqual(r.max);
      expect((r.max - r.min) / r.step).toBeLessThan(1000);
      const res = cutDbscan(index, r.suggested);
      expect(res.n_clusters).toBeGreaterThanOrEqual(1);
      expect(res.n_noise).toBeLessThan(0.5 * X.n_samples);
    }
    // degenerate: all rows equal
    const same = { data: new Float64Array(40).fill(3), n_samples: 20, n_features: 2 };
    const r = suggestEpsRange(buildDbscanIndex(same, { min_samples: 3 }));
    expect(r.min).toBeGreaterThan(0);
    expect(r.max).toBeGreaterThan(r.min);
    expect(cutDbscan(buildDbscanIndex(same, { min_samples: 3 }), r.suggested).n_clusters).toBe(1);
  });
});

describe('validation, cancellation, progress, transfer', () => {
  const X = blobs(300, 2, 61);
  it('names the parameter and the value', () => {
    const pe = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as ParameterError;
      }
      throw new Error('no error');
    };
    let e = pe(() => fitDbscan(X, { eps: -1 }));
    expect(e).toBeInstanceOf(ParameterError);
    expect(e.param).toBe('eps');
    expect(e.message).toBe('eps must be > 0 (got -1)');
    expect(pe(() => fitDbscan(X, { eps: 0 })).message).toBe('eps must be > 0 (got 0)');
    expect(pe(() => fitDbscan(X, { eps: NaN })).param).toBe('eps');
    e = pe(() => fitDbscan(X, { eps: 1, min_samples: 0 }));
    expect(e.param).toBe('min_samples');
    expect(e.message).toBe('min_samples must be >= 1 (got 0)');
    e = pe(() => fitDbscan(X, { eps: 1, min_samples: 301 }));
    expect(e.param).toBe('min_samples');
    expect(e.message).toBe('min_samples must be <= the number of samples, 300 (got 301)');
    expect(pe(() => fitDbscan(X, { eps: 1, min_samples: 2.5 })).message).toBe('min_samples must be an integer (got 2.5)');
    expect(pe(() => fitDbscan(X, { eps: 1, metric: 'l3' as Metric })).param).toBe('metric');
    const index = buildDbscanIndex(X, {});
    expect(index.min_samples).toBe(5);
    expect(index.metric).toBe('euclidean');
    expect(pe(() => cutDbscan(index, -0.5)).message).toBe('eps must be > 0 (got -0.5)');
  });

  it('reports both stages and stops when cancelled', () => {
    const big = blobs(3000, 3, 62);
    const seen: Progress[] = [];
    buildDbscanIndex(big, { min_samples: 5 }, { on_progress: (p) => seen.push(p) });
    const stages = new Set(seen.map((p) => p.stage));
    expect(stages).toEqual(new Set(['neighbours', 'spanning tree']));
    expect(seen.every((p) => p.fraction >= 0 && p.fraction <= 1)).toBe(true);
    expect(seen.filter((p) => p.stage === 'spanning tree').pop()!.fraction).toBe(1);

    const ac = new AbortController();
    ac.abort();
    expect(() => fitDbscan(big, { eps: 1 }, { signal: ac.signal })).toThrow(CancelledError);
    for (const [stage, metric] of [
      ['neighbours', 'euclidean'],
      ['spanning tree', 'euclidean'],
      ['spanning tree', 'cosine'],
    ] as const) {
      const ac2 = new AbortController();
      expect(() =>
        buildDbscanIndex(big, { metric }, { signal: ac2.signal, on_progress: (p) => p.stage === stage && ac2.abort() }),
      ).toThrow(CancelledError);
    }
  });

  it('the index is plain typed arrays (survives structuredClone) and results are typed', () => {
    const index = buildDbscanIndex(X, { min_samples: 4 });
    const copy = structuredClone(index) as DbscanIndex;
    const a = cutDbscan(index, 0.4);
    const b = cutDbscan(copy, 0.4);
    expect(b).toEqual(a);
    expect(a.labels).toBeInstanceOf(Int32Array);
    expect(a.core_sample_indices).toBeInstanceOf(Int32Array);
    expect(index.knn_indices.length).toBe(300 * 4);
    expect(index.mst_w.length).toBe(299);
  });
});

describe.skipIf(!HAVE_SHARED)('DBSCAN vs scikit-learn oracle', () => {
  it('cc_general: 18 cases label for label, one index per min_samples', () => {
    const X = ccStandardized();
    const cases = oracle('cc_general').dbscan.cases as any[];
    expect(cases.length).toBe(18);
    for (const min_samples of [5, 10, 20]) {
      const index = buildDbscanIndex(X, { min_samples });
      for (const c of cases.filter((c) => c.min_samples === min_samples)) {
        const r = cutDbscan(index, c.eps);
        expect(Array.from(r.core_sample_indices)).toEqual(c.core_sample_indices);
        expect(r.n_clusters).toBe(c.n_clusters);
        expect(r.n_noise).toBe(c.n_noise);
        expect(Array.from(r.labels)).toEqual(c.labels);
      }
    }
  });

  it('cc_general: fitDbscan (direct) reproduces the 18 cases label for label', () => {
    const X = ccStandardized();
    const cases = oracle('cc_general').dbscan.cases as any[];
    for (const c of cases) {
      const r = fitDbscan(X, { eps: c.eps, min_samples: c.min_samples });
      expect(Array.from(r.core_sample_indices)).toEqual(c.core_sample_indices);
      expect(r.n_clusters).toBe(c.n_clusters);
      expect(r.n_noise).toBe(c.n_noise);
      expect(Array.from(r.labels)).toEqual(c.labels);
    }
  });

  it('cc_general, manhattan and cosine: fitDbscan equals the index cut', () => {
    const X = ccStandardized();
    for (const [metric, epss] of [
      ['manhattan', [1, 2.5, 5]],
      ['cosine', [0.005, 0.03, 0.15]],
    ] as [Metric, number[]][]) {
      const index = buildDbscanIndex(X, { min_samples: 10, metric });
      for (const eps of epss) {
        const a = fitDbscan(X, { eps, min_samples: 10, metric });
        const b = cutDbscan(index, eps);
        expect(a.labels).toEqual(b.labels);
        expect(a.core_sample_indices).toEqual(b.core_sample_indices);
        expect(a.n_clusters).toBeGreaterThan(0);
      }
    }
  });

  it('toy_shapes: the example\'s DBSCAN on X_std, label for label', () => {
    const sets = oracle('toy_shapes').datasets as any[];
    expect(sets.length).toBe(6);
    for (const s of sets) {
      const n = s.X_std.length;
      const d = s.X_std[0].length;
      const X = { data: Float64Array.from(s.X_std.flat()), n_samples: n, n_features: d };
      const r = fitDbscan(X, { eps: s.params.eps, min_samples: s.dbscan.min_samples ?? 5 });
      expect(Array.from(r.core_sample_indices), s.name).toEqual(s.dbscan.core_sample_indices);
      expect(r.n_clusters, s.name).toBe(s.dbscan.n_clusters);
      expect(r.n_noise, s.name).toBe(s.dbscan.n_noise);
      expect(Array.from(r.labels), s.name).toEqual(s.dbscan.labels);
    }
  });
});
