/**
 * Principal component analysis with scikit-learn's `PCA(svd_solver="full")` semantics, computed through the
 * d x d covariance matrix and a symmetric eigendecomposition (d is small for tabular data).
 *
 * - explained_variance = eigenvalues of the covariance (divided by n - 1), explained_variance_ratio divides by
 *   the total variance (trace), singular_values = sqrt(explained_variance * (n - 1)).
 * - Signs follow scikit-learn 1.2's `svd_flip(U, Vt, u_based_decision=True)`: for each component, the sample
 *   with the largest absolute score (the first one on ties) gets a positive score.
 */
import { DataError, ParameterError, throwIfAborted, show } from '../errors.ts';
import { eighSymmetric } from '../linalg/eigen_symmetric.ts';
import type { FitOptions, Matrix } from '../types.ts';

export interface PCAParams {
  /** Number of components to keep; default min(n_samples, n_features), as scikit-learn. */
  n_components?: number;
}

export interface PCAModel {
  n_components: number;
  n_features: number;
  /** k x d row-major: row c is component c. */
  components: Float64Array;
  mean: Float64Array;
  explained_variance: Float64Array;
  explained_variance_ratio: Float64Array;
  singular_values: Float64Array;
}

export interface PCAResult extends PCAModel {
  /** n x k row-major: the scores of X. */
  transformed: Float64Array;
}

export function fitPCA(X: Matrix, params: PCAParams = {}, opts: FitOptions = {}): PCAResult {
  const { n_samples: n, n_features: d, data } = X;
  if (n < 2) throw new DataError('X', `PCA needs at least 2 samples (got ${n})`);
  if (d < 1) throw new DataError('X', `PCA needs at least 1 feature (got ${d})`);
  const maxK = Math.min(n, d);
  const k = params.n_components ?? maxK;
  if (typeof k !== 'number' || !Number.isInteger(k)) {
    throw new ParameterError('n_components', `n_components must be an integer (got ${show(k)})`);
  }
  if (k < 1 || k > maxK) {
    throw new ParameterError(
      'n_components',
      `n_components must be between 1 and min(n_samples, n_features) = ${maxK} (got ${k})`,
    );
  }
  throwIfAborted(opts.signal);
  opts.on_progress?.({ stage: 'PCA', fraction: 0 });

  // Mean (and a finiteness check).
  const mean = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++) {
    for (let j = 0; j < d; j++, o++) mean[j] += data[o];
  }
  for (let j = 0; j < d; j++) {
    mean[j] /= n;
    if (!Number.isFinite(mean[j])) throw new DataError('X', `PCA input has a non-finite value in column ${j}`);
  }

  // Covariance (lower triangle accumulated from centred rows).
  const C = new Float64Array(d * d);
  const r = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++) {
    for (let j = 0; j < d; j++, o++) r[j] = data[o] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = r[a];
      if (ra === 0) continue;
      const ao = a * d;
      for (let b = 0; b <= a; b++) C[ao + b] += ra * r[b];
    }
    if ((i & 4095) === 4095) throwIfAborted(opts.signal);
  }
  const dof = n - 1;
  let total = 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) C[a * d + b] /= dof;
    total += C[a * d + a];
  }

  const { values, vectors } = eighSymmetric(C, d);
  throwIfAborted(opts.signal);

  const components = vectors.slice(0, k * d);
  const explained_variance = new Float64Array(k);
  const explained_variance_ratio = new Float64Array(k);
  const singular_values = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const ev = Math.max(values[c], 0);
    explained_variance[c] = ev;
    explained_variance_ratio[c] = total > 0 ? ev / total : 0;
    singular_values[c] = Math.sqrt(ev * dof);
  }

  const model: PCAModel = {
    n_components: k,
    n_features: d,
    components,
    mean,
    explained_variance,
    explained_variance_ratio,
    singular_values,
  };
  const transformed = transformPCA(model, X);

  // svd_flip, u-based: the largest |score| of each component is made positive.
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bestIdx = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(transformed[i * k + c]);
      if (v > best) {
        best = v;
        bestIdx = i;
      }
    }
    if (transformed[bestIdx * k + c] < 0) {
      for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j];
      for (let i = 0; i < n; i++) transformed[i * k + c] = -transformed[i * k + c];
    }
  }
  opts.on_progress?.({ stage: 'PCA', fraction: 1 });
  return { ...model, transformed };
}

/** Projects the rows of X onto the model's components: (X - mean) · components^T, n x k row-major. */
export function transformPCA(model: PCAModel, X: Matrix): Float64Array {
  const { n_components: k, n_features: d, components, mean } = model;
  if (X.n_features !== d) {
    throw new DataError('X', `X has ${X.n_features} features, the PCA model was fitted on ${d}`);
  }
  const n = X.n_samples;
  const data = X.data;
  const out = new Float64Array(n * k);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) r[j] = data[o + j] - mean[j];
    for (let c = 0; c < k; c++) {
      const co = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += r[j] * components[co + j];
      out[i * k + c] = s;
    }
  }
  return out;
}
