/**
 * DBSCAN as scikit-learn's `sklearn.cluster.DBSCAN(eps, min_samples, metric)`, with an "instant eps" index.
 *
 * For fixed (X, min_samples, metric) `buildDbscanIndex` computes once:
 * - each point's k = min_samples nearest neighbours (self included, first) and their distances;
 * - the core distance (distance to the min_samples-th of them): a point is core at eps iff core <= eps,
 *   i.e. at least min_samples points (itself included) lie within eps, scikit-learn's rule;
 * - the minimum spanning tree of the mutual-reachability graph, w(a, b) = max(core_a, core_b, d(a, b)),
 *   edges sorted by weight.
 * Euclidean and manhattan (n >= 256) use one KD-tree for both (neighbors/kdtree.ts; for euclidean its cells
 * follow the principal axes): exact kNN searches, then Borůvka with tree searches (neighbors/mst.ts).
 * Cosine (and small n) uses brute force and Prim (O(n^2) time, O(n) memory, no distance matrix).
 * Progress stages: 'neighbours', 'spanning tree'; both check opts.signal.
 *
 * `cutDbscan(index, eps)` is then O(n k): core points are those with core <= eps; clusters of core points
 * are the components of the tree edges with w <= eps (a minimum spanning forest has the same components at
 * every threshold as the full graph); a non-core point has fewer than min_samples points within eps, so
 * all of them are in its neighbour list: it joins the smallest cluster label among its core neighbours
 * within eps, or is noise. Clusters are numbered by the smallest index of a core point they hold. This is
 * exactly what scikit-learn's scan produces (it grows clusters from unlabelled core points in index order,
 * and a border point keeps the first label it gets), so labels match scikit-learn's label for label.
 *
 * Distances are computed as metrics/pairwise.ts does (euclidean: sqrt of the sum of squared differences
 * in feature order); the core test and the tree use the same value for the same pair.
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { ParameterError, checkInt, checkOneOf, checkPositive, throwIfAborted } from '../errors.ts';
import { METRICS, checkFinite, kNearestNeighbors } from '../neighbors/knn.ts';
import { mutualReachabilityMst } from '../neighbors/mst.ts';
import { buildKdTree } from '../neighbors/kdtree.ts';

export interface DbscanParams {
  eps: number;
  /** Points within eps needed for a core point, the point itself included. Default 5 (scikit-learn's). */
  min_samples?: number;
  /** Default 'euclidean'. */
  metric?: Metric;
}

/** Everything that does not depend on eps. Plain typed arrays: cache it, transfer it. */
export interface DbscanIndex {
  n_samples: number;
  min_samples: number;
  metric: Metric;
  /** n_samples x min_samples neighbour indices (row-major, sorted by distance, self first). */
  knn_indices: Int32Array;
  /** Distances matching knn_indices. */
  knn_distances: Float64Array;
  /** Distance to the min_samples-th neighbour (self counted). */
  core_distances: Float64Array;
  /** Mutual-reachability minimum spanning tree: n_samples - 1 edges (a, b, w), sorted by w ascending. */
  mst_a: Int32Array;
  mst_b: Int32Array;
  mst_w: Float64Array;
}

export interface DbscanResult {
  /** Cluster per row, -1 = noise; clusters numbered as scikit-learn numbers them. */
  labels: Int32Array;
  /** Sorted indices of the core points. */
  core_sample_indices: Int32Array;
  n_clusters: number;
  n_noise: number;
}

export const DEFAULT_MIN_SAMPLES = 5;

function validateIndexParams(X: Matrix, params: { min_samples?: number; metric?: Metric }): { min_samples: number; metric: Metric } {
  const metric = checkOneOf('metric', params.metric ?? 'euclidean', METRICS);
  const min_samples = checkInt('min_samples', params.min_samples ?? DEFAULT_MIN_SAMPLES, 1);
  if (min_samples > X.n_samples) {
    throw new ParameterError('min_samples', `min_samples must be <= the number of samples, ${X.n_samples} (got ${min_samples})`);
  }
  return { min_samples, metric };
}

/** Builds the eps-independent index (k nearest neighbours, core distances, mutual-reachability MST). */
export function buildDbscanIndex(X: Matrix, params: { min_samples?: number; metric?: Metric }, opts: FitOptions = {}): DbscanIndex {
  const { min_samples, metric } = validateIndexParams(X, params);
  checkFinite(X);
  throwIfAborted(opts.signal);
  const n = X.n_samples;
  const k = min_samples;
  // one KD-tree (rotated onto the principal axes for euclidean) serves both searches
  const tree = metric !== 'cosine' && n >= 256 ? buildKdTree(X, 16, metric === 'euclidean') : undefined;
  const knn = kNearestNeighbors(X, k, metric, { ...opts, algorithm: tree ? 'kd_tree' : 'brute', tree });
  const core = new Float64Array(n);
  for (let i = 0; i < n; i++) core[i] = knn.distances[i * k + k - 1];
  const mst = mutualReachabilityMst(X, core, metric, { ...opts, knn, tree, algorithm: tree ? 'boruvka' : 'prim' });
  return {
    n_samples: n,
    min_samples,
    metric,
    knn_indices: knn.indices,
    knn_distances: knn.distances,
    core_distances: core,
    mst_a: mst.a,
    mst_b: mst.b,
    mst_w: mst.w,
  };
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const p = parent[parent[x]];
    parent[x] = p;
    x = p;
  }
  return x;
}

