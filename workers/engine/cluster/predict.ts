/**
 * Scoring new rows (already preprocessed) with a fitted estimator's own rule, and the fitted state that rule needs,
 * in a JSON-friendly form that travels in the configuration file (`estimators[i].fitted`):
 * - KMeans: nearest centre (`cluster_centers`).
 * - GaussianMixture: most probable component (`weights`, `means`, `covariances`, `covariance_type`).
 * - DBSCAN: the cluster of the nearest core sample within eps, else noise -1 (`components`, the core samples, and
 *   `core_labels`), as scikit-learn's core samples define the clusters.
 * - AgglomerativeClustering has no predict in scikit-learn: the nearest training row's cluster (`training_rows`, `labels`).
 */
import type { Matrix, Metric } from '../types.ts';
import { ParameterError } from '../errors.ts';
import type { EstimatorConfig } from '../config/config.ts';
import { predictKMeans } from './kmeans.ts';
import { gmmModel, gmmPredict, gmmPredictProba, type CovarianceType } from '../mixture/gaussian_mixture.ts';
import { rowDistance } from '../metrics/pairwise.ts';
import type { ClusterResult } from './estimators.ts';

export type FittedState = Record<string, unknown>;

function rows(data: ArrayLike<number>, n_features: number, pick?: ArrayLike<number>): number[][] {
  const idx = pick ?? Array.from({ length: data.length / n_features }, (_, i) => i);
  const out: number[][] = [];
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    out.push(Array.from({ length: n_features }, (_, j) => data[i * n_features + j]));
  }
  return out;
}

function flat(r: unknown, field: string): Float64Array {
  if (!Array.isArray(r)) throw new ParameterError(field, `${field} must be a list of rows`);
  return Float64Array.from((r as unknown[]).flat(2) as number[]);
}

/** The state scoring needs, from a fit on X. */
export function fittedState(X: Matrix, est: EstimatorConfig, r: ClusterResult): FittedState {
  const d = X.n_features;
  const m = r.model as Record<string, any>;
  switch (est.name) {
    case 'KMeans':
      return { cluster_centers: rows(m.cluster_centers, d) };
    case 'GaussianMixture':
      return {
        covariance_type: m.covariance_type,
        weights: Array.from(m.weights as number[]),
        means: rows(m.means, d),
        covariances: Array.from(m.covariances as number[]),
      };
    case 'DBSCAN': {
      const core: number[] = m.core_sample_indices;
      return { components: rows(X.data, d, core), core_labels: core.map((i) => r.labels[i]) };
    }
    case 'AgglomerativeClustering':
      return { training_rows: rows(X.data, d), labels: Array.from(r.labels) };
  }
}

export interface Prediction {
  labels: Int32Array;
  /** GaussianMixture only: n x k membership probabilities. */
  probabilities?: Float64Array;
}

/** Labels for new (preprocessed) rows. */
export function predictEstimator(est: EstimatorConfig, fitted: FittedState, X: Matrix): Prediction {
  const d = X.n_features;
  const p = est.params as Record<string, any>;
  switch (est.name) {
    case 'KMeans':
      return { labels: predictKMeans(flat(fitted.cluster_centers, 'fitted.cluster_centers'), d, X) };
    case 'GaussianMixture': {
      const model = gmmModel(
        fitted.covariance_type as CovarianceType,
        Float64Array.from(fitted.weights as number[]),
        flat(fitted.means, 'fitted.means'),
        Float64Array.from(fitted.covariances as number[]),
      );
      return { labels: gmmPredict(model, X), probabilities: gmmPredictProba(model, X) };
    }
    case 'DBSCAN':
      return { labels: nearestLabel(X, flat(fitted.components, 'fitted.components'), fitted.core_labels as number[], p.metric ?? 'euclidean', p.eps) };
    case 'AgglomerativeClustering':
      return { labels: nearestLabel(X, flat(fitted.training_rows, 'fitted.training_rows'), fitted.labels as number[], p.metric ?? p.affinity ?? 'euclidean', Infinity) };
  }
}

/** For each row of X: the label of its nearest reference row within maxDist (inclusive), else -1. */
function nearestLabel(X: Matrix, ref: Float64Array, refLabels: ArrayLike<number>, metric: Metric, maxDist: number): Int32Array {
  const d = X.n_features;
  const m = refLabels.length;
  const both: Matrix = { data: new Float64Array((m + 1) * d), n_samples: m + 1, n_features: d };
  both.data.set(ref.subarray(0, m * d));
  const out = new Int32Array(X.n_samples).fill(-1);
  for (let i = 0; i < X.n_samples; i++) {
    both.data.set(X.data.subarray(i * d, (i + 1) * d), m * d);
    const dist = rowDistance(both, metric); // cosine norms depend on the new row: rebuilt per row
    let best = Infinity;
    for (let j = 0; j < m; j++) {
      const v = dist(m, j);
      if (v < best && v <= maxDist) {
        best = v;
        out[i] = refLabels[j];
      }
    }
  }
  return out;
}
