/**
 * Scoring new customers: original-unit rows -> the fitted preprocessing (applyPreprocessing) -> the estimator's own
 * rule (predictEstimator: K-Means nearest centre, GaussianMixture most probable component with its probabilities,
 * DBSCAN the nearest core point within eps else noise, agglomerative the nearest training row) -> a 2-D position in
 * the scatter's PCA, and what the answer rests on (the distance to the centre / core point / training row used).
 */
import type { Matrix, Metric } from '../types.ts';
import type { EstimatorConfig } from '../config/config.ts';
import { applyPreprocessing, type FittedPreprocessing } from '../data/preprocess.ts';
import { fittedState, predictEstimator, type FittedState } from '../cluster/predict.ts';
import type { ClusterResult } from '../cluster/estimators.ts';
import { fitPCA, transformPCA, type PCAModel } from '../decomposition/pca.ts';

export interface ScoringModel {
  fitted: FittedPreprocessing;
  estimator: EstimatorConfig;
  state: FittedState;
  /** The PCA of the training matrix the scatter shows (null with fewer than 2 rows). */
  pca: PCAModel | null;
}

/** The scoring model of a fit on the preprocessed training matrix X. */
export function scoringModel(X: Matrix, fitted: FittedPreprocessing, estimator: EstimatorConfig, result: Pick<ClusterResult, 'labels' | 'model'>): ScoringModel {
  const r = { ...result, n_clusters: 0, n_noise: 0, inertia: null, bic: null } as ClusterResult;
  const n_components = Math.min(3, X.n_features, X.n_samples);
  const state = fittedState(X, estimator, r);
  // DBSCAN: which training rows the core points are (to say which customer a new one is close to).
  if (estimator.name === 'DBSCAN') state.core_rows = Array.from((result.model as any).core_sample_indices ?? []);
  return {
    fitted,
    estimator,
    state,
    pca: X.n_samples >= 2 ? fitPCA(X, { n_components }) : null,
  };
}

export interface Scored {
  labels: Int32Array;
  /** GaussianMixture: n x n_components membership probabilities. */
  probabilities: Float64Array | null;
  /** n x 2 positions in the scatter's PCA (first two components; 0 where absent). */
  coords: Float64Array;
  /** The preprocessed rows. */
  X: Float64Array;
  /**
   * Per row, what the answer rests on (only when asked): KMeans the distance to the assigned centre, DBSCAN the
   * distance to the nearest core point (and its training row), agglomerative the nearest training row and its
   * distance; NaN / -1 where it does not apply (GaussianMixture).
   */
  distance: Float64Array | null;
  nearest_row: Int32Array | null;
}

function distanceFn(metric: Metric, d: number): (a: Float64Array, ao: number, b: Float64Array, bo: number) => number {
  if (metric === 'manhattan') {
    return (a, ao, b, bo) => {
      let s = 0;
      for (let f = 0; f < d; f++) s += Math.abs(a[ao + f] - b[bo + f]);
      return s;
    };
  }
  if (metric === 'cosine') {
    return (a, ao, b, bo) => {
      let s = 0;
      let na = 0;
      let nb = 0;
      for (let f = 0; f < d; f++) {
        s += a[ao + f] * b[bo + f];
        na += a[ao + f] * a[ao + f];
        nb += b[bo + f] * b[bo + f];
      }
      const v = 1 - s / ((na === 0 ? 1 : Math.sqrt(na)) * (nb === 0 ? 1 : Math.sqrt(nb)));
      return v < 0 ? 0 : v;
    };
  }
  return (a, ao, b, bo) => {
    let s = 0;
    for (let f = 0; f < d; f++) {
      const t = a[ao + f] - b[bo + f];
      s += t * t;
    }
    return Math.sqrt(s);
  };
}

/** Nearest reference row of each row of X: its index and distance. */
function nearest(X: Matrix, ref: number[][], metric: Metric): { index: Int32Array; dist: Float64Array } {
  const d = X.n_features;
  const R = Float64Array.from(ref.flat());
  const m = ref.length;
  const dist = distanceFn(metric, d);
  const index = new Int32Array(X.n_samples).fill(-1);
  const best = new Float64Array(X.n_samples).fill(Infinity);
  for (let i = 0; i < X.n_samples; i++) {
    for (let j = 0; j < m; j++) {
      const v = dist(X.data, i * d, R, j * d);
      if (v < best[i]) {
        best[i] = v;
        index[i] = j;
      }
    }
  }
  return { index, dist: best };
}

/** Scores rows given in original units (NaN = missing: imputed as the training rows were). */
export function scoreRows(model: ScoringModel, raw: Matrix, explain = false): Scored {
  const X = applyPreprocessing(model.fitted, raw);
  const pred = predictEstimator(model.estimator, model.state, X);
  const n = X.n_samples;
  const coords = new Float64Array(n * 2);
  if (model.pca) {
    const k = model.pca.n_components;
    const t = transformPCA(model.pca, X);
    for (let i = 0; i < n; i++) for (let c = 0; c < Math.min(2, k); c++) coords[i * 2 + c] = t[i * k + c];
  }
  let distance: Float64Array | null = null;
  let nearest_row: Int32Array | null = null;
  if (explain) {
    const p = model.estimator.params as Record<string, any>;
    const s = model.state as Record<string, any>;
    distance = new Float64Array(n).fill(NaN);
    nearest_row = new Int32Array(n).fill(-1);
    if (model.estimator.name === 'KMeans') {
      const centres: number[][] = s.cluster_centers;
      const dist = distanceFn('euclidean', X.n_features);
      const C = Float64Array.from(centres.flat());
      for (let i = 0; i < n; i++) distance[i] = dist(X.data, i * X.n_features, C, pred.labels[i] * X.n_features);
    } else if (model.estimator.name === 'DBSCAN' && (s.components as number[][]).length > 0) {
      const r = nearest(X, s.components, p.metric ?? 'euclidean');
      const core: number[] = s.core_rows ?? [];
      distance = r.dist;
      nearest_row = r.index.map((j) => (j >= 0 && core.length ? core[j] : -1));
    } else if (model.estimator.name === 'AgglomerativeClustering') {
      const r = nearest(X, s.training_rows, p.metric ?? p.affinity ?? 'euclidean');
      distance = r.dist;
      nearest_row = r.index;
    }
  }
  return { labels: pred.labels, probabilities: pred.probabilities ?? null, coords, X: X.data, distance, nearest_row };
}
