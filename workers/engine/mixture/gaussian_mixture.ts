/**
 * Gaussian mixture fitted by EM, as scikit-learn's `GaussianMixture` (covariance_type full / tied / diag /
 * spherical).
 *
 * As scikit-learn: responsibilities are initialised from KMeans(n_clusters, n_init=1) labels ('kmeans'), from
 * k-means++ seeds ('k-means++', one sample per component) or uniformly at random ('random', rows normalised); the
 * initial weights are nk / n_samples with nk = sum of responsibilities + 10 eps; `means_init` replaces the initial
 * means (the covariances still come from the responsibilities). Each EM iteration runs the E-step with the current
 * parameters (lower_bound = mean log-likelihood, by log-sum-exp), then the M-step (reg_covar added to the diagonal,
 * precisions stored through their Cholesky factor). It stops when |lower_bound change| < tol. Of n_init runs the
 * one with the highest lower bound is kept. `labels` are predict(X) with the kept parameters.
 *
 * Storage (row-major, as scikit-learn's arrays flattened): means k*d; covariances full k*d*d, tied d*d, diag k*d,
 * spherical k; precisions_cholesky the same shapes (full/tied: the upper-triangular inverse(cholesky(cov))^T).
 *
 * Determinism: `random_state: null` means seed 0. Random draws follow NumPy's legacy RandomState stream as
 * scikit-learn 1.2 makes them (KMeans init, k-means++ seeds, uniform responsibilities), so the same integer
 * random_state starts EM where scikit-learn starts it; results then agree up to floating-point rounding.
 */
import type { FitOptions, Matrix } from '../types.ts';
import { DataError, ParameterError, checkInt, checkOneOf, show, throwIfAborted } from '../errors.ts';
import { NumpyRandomState } from '../util/numpy_random.ts';
import { KMeansRun, kmeansPlusPlus, throttledProgress } from '../cluster/kmeans.ts';
import { choleskyLower, invertLower } from '../linalg/cholesky.ts';

export type CovarianceType = 'full' | 'tied' | 'diag' | 'spherical';

export interface GaussianMixtureParams {
  n_components?: number;
  covariance_type?: CovarianceType;
  reg_covar?: number;
  tol?: number;
  max_iter?: number;
  n_init?: number;
  init_params?: 'kmeans' | 'k-means++' | 'random';
  random_state?: number | null;
  means_init?: number[][] | Float64Array | null;
}

export interface GaussianMixtureModel {
  n_components: number;
  n_features: number;
  covariance_type: CovarianceType;
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
  precisions_cholesky: Float64Array;
}

export interface GaussianMixtureResult extends GaussianMixtureModel {
  labels: Int32Array;
  lower_bound: number;
  converged: boolean;
  n_iter: number;
  bic: number;
  aic: number;
  n_parameters: number;
}

const EPS = 2.220446049250313e-16;
const LOG_2PI = Math.log(2 * Math.PI);
const COV_TYPES = ['full', 'tied', 'diag', 'spherical'] as const;

const ILL_DEFINED =
  'Fitting the mixture model failed because some components have ill-defined empirical covariance ' +
  '(for instance caused by singleton or collapsed samples). Try to decrease the number of components, ' +
  'or increase reg_covar.';

export function covarianceSize(type: CovarianceType, k: number, d: number): number {
  return type === 'full' ? k * d * d : type === 'tied' ? d * d : type === 'diag' ? k * d : k;
}

/** Number of free parameters (scikit-learn's `_n_parameters`). */
export function gmmNParameters(type: CovarianceType, k: number, d: number): number {
  const cov = type === 'full' ? (k * d * (d + 1)) / 2 : type === 'diag' ? k * d : type === 'tied' ? (d * (d + 1)) / 2 : k;
  return cov + d * k + k - 1;
}

