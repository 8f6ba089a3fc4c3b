/**
 * Requests and answers of the sweep worker (workers/services/sweep_service.ts), with no engine code in them:
 * the main thread imports this module at run time.
 */
import type { Metric } from '../engine/types.ts';

export type SweepEstimator = 'KMeans' | 'AgglomerativeClustering' | 'GaussianMixture';

/** The parameter a k-sweep varies, per estimator. */
export const K_PARAM: Record<SweepEstimator, 'n_clusters' | 'n_components'> = {
  KMeans: 'n_clusters',
  AgglomerativeClustering: 'n_clusters',
  GaussianMixture: 'n_components',
};

export interface KSweepRequest {
  key: string;
  name: SweepEstimator;
  /** The estimator's other parameters (scikit-learn names); k is set per point. */
  params: Record<string, unknown>;
  ks: number[];
  /** Rows sampled for the silhouette (null = exact) and the sample's seed. */
  sample_size: number | null;
  random_state: number;
}

export interface KSweepPoint {
  k: number;
  /** Clusters actually found (a mixture may leave a component empty). */
  n_clusters: number;
  /** K-Means: its inertia; others: the within-cluster sum of squares of the labelling (the same quantity). */
  inertia: number | null;
  silhouette: number | null;
  davies_bouldin: number | null;
  calinski_harabasz: number | null;
  /** Gaussian mixture only. */
  bic: number | null;
  seconds: number;
  /** Why this k has no values (e.g. a mixture component collapsed); the sweep goes on. */
  error: string | null;
}

export interface EpsSweepRequest {
  key: string;
  metric: Metric;
  min_samples: number[];
  /** The eps values; when absent, n_eps values spread over the suggested range of the middle min_samples' index. */
  eps?: number[];
  n_eps?: number;
  sample_size: number | null;
  random_state: number;
}

export interface EpsGrid {
  eps: number[];
  min_samples: number[];
}

export interface EpsCell {
  eps: number;
  min_samples: number;
  n_clusters: number;
  n_noise: number;
  /** Noise share in [0, 1]. */
  noise_fraction: number;
  /** Silhouette of the non-noise rows (null where undefined: fewer than 2 clusters). */
  silhouette: number | null;
}

/** The key of a cell of the eps x min_samples grid. */
export const cellKey = (min_samples: number, eps: number): string => `${min_samples}|${eps}`;
