/**
 * The sweep worker's service in Node: each k-sweep point and eps-grid cell equals the direct engine calls; points
 * stream in order; a newer sweep or cancel() ends the running one. Also the cluster service's diagnostics
 * (k-distance curve, dendrogram) read the structures a fit cached.
 */
import { describe, expect, it } from 'vitest';
import { SweepService, epsGrid, sweepMetrics, withinClusterSS, type EpsCell, type KSweepPoint } from '../../workers/services/sweep_service.ts';
import { ClusterService } from '../../workers/services/cluster_service.ts';
import { fitKMeans } from '../../workers/engine/cluster/kmeans.ts';
import { fitGaussianMixture } from '../../workers/engine/mixture/gaussian_mixture.ts';
import { buildTree, cutTree } from '../../workers/engine/cluster/agglomerative.ts';
import { buildDbscanIndex, cutDbscan, kDistance, suggestEpsRange } from '../../workers/engine/cluster/dbscan.ts';
import { dendrogramTop } from '../../workers/engine/cluster/dendrogram.ts';
import { clusterMetrics } from '../../workers/engine/metrics/summary.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { Matrix } from '../../workers/engine/types.ts';

function blobs(n: number, d: number, seed: number, centres = 4): Matrix {
  const rs = new RandomState(seed);
  const c = Array.from({ length: centres }, () => Array.from({ length: d }, () => rs.normal() * 5));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const cc = c[rs.randint(centres)];
    for (let f = 0; f < d; f++) data[i * d + f] = cc[f] + rs.normal() * (0.6 + (i % 3) * 0.2);
  }
  return { data, n_samples: n, n_features: d };
}

const X = blobs(600, 4, 3);
function service(): SweepService {
  const s = new SweepService();
  s.setData('k1', X.data, X.n_samples, X.n_features);
  return s;
}
const base = { key: 'k1', sample_size: 200, random_state: 0 };