/** precisions_cholesky from covariances (throws ParameterError naming reg_covar when one is not positive definite). */
export function precisionsCholesky(covariances: Float64Array, type: CovarianceType, k: number, d: number, out?: Float64Array): Float64Array {
  const P = out ?? new Float64Array(covariances.length);
  if (type === 'full' || type === 'tied') {
    const m = type === 'full' ? k : 1;
    const L = new Float64Array(d * d);
    const inv = new Float64Array(d * d);
    for (let c = 0; c < m; c++) {
      const A = covariances.subarray(c * d * d, (c + 1) * d * d);
      if (!choleskyLower(A, d, L)) throw new ParameterError('reg_covar', ILL_DEFINED);
      invertLower(L, d, inv);
      const o = c * d * d;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) P[o + i * d + j] = inv[j * d + i];
    }
  } else {
    for (let i = 0; i < covariances.length; i++) {
      const v = covariances[i];
      if (!(v > 0)) throw new ParameterError('reg_covar', ILL_DEFINED);
      P[i] = 1 / Math.sqrt(v);
    }
  }
  return P;
}

/** A model from weights, means and covariances (e.g. an exported scikit-learn model). */
export function gmmModel(
  covariance_type: CovarianceType,
  weights: Float64Array,
  means: Float64Array,
  covariances: Float64Array,
): GaussianMixtureModel {
  const k = weights.length;
  const d = means.length / k;
  if (!Number.isInteger(d) || d < 1) throw new DataError('means', `means has ${means.length} values, not a multiple of n_components=${k}`);
  checkOneOf('covariance_type', covariance_type, COV_TYPES);
  if (covariances.length !== covarianceSize(covariance_type, k, d)) {
    throw new DataError('covariances', `covariances has ${covariances.length} values, expected ${covarianceSize(covariance_type, k, d)} for "${covariance_type}"`);
  }
  return {
    n_components: k,
    n_features: d,
    covariance_type,
    weights: Float64Array.from(weights),
    means: Float64Array.from(means),
    covariances: Float64Array.from(covariances),
    precisions_cholesky: precisionsCholesky(covariances, covariance_type, k, d),
  };
}

function checkModelX(model: GaussianMixtureModel, X: Matrix): void {
  if (X.n_features !== model.n_features) {
    throw new DataError('X', `X has ${X.n_features} features, but the model was fitted with ${model.n_features}`);
  }
}

/**
 * out[i k + c] = log N(x_i | c) + log w_c. Returns nothing; `work` (d) and `pt` (d*d) are scratch.
 */
