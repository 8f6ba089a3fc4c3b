/**
 * Agglomerative clustering, as scikit-learn's AgglomerativeClustering (no connectivity constraint).
 *
 * The full tree is built once (O(n^2) time; see hierarchy_build.ts) and every `n_clusters` or
 * `distance_threshold` is then a cut of the stored tree (O(n)). `children` / `distances` have scikit-learn's
 * shape: merge i joins children[2i] and children[2i+1] (ids < n are samples, n + j is the cluster made at
 * merge j) at height distances[i] (non-decreasing). Ward heights are SciPy's Ward distance
 * sqrt(2 n_a n_b / (n_a + n_b)) |c_a - c_b|; cosine distance is 1 - cos.
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { DataError, ParameterError, checkInt, checkOneOf, show, throwIfAborted } from '../errors.ts';
import { condensedBytes, nnChainCondensed, nnChainWard, pdistLower, primSingle, progressReporter, relabelMerges } from './hierarchy_build.ts';

export type Linkage = 'ward' | 'complete' | 'average' | 'single';

export const LINKAGES: readonly Linkage[] = ['ward', 'complete', 'average', 'single'];
export const METRICS: readonly Metric[] = ['euclidean', 'manhattan', 'cosine'];
/** Default memory budget for the pairwise distances of average / complete linkage: 1 GiB. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 2 ** 30;

export interface AgglomerativeParams {
  /** Number of clusters (scikit-learn's default 2 when neither this nor distance_threshold is given). */
  n_clusters?: number | null;
  /** Merges with distance < threshold are applied. Exactly one of n_clusters / distance_threshold is set. */
  distance_threshold?: number | null;
  linkage?: Linkage;
  metric?: Metric;
  memory_budget_bytes?: number;
}

export interface HierarchyTree {
  n_samples: number;
  linkage: Linkage;
  metric: Metric;
  children: Int32Array;
  distances: Float64Array;
}

export interface AgglomerativeResult {
  labels: Int32Array;
  n_clusters: number;
  children: Int32Array;
  distances: Float64Array;
  n_leaves: number;
}

/**
 * Peak working memory of building the tree, in bytes (the input matrix not included).
 * average / complete: the condensed n(n-1)/2 float64 pairwise matrix plus O(n d);
 * ward: the centroids (n d float64) plus O(n); single: a padded copy of the rows (O(n d)) plus O(n).
 */
export function agglomerativeMemoryBytes(n_samples: number, n_features: number, linkage: Linkage): number {
  const n = n_samples;
  const perRow = 96; // sizes, ids, chain and its caches, and the merges (a, b, height) with their relabelled copy
  const packed = n * ((n_features + 3) & ~3) * 8; // the rows copied, padded to a multiple of 4 features
  switch (linkage) {
    case 'average':
    case 'complete':
      return condensedBytes(n) + packed + n * perRow;
    case 'ward':
      return n * n_features * 8 + n * perRow;
    case 'single':
      return packed + n * (perRow + 24);
  }
}

/** 40.0 GB, 320.4 MB, 12.0 kB (decimal units); a whole number of GiB / MiB is written as such. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30 && bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30} GiB`;
  if (bytes >= 2 ** 20 && bytes < 2 ** 30 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let u = 0;
  let v = bytes;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

function checkTreeParams(X: Matrix, params: { linkage?: Linkage; metric?: Metric; memory_budget_bytes?: number }): {
  linkage: Linkage;
  metric: Metric;
} {
  const linkage = checkOneOf('linkage', params.linkage ?? 'ward', LINKAGES);
  const metric = checkOneOf('metric', params.metric ?? 'euclidean', METRICS);
  if (linkage === 'ward' && metric !== 'euclidean') {
    throw new ParameterError('metric', `euclidean is the only metric accepted with ward linkage (got ${metric})`);
  }
  const budget = params.memory_budget_bytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  if (typeof budget !== 'number' || !(budget > 0)) {
    throw new ParameterError('memory_budget_bytes', `memory_budget_bytes must be > 0 (got ${show(budget)})`);
  }
  const { n_samples: n, n_features: d, data } = X;
  if (!Number.isInteger(n) || !Number.isInteger(d) || data.length !== n * d) {
    throw new DataError('X', `X has ${data.length} values, expected ${n} x ${d}`);
  }
  if (n < 2) throw new DataError('X', `agglomerative clustering needs at least 2 samples (got ${n})`);
  const need = agglomerativeMemoryBytes(n, d, linkage);
  if (need > budget) {
    const what = linkage === 'average' || linkage === 'complete' ? 'for the pairwise distances' : 'of working memory';
    const advice = linkage === 'average' || linkage === 'complete' ? 'use ward or single linkage, or a sample' : 'use a sample';
    throw new ParameterError(
      'memory_budget_bytes',
      `${linkage} linkage on ${n} rows needs ${formatBytes(need)} ${what}, over the ${formatBytes(budget)} budget; ${advice}`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new DataError('X', `X contains a non-finite value (${data[i]}) at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
  return { linkage, metric };
}

/** Builds the full tree (n - 1 merges). Progress stage 'building tree'; cancellable through opts.signal. */
export function buildTree(
  X: Matrix,
  params: { linkage?: Linkage; metric?: Metric; memory_budget_bytes?: number },
  opts: FitOptions = {},
): HierarchyTree {
  const { linkage, metric } = checkTreeParams(X, params);
  throwIfAborted(opts.signal);
  const n = X.n_samples;
  const report = progressReporter(opts);
  report(0);
  let raw;
  if (linkage === 'ward') {
    raw = nnChainWard(X, opts, report);
  } else if (linkage === 'single') {
    raw = primSingle(X, metric, opts, report);
  } else {
    // The pairwise matrix is about a third of the work.
    const share = 0.35;
    const D = pdistLower(X, metric, opts, report, share);
    raw = nnChainCondensed(D, n, linkage, opts, report, share);
  }
  const { children, distances } = relabelMerges(raw, n);
  return { n_samples: n, linkage, metric, children, distances };
}