describe('SweepService.kSweep', () => {
  it('K-Means: every point equals fitKMeans + clusterMetrics for that k, streamed in order', async () => {
    const s = service();
    const streamed: KSweepPoint[] = [];
    const r = await s.kSweep({ ...base, name: 'KMeans', params: { init: 'k-means++', n_init: 3, random_state: 0 }, ks: [2, 4, 7] }, (p) => streamed.push(p));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((p) => p.k)).toEqual([2, 4, 7]);
    expect(streamed).toEqual(r.value);
    for (const p of r.value) {
      const km = fitKMeans(X, { n_clusters: p.k, init: 'k-means++', n_init: 3, random_state: 0 });
      const m = clusterMetrics(X, km.labels, { sample_size: 200, random_state: 0 });
      expect(p.inertia).toBe(km.inertia);
      expect(p.silhouette).toBe(m.silhouette);
      expect(p.davies_bouldin).toBe(m.davies_bouldin);
      expect(p.calinski_harabasz).toBe(m.calinski_harabasz);
      expect(p.n_clusters).toBe(p.k);
      expect(p.bic).toBeNull();
      expect(p.error).toBeNull();
    }
    // more clusters, less inertia
    expect(r.value[0].inertia!).toBeGreaterThan(r.value[2].inertia!);
  });

  it('Gaussian mixture: BIC as fitGaussianMixture; inertia is the within-cluster sum of squares', async () => {
    const s = service();
    const r = await s.kSweep({ ...base, name: 'GaussianMixture', params: { covariance_type: 'diag', random_state: 0 }, ks: [2, 3] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const p of r.value) {
      const g = fitGaussianMixture(X, { n_components: p.k, covariance_type: 'diag', random_state: 0 });
      expect(p.bic).toBe(g.bic);
      expect(p.inertia).toBeCloseTo(withinClusterSS(X, g.labels), 9);
      expect(p.silhouette).toBe(clusterMetrics(X, g.labels, { sample_size: 200, random_state: 0 }).silhouette);
    }
  });

  it('agglomerative: one tree, every k a cut of it (explicit distance_threshold ignored)', async () => {
    const s = service();
    const r = await s.kSweep({ ...base, name: 'AgglomerativeClustering', params: { linkage: 'ward', metric: 'euclidean', distance_threshold: 3 }, ks: [2, 5] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const tree = buildTree(X, { linkage: 'ward' });
    for (const p of r.value) {
      const { labels } = cutTree(tree, { n_clusters: p.k });
      expect(p.inertia).toBe(withinClusterSS(X, labels));
      expect(p.calinski_harabasz).toBe(clusterMetrics(X, labels, { sample_size: 200, random_state: 0 }).calinski_harabasz);
      expect(p.n_clusters).toBe(p.k);
    }
  });

  it('a newer sweep supersedes the running one at its next point', async () => {
    const s = service();
    const first: KSweepPoint[] = [];
    const a = s.kSweep({ ...base, name: 'KMeans', params: { random_state: 0 }, ks: [2, 3, 4, 5, 6, 7, 8, 9, 10] }, (p) => first.push(p));
    await new Promise((r) => setTimeout(r, 0));
    const b = s.kSweep({ ...base, name: 'KMeans', params: { random_state: 1 }, ks: [2, 3] });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.ok).toBe(false);
    if (!ra.ok) expect(ra.error.kind).toBe('cancelled');
    expect(first.length).toBeLessThan(9);
    expect(rb.ok).toBe(true);
    if (rb.ok) expect(rb.value.map((p) => p.k)).toEqual([2, 3]);
  });

  it('cancel() ends the running sweep and keeps what streamed in', async () => {
    const s = service();
    const got: KSweepPoint[] = [];
    const a = s.kSweep({ ...base, name: 'KMeans', params: { random_state: 0 }, ks: [2, 3, 4, 5, 6, 7, 8] }, (p) => {
      got.push(p);
      if (got.length === 2) s.cancel();
    });
    const r = await a;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('cancelled');
    expect(got.map((p) => p.k)).toEqual([2, 3]);
  });

  it('pause() holds the running sweep at its next point until resume(); cancel() still ends a paused one', async () => {
    const s = service();
    const got: KSweepPoint[] = [];
    const a = s.kSweep({ ...base, name: 'KMeans', params: { random_state: 0 }, ks: [2, 3, 4, 5, 6] }, (p) => {
      got.push(p);
      if (got.length === 2) s.pause(5000);
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(got.map((p) => p.k)).toEqual([2, 3]); // held
    s.resume();
    const r = await a;
    expect(r.ok && r.value.map((p) => p.k)).toEqual([2, 3, 4, 5, 6]);

    const got2: KSweepPoint[] = [];
    const b = s.kSweep({ ...base, name: 'KMeans', params: { random_state: 0 }, ks: [2, 3, 4] }, (p) => {
      got2.push(p);
      s.pause(5000);
    });
    await new Promise((r) => setTimeout(r, 200));
    s.cancel();
    const rb = await b;
    expect(rb.ok).toBe(false);
    expect(got2.map((p) => p.k)).toEqual([2]);
  });

  it('a pause is a lease: it lapses by itself', async () => {
    const s = service();
    const got: KSweepPoint[] = [];
    const a = s.kSweep({ ...base, name: 'KMeans', params: { random_state: 0 }, ks: [2, 3, 4] }, (p) => {
      got.push(p);
      if (got.length === 1) s.pause(150);
    });
    const r = await a;
    expect(r.ok && r.value.map((p) => p.k)).toEqual([2, 3, 4]);
  });

  it('answers an error, not a throw, for data it does not hold', async () => {
    const s = new SweepService();
    const r = await s.kSweep({ ...base, name: 'KMeans', params: {}, ks: [2] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('data');
  });
});

describe('SweepService.epsSweep', () => {
  it('fills the eps x min_samples grid; each cell equals cutDbscan on that min_samples index', async () => {
    const s = service();
    const cells: EpsCell[] = [];
    let grid: { eps: number[]; min_samples: number[] } | null = null;
    const r = await s.epsSweep({ ...base, metric: 'euclidean', min_samples: [3, 5, 10], n_eps: 6 }, (g) => (grid = g), (c) => cells.push(c));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // the eps grid spreads over the suggested range of the middle min_samples' index
    const range = suggestEpsRange(buildDbscanIndex(X, { min_samples: 5 }));
    expect(r.value.grid.eps).toEqual(epsGrid(range, 6));
    expect(r.value.grid.eps.length).toBe(6);
    expect(grid).toEqual(r.value.grid);
    expect(cells).toEqual(r.value.cells);
    expect(cells.length).toBe(18);
    expect(cells[0].min_samples).toBe(5); // the middle column comes first
    for (const c of cells) {
      const d = cutDbscan(buildDbscanIndex(X, { min_samples: c.min_samples }), c.eps);
      expect(c.n_clusters).toBe(d.n_clusters);
      expect(c.n_noise).toBe(d.n_noise);
      expect(c.noise_fraction).toBe(d.n_noise / X.n_samples);
      expect(c.silhouette).toBe(clusterMetrics(X, d.labels, { sample_size: 200, random_state: 0 }).silhouette);
    }
    // larger eps: no more noise
    const col = cells.filter((c) => c.min_samples === 10);
    for (let i = 1; i < col.length; i++) expect(col[i].n_noise).toBeLessThanOrEqual(col[i - 1].n_noise);
  });

  it('takes an explicit eps grid and drops min_samples above n', async () => {
    const s = service();
    const r = await s.epsSweep({ ...base, metric: 'manhattan', min_samples: [4, 10_000], eps: [0.5, 1.5] });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.grid).toEqual({ eps: [0.5, 1.5], min_samples: [4] });
      expect(r.value.cells.map((c) => c.eps)).toEqual([0.5, 1.5]);
    }
  });

  it('epsGrid spreads n values over the range on its step, without duplicates', () => {
    expect(epsGrid({ min: 0.3, max: 1.4, step: 0.1 }, 12)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4]);
    const g = epsGrid({ min: 0.2, max: 0.3, step: 0.02 }, 12);
    expect(g).toEqual([...new Set(g)]);
    expect(g[0]).toBe(0.2);
    expect(g[g.length - 1]).toBe(0.3);
  });
});

describe('sweepMetrics', () => {
  it('gives silhouette null (not an error) when the silhouette sample misses a tiny cluster', () => {
    const labels = new Int32Array(X.n_samples);
    labels[598] = labels[599] = 1;
    // a seed whose 10-row sample misses the 2-row cluster: the sample holds a single cluster
    const seed = Array.from({ length: 50 }, (_, i) => i).find((rs) => clusterMetrics(X, labels, { sample_size: 10, random_state: rs }).silhouette === null);
    expect(seed).toBeDefined();
    const m = sweepMetrics(X, labels, 10, seed!);
    expect(m.silhouette).toBeNull();
    const exact = clusterMetrics(X, labels, {});
    expect(m.davies_bouldin).toBe(exact.davies_bouldin);
    expect(m.calinski_harabasz).toBe(exact.calinski_harabasz);
  });
});

describe('ClusterService diagnostics', () => {
  it('dbscanIndexInfo: the sorted k-distance curve (sampled) and the suggested eps range', async () => {
    const c = new ClusterService();
    c.setData('k1', X.data.slice(), X.n_samples, X.n_features);
    const fit = await c.fit({ key: 'k1', estimator: { name: 'DBSCAN', params: { eps: 1, min_samples: 8, metric: 'euclidean' } } });
    expect(fit.ok).toBe(true);
    const r = await c.dbscanIndexInfo('k1', 8, 'euclidean', 100);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const index = buildDbscanIndex(X, { min_samples: 8 });
    const full = kDistance(index);
    expect(r.value.distance.length).toBe(100);
    expect(r.value.distance[0]).toBe(full[0]);
    expect(r.value.distance[99]).toBe(full[full.length - 1]);
    expect(r.value.share[99]).toBe(1);
    for (let i = 1; i < 100; i++) {
      expect(r.value.distance[i]).toBeGreaterThanOrEqual(r.value.distance[i - 1]);
      expect(r.value.share[i]).toBeGreaterThan(r.value.share[i - 1]);
    }
    expect(r.value.range).toEqual(suggestEpsRange(index));
  });

  it('dendrogram: the top of the tree the fit built', async () => {
    const c = new ClusterService();
    c.setData('k1', X.data.slice(), X.n_samples, X.n_features);
    await c.fit({ key: 'k1', estimator: { name: 'AgglomerativeClustering', params: { n_clusters: 3, linkage: 'average', metric: 'manhattan' } } });
    const r = await c.dendrogram('k1', 'average', 'manhattan', 40);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(dendrogramTop(buildTree(X, { linkage: 'average', metric: 'manhattan' }), 40));
    const bad = await c.dendrogram('other', 'ward', 'euclidean');
    expect(bad.ok).toBe(false);
  });
});