function weightedLogProb(model: GaussianMixtureModel, X: Matrix, out: Float64Array): void {
  const { n_components: k, n_features: d, covariance_type: type, weights, means, precisions_cholesky: P } = model;
  const { n_samples: n, data } = X;
  const diff = new Float64Array(d);
  const logW = new Float64Array(k);
  for (let c = 0; c < k; c++) logW[c] = Math.log(weights[c]);
  if (type === 'full' || type === 'tied') {
    // PT[c][j][i] = P[c][i][j] (lower-triangular rows: y_j = sum_{i <= j} diff_i P[i][j])
    const m = type === 'full' ? k : 1;
    const PT = new Float64Array(m * d * d);
    const logDet = new Float64Array(m);
    for (let c = 0; c < m; c++) {
      const o = c * d * d;
      let ld = 0;
      for (let i = 0; i < d; i++) {
        ld += Math.log(P[o + i * d + i]);
        for (let j = 0; j < d; j++) PT[o + j * d + i] = P[o + i * d + j];
      }
      logDet[c] = ld;
    }
    // four samples at a time (independent accumulation chains); diff rows in `d4`
    const d4 = new Float64Array(4 * d);
    for (let c = 0; c < k; c++) {
      const pc = type === 'full' ? c : 0;
      const po = pc * d * d;
      const mo = c * d;
      const base = -0.5 * d * LOG_2PI + logDet[pc] + logW[c];
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const xo = i * d;
        for (let f = 0; f < d; f++) {
          const mu = means[mo + f];
          d4[f] = data[xo + f] - mu;
          d4[d + f] = data[xo + d + f] - mu;
          d4[2 * d + f] = data[xo + 2 * d + f] - mu;
          d4[3 * d + f] = data[xo + 3 * d + f] - mu;
        }
        let q0 = 0;
        let q1 = 0;
        let q2 = 0;
        let q3 = 0;
        for (let j = 0; j < d; j++) {
          const ro = po + j * d;
          let y0 = 0;
          let y1 = 0;
          let y2 = 0;
          let y3 = 0;
          for (let f = 0; f <= j; f++) {
            const p = PT[ro + f];
            y0 += d4[f] * p;
            y1 += d4[d + f] * p;
            y2 += d4[2 * d + f] * p;
            y3 += d4[3 * d + f] * p;
          }
          q0 += y0 * y0;
          q1 += y1 * y1;
          q2 += y2 * y2;
          q3 += y3 * y3;
        }
        out[i * k + c] = base - 0.5 * q0;
        out[(i + 1) * k + c] = base - 0.5 * q1;
        out[(i + 2) * k + c] = base - 0.5 * q2;
        out[(i + 3) * k + c] = base - 0.5 * q3;
      }
      for (; i < n; i++) {
        const xo = i * d;
        for (let f = 0; f < d; f++) diff[f] = data[xo + f] - means[mo + f];
        let q = 0;
        for (let j = 0; j < d; j++) {
          const ro = po + j * d;
          let y = 0;
          for (let f = 0; f <= j; f++) y += diff[f] * PT[ro + f];
          q += y * y;
        }
        out[i * k + c] = base - 0.5 * q;
      }
    }
  } else {
    for (let c = 0; c < k; c++) {
      const mo = c * d;
      let ld = 0;
      if (type === 'diag') for (let f = 0; f < d; f++) ld += Math.log(P[c * d + f]);
      else ld = d * Math.log(P[c]);
      const base = -0.5 * d * LOG_2PI + ld + logW[c];
      for (let i = 0; i < n; i++) {
        const xo = i * d;
        let q = 0;
        if (type === 'diag') {
          for (let f = 0; f < d; f++) {
            const y = (data[xo + f] - means[mo + f]) * P[mo + f];
            q += y * y;
          }
        } else {
          const p = P[c];
          for (let f = 0; f < d; f++) {
            const y = (data[xo + f] - means[mo + f]) * p;
            q += y * y;
          }
        }
        out[i * k + c] = base - 0.5 * q;
      }
    }
  }
}

/**
 * In place: each row of `wlp` (n x k weighted log-probabilities) becomes the responsibilities exp(log_resp).
 * Returns the mean over rows of log-sum-exp (the mean log-likelihood). `rowLogNorm` (n), if given, receives the
 * per-row log-sum-exp.
 */
function normalizeRows(wlp: Float64Array, n: number, k: number, toResp: boolean, rowLogNorm?: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let mx = -Infinity;
    for (let c = 0; c < k; c++) if (wlp[o + c] > mx) mx = wlp[o + c];
    let s = 0;
    if (mx === -Infinity) {
      // every component has probability 0: log-sum-exp is -inf, as scikit-learn's logsumexp
      total += -Infinity;
      if (rowLogNorm) rowLogNorm[i] = -Infinity;
      if (toResp) for (let c = 0; c < k; c++) wlp[o + c] = NaN;
      continue;
    }
    for (let c = 0; c < k; c++) s += Math.exp(wlp[o + c] - mx);
    const lse = mx + Math.log(s);
    total += lse;
    if (rowLogNorm) rowLogNorm[i] = lse;
    if (toResp) for (let c = 0; c < k; c++) wlp[o + c] = Math.exp(wlp[o + c] - lse);
  }
  return total / n;
}