/** n_clusters implied by a distance threshold, as scikit-learn: (number of merge distances >= threshold) + 1. */
export function nClustersForThreshold(tree: HierarchyTree, distance_threshold: number): number {
  const dist = tree.distances;
  // distances are non-decreasing: binary search for the first >= threshold.
  let lo = 0;
  let hi = dist.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dist[mid] >= distance_threshold) hi = mid;
    else lo = mid + 1;
  }
  return dist.length - lo + 1;
}

function resolveCut(
  n: number,
  cut: { n_clusters?: number | null; distance_threshold?: number | null },
): { n_clusters: number | null; distance_threshold: number | null } {
  const thr = cut.distance_threshold ?? null;
  // scikit-learn's default n_clusters is 2; a caller giving only a threshold means n_clusters = None.
  const k = cut.n_clusters === undefined ? (thr === null ? 2 : null) : cut.n_clusters;
  if ((k === null) === (thr === null)) {
    throw new ParameterError(
      k === null ? 'n_clusters' : 'distance_threshold',
      'Exactly one of n_clusters and distance_threshold has to be set, and the other needs to be None.' +
        ` (got n_clusters=${show(k)}, distance_threshold=${show(thr)})`,
    );
  }
  if (k !== null) {
    checkInt('n_clusters', k, 1);
    if (k > n) {
      throw new ParameterError('n_clusters', `n_clusters must be between 1 and n_samples = ${n} (got ${k})`);
    }
    return { n_clusters: k, distance_threshold: null };
  }
  if (typeof thr !== 'number' || Number.isNaN(thr) || thr < 0) {
    throw new ParameterError('distance_threshold', `distance_threshold must be >= 0 (got ${show(thr)})`);
  }
  return { n_clusters: null, distance_threshold: thr };
}

/**
 * Cuts the stored tree: applies its first n - n_clusters merges. Labels are numbered in order of each
 * cluster's smallest sample index (0 for the cluster holding sample 0, ...). O(n).
 */
export function cutTree(
  tree: HierarchyTree,
  cut: { n_clusters?: number | null; distance_threshold?: number | null },
): { labels: Int32Array; n_clusters: number } {
  const n = tree.n_samples;
  const c = resolveCut(n, cut);
  const k = c.n_clusters ?? nClustersForThreshold(tree, c.distance_threshold!);
  const ch = tree.children;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r];
    while (parent[v] !== r) {
      const nx = parent[v];
      parent[v] = r;
      v = nx;
    }
    return r;
  };
  // rep[j]: a sample of the cluster made at merge j.
  const applied = n - k;
  const rep = new Int32Array(Math.max(applied, 0));
  for (let j = 0; j < applied; j++) {
    const a = ch[2 * j];
    const b = ch[2 * j + 1];
    const ra = find(a < n ? a : rep[a - n]);
    const rb = find(b < n ? b : rep[b - n]);
    parent[rb] = ra;
    rep[j] = ra;
  }
  const labels = new Int32Array(n);
  const labelOfRoot = new Int32Array(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let l = labelOfRoot[r];
    if (l < 0) {
      l = next++;
      labelOfRoot[r] = l;
    }
    labels[i] = l;
  }
  return { labels, n_clusters: next };
}

/** AgglomerativeClustering.fit: validates, builds the full tree once, cuts it. */
export function fitAgglomerative(X: Matrix, params: AgglomerativeParams, opts: FitOptions = {}): AgglomerativeResult {
  // Validate the cut before the (long) build.
  const c = resolveCut(X.n_samples, params);
  const tree = buildTree(X, params, opts);
  const { labels, n_clusters } = cutTree(tree, c);
  return { labels, n_clusters, children: tree.children, distances: tree.distances, n_leaves: tree.n_samples };
}
