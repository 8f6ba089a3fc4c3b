/**
 * One entry point for every clustering estimator of the configuration file: maps
 * { name, params } (scikit-learn's class name and keyword arguments) onto our engines.
 * What does not depend on the slider is cached: the agglomerative tree by (data, linkage, metric),
 * the DBSCAN index by (data, min_samples, metric). The cache is owned by the caller (one per worker).
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { ParameterError, show } from '../errors.ts';
import type { EstimatorConfig } from '../config/config.ts';
import { fitKMeansSteps } from './kmeans.ts';
import { runSteps, type Steps } from '../util/steps.ts';
import { buildTree, cutTree, type HierarchyTree, type Linkage } from './agglomerative.ts';
import { buildDbscanIndex, cutDbscan, fitDbscan, type DbscanIndex, type DbscanParams, type DbscanResult } from './dbscan.ts';
import { fitGaussianMixture } from '../mixture/gaussian_mixture.ts';

export interface ClusterResult {
  labels: Int32Array;
  n_clusters: number;
  n_noise: number;
  inertia: number | null;
  bic: number | null;
  /** Fitted state for scoring new rows and for the exported configuration. */
  model: Record<string, unknown>;
}

/**
 * Keyed caches, most recently used kept: `heavy` for slider-independent structures (trees, indices: large, few),
 * `result` for whole fits of seeded estimators (small, many).
 */
export class EngineCache {
  private maps = { heavy: new Map<string, unknown>(), result: new Map<string, unknown>() };
  constructor(private capacity = { heavy: 6, result: 64 }) {}
  get<T>(key: string, make: () => T, kind: 'heavy' | 'result' = 'heavy'): T {
    const map = this.maps[kind];
    if (map.has(key)) {
      const v = map.get(key) as T;
      map.delete(key);
      map.set(key, v);
      return v;
    }
    const v = make();
    map.set(key, v);
    while (map.size > this.capacity[kind]) map.delete(map.keys().next().value as string);
    return v;
  }
  /** get, for a value made in steps (util/steps.ts). */
  *getSteps<T>(key: string, make: () => Steps<T>, kind: 'heavy' | 'result' = 'heavy'): Steps<T> {
    const map = this.maps[kind];
    if (map.has(key)) return this.get(key, () => map.get(key) as T, kind);
    const v = yield* make();
    return this.get(key, () => v, kind);
  }
  clear(): void {
    this.maps.heavy.clear();
    this.maps.result.clear();
  }
}

function dbscanResult(r: DbscanResult): ClusterResult {
  return {
    labels: r.labels,
    n_clusters: r.n_clusters,
    n_noise: r.n_noise,
    inertia: null,
    bic: null,
    model: { core_sample_indices: Array.from(r.core_sample_indices) },
  };
}

function countNoise(labels: Int32Array): number {
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] < 0) c++;
  return c;
}

function countClusters(labels: Int32Array): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return max + 1;
}

/**
 * Fits one estimator on X. `dataKey` identifies (data, preprocessing) for the cache. Without a cache the fit is a
 * one-shot (the CLI): DBSCAN then runs the direct algorithm instead of building the slider's index (same labels).
 */
export function fitEstimator(
  X: Matrix,
  estimator: EstimatorConfig,
  opts: FitOptions = {},
  cache?: EngineCache,
  dataKey = '',
): ClusterResult {
  return runSteps(fitEstimatorSteps(X, estimator, opts, cache, dataKey));
}

/**
 * fitEstimator in steps (util/steps.ts): K-Means yields between its Lloyd iterations, so that a worker can return to
 * its event loop (a superseded fit's terminated worker then stops there); the other estimators run in one step.
 */
export function* fitEstimatorSteps(
  X: Matrix,
  estimator: EstimatorConfig,
  opts: FitOptions = {},
  cache?: EngineCache,
  dataKey = '',
): Steps<ClusterResult> {
  const p = estimator.params as Record<string, any>;
  if (!cache) {
    if (estimator.name === 'DBSCAN') return dbscanResult(fitDbscan(X, p as DbscanParams, opts));
    cache = new EngineCache();
  }
  const c = cache;
  // Seeded estimators give the same answer for the same parameters: revisiting a value (k back and forth) is instant.
  if (estimator.name === 'KMeans' || estimator.name === 'GaussianMixture') {
    return yield* c.getSteps(`fit|${dataKey}|${estimator.name}|${JSON.stringify(p)}`, () => fitUncachedSteps(X, estimator, opts, c, dataKey), 'result');
  }
  return yield* fitUncachedSteps(X, estimator, opts, c, dataKey);
}

function* fitUncachedSteps(X: Matrix, estimator: EstimatorConfig, opts: FitOptions, cache: EngineCache, dataKey: string): Steps<ClusterResult> {
  const p = estimator.params as Record<string, any>;
  switch (estimator.name) {
    case 'KMeans': {
      const r = yield* fitKMeansSteps(X, p as any, opts);
      return {
        labels: r.labels,
        n_clusters: r.n_clusters,
        n_noise: 0,
        inertia: r.inertia,
        bic: null,
        model: { cluster_centers: Array.from(r.cluster_centers), n_iter: r.n_iter, inertia: r.inertia },
      };
    }
    case 'AgglomerativeClustering': {
      const linkage = (p.linkage ?? 'ward') as Linkage;
      const metric = (p.metric ?? p.affinity ?? 'euclidean') as Metric;
      const tree = cache.get<HierarchyTree>(`agglo|${dataKey}|${linkage}|${metric}`, () =>
        buildTree(X, { linkage, metric }, opts),
      );
      const nc = p.n_clusters === undefined && p.distance_threshold == null ? 2 : p.n_clusters;
      const cut = cutTree(tree, { n_clusters: nc ?? null, distance_threshold: p.distance_threshold ?? null });
      return { labels: cut.labels, n_clusters: cut.n_clusters, n_noise: 0, inertia: null, bic: null, model: {} };
    }
    case 'DBSCAN': {
      const min_samples = p.min_samples ?? 5;
      const metric = (p.metric ?? 'euclidean') as Metric;
      const index = cache.get<DbscanIndex>(`dbscan|${dataKey}|${min_samples}|${metric}`, () =>
        buildDbscanIndex(X, { min_samples, metric }, opts),
      );
      if (typeof p.eps !== 'number' || !(p.eps > 0)) {
        throw new ParameterError('eps', `eps must be > 0 (got ${show(p.eps)})`);
      }
      return dbscanResult(cutDbscan(index, p.eps));
    }
    case 'GaussianMixture': {
      const r = fitGaussianMixture(X, p as any, opts);
      return {
        labels: r.labels,
        n_clusters: countClusters(r.labels),
        n_noise: countNoise(r.labels),
        inertia: null,
        bic: r.bic,
        model: {
          weights: Array.from(r.weights),
          means: Array.from(r.means),
          covariances: Array.from(r.covariances),
          covariance_type: r.covariance_type,
          converged: r.converged,
          n_iter: r.n_iter,
          lower_bound: r.lower_bound,
        },
      };
    }
    default:
      throw new ParameterError('name', `unknown estimator ${show((estimator as any).name)}`);
  }
}

/** Cluster sizes by label 0..n_clusters-1 (noise not counted). */
export function clusterSizes(labels: Int32Array, n_clusters: number): number[] {
  const s = new Array<number>(n_clusters).fill(0);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) s[labels[i]]++;
  return s;
}