/** M-step: weights (unnormalised nk), means and covariances from responsibilities (n x k). */
function estimateParameters(
  X: Matrix,
  resp: Float64Array,
  k: number,
  type: CovarianceType,
  reg: number,
  nk: Float64Array,
  means: Float64Array,
  cov: Float64Array,
): void {
  const { n_samples: n, n_features: d, data } = X;
  nk.fill(0);
  means.fill(0);
  for (let i = 0; i < n; i++) {
    const ro = i * k;
    const xo = i * d;
    for (let c = 0; c < k; c++) {
      const r = resp[ro + c];
      if (r === 0) continue;
      nk[c] += r;
      const mo = c * d;
      for (let f = 0; f < d; f++) means[mo + f] += r * data[xo + f];
    }
  }
  for (let c = 0; c < k; c++) {
    nk[c] += 10 * EPS;
    for (let f = 0; f < d; f++) means[c * d + f] /= nk[c];
  }
  cov.fill(0);
  const diff = new Float64Array(d);
  if (type === 'full') {
    // four samples at a time: cov[a][b] += sum over the four of r diff_a diff_b (one load/store per element)
    const w4 = new Float64Array(4 * d); // r * diff
    const d4 = new Float64Array(4 * d); // diff
    for (let c = 0; c < k; c++) {
      const co = c * d * d;
      const mo = c * d;
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const r0 = resp[i * k + c];
        const r1 = resp[(i + 1) * k + c];
        const r2 = resp[(i + 2) * k + c];
        const r3 = resp[(i + 3) * k + c];
        if (r0 === 0 && r1 === 0 && r2 === 0 && r3 === 0) continue;
        const xo = i * d;
        for (let f = 0; f < d; f++) {
          const mu = means[mo + f];
          const e0 = data[xo + f] - mu;
          const e1 = data[xo + d + f] - mu;
          const e2 = data[xo + 2 * d + f] - mu;
          const e3 = data[xo + 3 * d + f] - mu;
          d4[f] = e0;
          d4[d + f] = e1;
          d4[2 * d + f] = e2;
          d4[3 * d + f] = e3;
          w4[f] = r0 * e0;
          w4[d + f] = r1 * e1;
          w4[2 * d + f] = r2 * e2;
          w4[3 * d + f] = r3 * e3;
        }
        for (let a = 0; a < d; a++) {
          const wa0 = w4[a];
          const wa1 = w4[d + a];
          const wa2 = w4[2 * d + a];
          const wa3 = w4[3 * d + a];
          const ao = co + a * d;
          for (let b = 0; b <= a; b++) {
            cov[ao + b] += wa0 * d4[b] + wa1 * d4[d + b] + wa2 * d4[2 * d + b] + wa3 * d4[3 * d + b];
          }
        }
      }
      for (; i < n; i++) {
        const r = resp[i * k + c];
        if (r === 0) continue;
        const xo = i * d;
        for (let f = 0; f < d; f++) diff[f] = data[xo + f] - means[mo + f];
        for (let a = 0; a < d; a++) {
          const ra = r * diff[a];
          const ao = co + a * d;
          for (let b = 0; b <= a; b++) cov[ao + b] += ra * diff[b];
        }
      }
      const inv = 1 / nk[c];
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = cov[co + a * d + b] * inv;
          cov[co + a * d + b] = v;
          cov[co + b * d + a] = v;
        }
        cov[co + a * d + a] += reg;
      }
    }
  } else if (type === 'tied') {
    // (X^T X - sum_c nk_c mu_c mu_c^T) / sum(nk), as scikit-learn
    for (let i = 0; i < n; i++) {
      const xo = i * d;
      for (let a = 0; a < d; a++) {
        const xa = data[xo + a];
        for (let b = 0; b <= a; b++) cov[a * d + b] += xa * data[xo + b];
      }
    }
    let total = 0;
    for (let c = 0; c < k; c++) {
      total += nk[c];
      const mo = c * d;
      for (let a = 0; a < d; a++) {
        const na = nk[c] * means[mo + a];
        for (let b = 0; b <= a; b++) cov[a * d + b] -= na * means[mo + b];
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        const v = cov[a * d + b] / total;
        cov[a * d + b] = v;
        cov[b * d + a] = v;
      }
      cov[a * d + a] += reg;
    }
  } else {
    // diag: sum_i r x^2 / nk - 2 mu * mu + mu^2 + reg (scikit-learn's formula); spherical: its mean over features
    const diag = type === 'diag' ? cov : new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      const xo = i * d;
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c];
        if (r === 0) continue;
        const o = c * d;
        for (let f = 0; f < d; f++) diag[o + f] += r * data[xo + f] * data[xo + f];
      }
    }
    for (let c = 0; c < k; c++) {
      for (let f = 0; f < d; f++) {
        const m = means[c * d + f];
        diag[c * d + f] = diag[c * d + f] / nk[c] - 2 * (m * m) + m * m + reg;
      }
    }
    if (type === 'spherical') {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let f = 0; f < d; f++) s += diag[c * d + f];
        cov[c] = s / d;
      }
    }
  }
}

