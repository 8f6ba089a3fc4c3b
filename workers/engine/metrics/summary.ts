/**
 * The metrics panel's numbers for one labelling: silhouette, Davies-Bouldin, Calinski-Harabasz,
 * computed on the non-noise rows (as a scikit-learn user would: noise is not a cluster).
 * Each is null where it is undefined (fewer than 2 clusters, or every point its own cluster).
 */
import type { Matrix } from '../types.ts';
import { ParameterError } from '../errors.ts';
import { daviesBouldinScore } from './davies_bouldin.ts';
import { calinskiHarabaszScore } from './calinski_harabasz.ts';
import { silhouetteScoreSteps, withoutNoise } from './silhouette.ts';
import { runSteps, type Steps } from '../util/steps.ts';

export interface ClusterMetrics {
  silhouette: number | null;
  silhouette_sample_size: number | null;
  davies_bouldin: number | null;
  calinski_harabasz: number | null;
  n_excluded_noise: number;
  seconds: number;
}

export function clusterMetrics(X: Matrix, labels: Int32Array, opts: { sample_size?: number | null; random_state?: number } = {}): ClusterMetrics {
  return runSteps(clusterMetricsSteps(X, labels, opts));
}

/** clusterMetrics, a step per block of the silhouette's rows (util/steps.ts): a worker returns to its event loop between them. */
export function* clusterMetricsSteps(X: Matrix, labels: Int32Array, opts: { sample_size?: number | null; random_state?: number } = {}): Steps<ClusterMetrics> {
  const t0 = performance.now();
  const kept = withoutNoise(X, labels);
  const n = kept.labels.length;
  const distinct = new Set(kept.labels).size;
  const defined = distinct >= 2 && distinct <= n - 1;
  const sample = opts.sample_size != null && opts.sample_size < n ? opts.sample_size : null;
  let silhouette: number | null = null;
  if (defined) {
    try {
      silhouette = yield* silhouetteScoreSteps(kept.X, kept.labels, { sample_size: sample, random_state: opts.random_state ?? 0 });
    } catch (e) {
      // a sample that holds a single cluster (a tiny cluster beside a huge one): undefined, as scikit-learn raises
      if (!(e instanceof ParameterError)) throw e;
      silhouette = null;
    }
    if (silhouette !== null && !Number.isFinite(silhouette)) silhouette = null;
  }
  return {
    silhouette,
    silhouette_sample_size: sample,
    davies_bouldin: defined ? daviesBouldinScore(kept.X, kept.labels) : null,
    calinski_harabasz: defined ? calinskiHarabaszScore(kept.X, kept.labels) : null,
    n_excluded_noise: labels.length - n,
    seconds: (performance.now() - t0) / 1000,
  };
}