/** Labels for one eps from a built index: O(n_samples x min_samples), no distance computed. */
export function cutDbscan(index: DbscanIndex, eps: number): DbscanResult {
  checkPositive('eps', eps);
  const n = index.n_samples;
  const k = index.min_samples;
  const core = index.core_distances;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // MST edges sorted by weight: the prefix with w <= eps joins core points (both ends are core there)
  const { mst_a, mst_b, mst_w } = index;
  let lo = 0;
  let hi = mst_w.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (mst_w[mid] <= eps) lo = mid + 1;
    else hi = mid;
  }
  for (let e = 0; e < lo; e++) {
    const ra = find(parent, mst_a[e]);
    const rb = find(parent, mst_b[e]);
    if (ra !== rb) {
      if (ra < rb) parent[rb] = ra;
      else parent[ra] = rb;
    }
  }
  // number clusters by their smallest core index (scan in index order)
  const labels = new Int32Array(n).fill(-1);
  const rootLabel = new Int32Array(n).fill(-1);
  let nCore = 0;
  let nClusters = 0;
  for (let i = 0; i < n; i++) {
    if (core[i] <= eps) {
      nCore++;
      const r = find(parent, i);
      let l = rootLabel[r];
      if (l < 0) l = rootLabel[r] = nClusters++;
      labels[i] = l;
    }
  }
  const coreIdx = new Int32Array(nCore);
  const kd = index.knn_distances;
  const ki = index.knn_indices;
  let nNoise = 0;
  for (let i = 0, c = 0; i < n; i++) {
    if (core[i] <= eps) {
      coreIdx[c++] = i;
      continue;
    }
    // border: the smallest label among core neighbours within eps (all of them are in the list)
    let l = -1;
    for (let p = i * k + 1, e = i * k + k; p < e; p++) {
      if (kd[p] > eps) break;
      const j = ki[p];
      const lj = core[j] <= eps ? labels[j] : -1;
      if (lj >= 0 && (l < 0 || lj < l)) l = lj;
    }
    labels[i] = l;
    if (l < 0) nNoise++;
  }
  return { labels, core_sample_indices: coreIdx, n_clusters: nClusters, n_noise: nNoise };
}

/** DBSCAN in one call (builds the index, then cuts it). Validates eps before any work. */
export function fitDbscan(X: Matrix, params: DbscanParams, opts: FitOptions = {}): DbscanResult {
  checkPositive('eps', params.eps);
  validateIndexParams(X, params);
  const index = buildDbscanIndex(X, params, opts);
  throwIfAborted(opts.signal);
  return cutDbscan(index, params.eps);
}

/** The k-distance plot: each point's distance to its min_samples-th neighbour (self counted), ascending. */
export function kDistance(index: DbscanIndex): Float64Array {
  return Float64Array.from(index.core_distances).sort();
}

function quantileSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0.01;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  const m = x / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * A range for an eps slider from the k-distance curve: min near its 1 % quantile, max near its 99 %
 * quantile (outliers would otherwise stretch it), step about 1/200 of the range rounded to 1, 2 or 5 x 10^p,
 * and `suggested` at the knee of the curve (the point farthest below the chord of the curve between the
 * two quantiles, both axes scaled to [0, 1]), the usual heuristic for choosing eps.
 */
export function suggestEpsRange(index: DbscanIndex): { min: number; max: number; step: number; suggested: number } {
  const s = kDistance(index);
  const n = s.length;
  if (n === 0) return { min: 0.01, max: 1, step: 0.01, suggested: 0.5 };
  let lo = quantileSorted(s, 0.01);
  let hi = quantileSorted(s, 0.99);
  if (!(hi > lo)) {
    // degenerate curve (all distances equal or zero): open a small window around it
    const c = hi > 0 ? hi : 1;
    lo = c / 2;
    hi = c * 2;
  }
  const step = niceStep((hi - lo) / 200);
  const min = Math.max(step, Math.floor(lo / step) * step);
  const max = Math.max(min + step, Math.ceil(hi / step) * step);
  // knee: maximise (x - y) on the normalised curve between the two quantiles
  const i0 = Math.floor(0.01 * (n - 1));
  const i1 = Math.max(i0 + 1, Math.ceil(0.99 * (n - 1)));
  const y0 = s[i0];
  const y1 = s[Math.min(n - 1, i1)];
  let bestGap = -Infinity;
  let knee = (lo + hi) / 2;
  if (y1 > y0 && i1 < n) {
    for (let i = i0; i <= i1; i++) {
      const gap = (i - i0) / (i1 - i0) - (s[i] - y0) / (y1 - y0);
      if (gap > bestGap) {
        bestGap = gap;
        knee = s[i];
      }
    }
  }
  let suggested = Math.round(knee / step) * step;
  suggested = Math.min(max, Math.max(min, suggested));
  const clean = (x: number) => Number(x.toPrecision(12));
  return { min: clean(min), max: clean(max), step: clean(step), suggested: clean(suggested) };
}