interface Resolved {
  k: number;
  type: CovarianceType;
  reg: number;
  tol: number;
  max_iter: number;
  n_init: number;
  init: 'kmeans' | 'k-means++' | 'random';
  seed: number;
  means_init: Float64Array | null;
}

function nonNegative(param: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParameterError(param, `${param} must be a finite number (got ${show(v)})`);
  if (v < 0) throw new ParameterError(param, `${param} must be >= 0 (got ${v})`);
  return v;
}

function resolve(X: Matrix, params: GaussianMixtureParams): Resolved {
  const p = params ?? {};
  const { n_samples: n, n_features: d, data } = X;
  const k = checkInt('n_components', p.n_components ?? 1, 1);
  if (n < k) throw new ParameterError('n_components', `Expected n_samples >= n_components but got n_components = ${k}, n_samples = ${n}`);
  if (data.length !== n * d) throw new DataError('X', `X has ${data.length} values, expected ${n} x ${d}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new DataError('X', `X contains a non-finite value (${data[i]}) at row ${Math.floor(i / d)}, column ${i % d}`);
  }
  const type = checkOneOf('covariance_type', p.covariance_type ?? 'full', COV_TYPES);
  const reg = nonNegative('reg_covar', p.reg_covar ?? 1e-6);
  const tol = nonNegative('tol', p.tol ?? 1e-3);
  const max_iter = checkInt('max_iter', p.max_iter ?? 100, 1);
  const n_init = checkInt('n_init', p.n_init ?? 1, 1);
  const init = checkOneOf('init_params', p.init_params ?? 'kmeans', ['kmeans', 'k-means++', 'random'] as const);
  const seed = checkInt('random_state', p.random_state ?? 0, 0, 0xffffffff);
  let means_init: Float64Array | null = null;
  const mi = p.means_init;
  if (mi != null) {
    means_init = new Float64Array(k * d);
    if (mi instanceof Float64Array) {
      if (mi.length !== k * d) throw new ParameterError('means_init', `means_init has ${mi.length} values, expected (n_components=${k}, n_features=${d})`);
      means_init.set(mi);
    } else if (Array.isArray(mi)) {
      if (mi.length !== k) throw new ParameterError('means_init', `means_init has ${mi.length} rows, expected n_components=${k}`);
      for (let c = 0; c < k; c++) {
        const r = mi[c];
        if (!Array.isArray(r) || r.length !== d) throw new ParameterError('means_init', `means_init row ${c} must have n_features=${d} values`);
        for (let f = 0; f < d; f++) {
          if (typeof r[f] !== 'number' || !Number.isFinite(r[f])) throw new ParameterError('means_init', `means_init[${c}][${f}] must be a finite number (got ${show(r[f])})`);
          means_init[c * d + f] = r[f];
        }
      }
    } else {
      throw new ParameterError('means_init', `means_init must be an n_components x n_features array (got ${show(mi)})`);
    }
  }
  return { k, type, reg, tol, max_iter, n_init, init, seed, means_init };
}

/**
 * Stepwise EM. `initializeFit()` returns the maximum number of `step()` calls (max_iter x n_init); each step is
 * one EM iteration (a run's initialisation happens in its first step) and returns true when every run is done.
 */
export class GaussianMixtureRun {
  private readonly X: Matrix;
  private readonly p: Resolved;
  private readonly d: number;
  private rng: NumpyRandomState | null = null;
  private initialized = false;
  private finished = false;
  private runStarted = false;
  private runIndex = 0;
  private iter = 0;
  private lowerBound = -Infinity;
  private model: GaussianMixtureModel;
  private readonly resp: Float64Array;
  private readonly nk: Float64Array;
  private best: { model: GaussianMixtureModel; lower_bound: number; n_iter: number; converged: boolean } | null = null;

  constructor(X: Matrix, params: GaussianMixtureParams) {
    this.p = resolve(X, params);
    this.X = X;
    this.d = X.n_features;
    const { k, type } = this.p;
    const d = this.d;
    this.model = {
      n_components: k,
      n_features: d,
      covariance_type: type,
      weights: new Float64Array(k),
      means: new Float64Array(k * d),
      covariances: new Float64Array(covarianceSize(type, k, d)),
      precisions_cholesky: new Float64Array(covarianceSize(type, k, d)),
    };
    this.resp = new Float64Array(X.n_samples * k);
    this.nk = new Float64Array(k);
  }

  initializeFit(): number {
    this.rng = new NumpyRandomState(this.p.seed);
    this.initialized = true;
    this.finished = false;
    this.runStarted = false;
    this.runIndex = 0;
    this.iter = 0;
    this.best = null;
    return this.p.max_iter * this.p.n_init;
  }

  get fraction(): number {
    return (this.runIndex + this.iter / this.p.max_iter) / this.p.n_init;
  }

  private startRun(): void {
    const { X, p, resp, nk, model } = this;
    const { k } = p;
    const n = X.n_samples;
    const rng = this.rng!;
    resp.fill(0);
    if (p.init === 'kmeans') {
      // KMeans(n_clusters=k, n_init=1, random_state=<this stream>), as scikit-learn
      const run = new KMeansRun(X, { n_clusters: k, n_init: 1 }, rng);
      run.initializeFit();
      while (!run.step());
      const km = run.result();
      for (let i = 0; i < n; i++) resp[i * k + km.labels[i]] = 1;
    } else if (p.init === 'k-means++') {
      const idx = new Int32Array(k);
      kmeansPlusPlus(X, k, rng, undefined, idx);
      for (let c = 0; c < k; c++) resp[idx[c] * k + c] = 1;
    } else {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += resp[i * k + c] = rng.random();
        for (let c = 0; c < k; c++) resp[i * k + c] /= s;
      }
    }
    estimateParameters(X, resp, k, p.type, p.reg, nk, model.means, model.covariances);
    for (let c = 0; c < k; c++) model.weights[c] = nk[c] / n;
    if (p.means_init) model.means.set(p.means_init);
    precisionsCholesky(model.covariances, p.type, k, this.d, model.precisions_cholesky);
    this.iter = 0;
    this.lowerBound = -Infinity;
    this.runStarted = true;
  }

  /** One EM iteration. Returns true when all runs are done. */
  step(): boolean {
    if (!this.initialized) this.initializeFit();
    if (this.finished) return true;
    if (!this.runStarted) this.startRun();
    const { X, p, resp, nk, model } = this;
    const { k } = p;
    const n = X.n_samples;
    const prev = this.lowerBound;
    // E-step with the current parameters
    weightedLogProb(model, X, resp);
    const lb = normalizeRows(resp, n, k, true);
    // M-step
    estimateParameters(X, resp, k, p.type, p.reg, nk, model.means, model.covariances);
    let total = 0;
    for (let c = 0; c < k; c++) total += nk[c];
    for (let c = 0; c < k; c++) model.weights[c] = nk[c] / total;
    precisionsCholesky(model.covariances, p.type, k, this.d, model.precisions_cholesky);
    this.lowerBound = lb;
    this.iter++;
    const converged = Math.abs(lb - prev) < p.tol;
    if (converged || this.iter >= p.max_iter) this.finishRun(converged);
    return this.finished;
  }

  private finishRun(converged: boolean): void {
    if (this.best === null || this.lowerBound > this.best.lower_bound) {
      const m = this.model;
      this.best = {
        model: {
          ...m,
          weights: m.weights.slice(),
          means: m.means.slice(),
          covariances: m.covariances.slice(),
          precisions_cholesky: m.precisions_cholesky.slice(),
        },
        lower_bound: this.lowerBound,
        n_iter: this.iter,
        converged,
      };
    }
    this.runIndex++;
    this.runStarted = false;
    this.iter = 0;
    if (this.runIndex >= this.p.n_init) this.finished = true;
  }

  result(): GaussianMixtureResult {
    if (!this.finished || !this.best) throw new Error('GaussianMixtureRun.result() called before the fit finished');
    const { model, lower_bound, n_iter, converged } = this.best;
    const { X } = this;
    const n = X.n_samples;
    const k = model.n_components;
    const wlp = new Float64Array(n * k);
    weightedLogProb(model, X, wlp);
    const labels = argmaxRows(wlp, n, k);
    const score = normalizeRows(wlp, n, k, false);
    const n_parameters = gmmNParameters(model.covariance_type, k, model.n_features);
    return {
      ...model,
      labels,
      lower_bound,
      converged,
      n_iter,
      n_parameters,
      bic: -2 * score * n + n_parameters * Math.log(n),
      aic: -2 * score * n + 2 * n_parameters,
    };
  }
}

function argmaxRows(a: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    let bv = a[i * k];
    for (let c = 1; c < k; c++) {
      if (a[i * k + c] > bv) {
        bv = a[i * k + c];
        b = c;
      }
    }
    out[i] = b;
  }
  return out;
}

export function fitGaussianMixture(X: Matrix, params: GaussianMixtureParams, opts: FitOptions = {}): GaussianMixtureResult {
  throwIfAborted(opts.signal);
  const run = new GaussianMixtureRun(X, params);
  run.initializeFit();
  const progress = throttledProgress(opts);
  progress('gaussian mixture', 0, true);
  while (!run.step()) {
    throwIfAborted(opts.signal);
    progress('gaussian mixture', run.fraction);
  }
  progress('gaussian mixture', 1, true);
  return run.result();
}

/** Posterior probability of each component for each row (n x k, row-major). */
export function gmmPredictProba(model: GaussianMixtureModel, X: Matrix): Float64Array {
  checkModelX(model, X);
  const out = new Float64Array(X.n_samples * model.n_components);
  weightedLogProb(model, X, out);
  normalizeRows(out, X.n_samples, model.n_components, true);
  return out;
}

/** Most probable component of each row. */
export function gmmPredict(model: GaussianMixtureModel, X: Matrix): Int32Array {
  checkModelX(model, X);
  const k = model.n_components;
  const wlp = new Float64Array(X.n_samples * k);
  weightedLogProb(model, X, wlp);
  return argmaxRows(wlp, X.n_samples, k);
}

/** Per-sample log-likelihood (scikit-learn's score_samples). */
export function gmmScoreSamples(model: GaussianMixtureModel, X: Matrix): Float64Array {
  checkModelX(model, X);
  const k = model.n_components;
  const wlp = new Float64Array(X.n_samples * k);
  weightedLogProb(model, X, wlp);
  const out = new Float64Array(X.n_samples);
  normalizeRows(wlp, X.n_samples, k, false, out);
  return out;
}

/** Mean log-likelihood of X under the model (scikit-learn's score). */
export function gmmScore(model: GaussianMixtureModel, X: Matrix): number {
  checkModelX(model, X);
  const k = model.n_components;
  const wlp = new Float64Array(X.n_samples * k);
  weightedLogProb(model, X, wlp);
  return normalizeRows(wlp, X.n_samples, k, false);
}

export function gmmBic(model: GaussianMixtureModel, X: Matrix): number {
  const n = X.n_samples;
  return -2 * gmmScore(model, X) * n + gmmNParameters(model.covariance_type, model.n_components, model.n_features) * Math.log(n);
}

export function gmmAic(model: GaussianMixtureModel, X: Matrix): number {
  const n = X.n_samples;
  return -2 * gmmScore(model, X) * n + 2 * gmmNParameters(model.covariance_type, model.n_components, model.n_features);
}
