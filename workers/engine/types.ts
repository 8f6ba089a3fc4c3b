/**
 * Shared shapes of the engine. Everything in workers/engine imports only from workers/engine.
 * Data is a row-major Float64Array with explicit n_samples / n_features (scikit-learn's X).
 */

/** A dense row-major matrix: element (i, j) is data[i * n_features + j]. */
export interface Matrix {
  data: Float64Array;
  n_samples: number;
  n_features: number;
}

/** Progress report: a stage name a person can read and a fraction in [0, 1]. */
export interface Progress {
  stage: string;
  fraction: number;
}

/** Options every estimator's fit accepts. */
export interface FitOptions {
  signal?: AbortSignal;
  on_progress?: (p: Progress) => void;
}

/** Distance metrics, named as scikit-learn names them. */
export type Metric = 'euclidean' | 'manhattan' | 'cosine';

export function matrix(data: Float64Array, n_samples: number, n_features: number): Matrix {
  if (data.length !== n_samples * n_features) {
    throw new RangeError(`matrix data has ${data.length} values, expected ${n_samples} x ${n_features}`);
  }
  return { data, n_samples, n_features };
}

/** Row i as a subarray view (no copy). */
export function row(X: Matrix, i: number): Float64Array {
  return X.data.subarray(i * X.n_features, (i + 1) * X.n_features);
}
