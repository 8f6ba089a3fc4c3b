/**
 * Barnes-Hut t-SNE with scikit-learn's `TSNE(method="barnes_hut")` semantics and parameter names.
 *
 * - Affinities: k = min(n - 1, floor(3 perplexity + 1)) exact nearest neighbours (squared euclidean, or cosine
 *   distances), per-row binary search for the perplexity, P = (P + P^T) / sum (see affinities.ts).
 * - Init: "pca" (PCA scores scaled so the first column has standard deviation 1e-4), "random"
 *   (1e-4 * standard normal from `random_state`), or a given n x n_components embedding.
 * - Optimisation as scikit-learn's `_gradient_descent`: 250 exploration iterations with P multiplied by
 *   early_exaggeration and momentum 0.5, then momentum 0.8 up to max_iter; per-coordinate gains (+0.2 when
 *   the gradient changes sign against the update, x0.8 otherwise, at least 0.01), reset between the two phases;
 *   every 50 iterations the KL divergence is computed and the phase stops early after n_iter_without_progress
 *   (250 in exploration, 300 after) checks without improvement or when the gradient norm <= 1e-7.
 * - Degrees of freedom of the Student-t kernel: max(n_components - 1, 1), as scikit-learn.
 *
 * Stepwise use (the worker posts the live `embedding` between batches):
 *   const t = new TSNE(X, params); const n = t.initializeFit(); for (let i = 0; i < n; i++) t.step();
 * `step()` returns the number of iterations done; after an early stop it does nothing (see `done`).
 *
 * `n_iter` follows scikit-learn's `n_iter_`: the index of the last iteration run (999 for 1000 iterations).
 */
import { DataError, ParameterError, checkOneOf, show, throwIfAborted } from '../errors.ts';
import type { FitOptions, Matrix } from '../types.ts';
import { RandomState } from '../util/random.ts';
import { fitPCA } from '../decomposition/pca.ts';
import { jointProbabilitiesNN, type CSR } from './affinities.ts';
import { bhGradient, gradientWork, type GradientWork } from './space_tree.ts';

export interface TSNEParams {
  n_components?: 2 | 3;
  perplexity?: number;
  early_exaggeration?: number;
  learning_rate?: number | 'auto';
  max_iter?: number;
  /** Alias of max_iter (scikit-learn < 1.5 name). */
  n_iter?: number;
  init?: 'pca' | 'random' | Float64Array;
  random_state?: number | null;
  angle?: number;
  metric?: 'euclidean' | 'cosine';
  n_iter_without_progress?: number;
  min_grad_norm?: number;
}

export interface TSNEResult {
  embedding: Float64Array;
  kl_divergence: number;
  n_iter: number;
}

interface Resolved {
  n_components: 2 | 3;
  perplexity: number;
  early_exaggeration: number;
  learning_rate: number;
  max_iter: number;
  init: 'pca' | 'random' | Float64Array;
  random_state: number | null;
  angle: number;
  metric: 'euclidean' | 'cosine';
  n_iter_without_progress: number;
  min_grad_norm: number;
}

const EXPLORATION_N_ITER = 250;
const N_ITER_CHECK = 50;
const MOMENTUM_EXPLORATION = 0.5;
const MOMENTUM_FINAL = 0.8;
const MIN_GAIN = 0.01;

function finiteNumber(param: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ParameterError(param, `${param} must be a finite number (got ${show(v)})`);
  }
  return v;
}

/** Validates the parameters against X, as scikit-learn's TSNE does in fit. */
export function resolveTSNEParams(X: Matrix, params: TSNEParams): Resolved {
  const n = X.n_samples;
  const n_components = params.n_components ?? 2;
  if (n_components !== 2 && n_components !== 3) {
    throw new ParameterError('n_components', `n_components must be 2 or 3 for Barnes-Hut t-SNE (got ${show(n_components)})`);
  }
  const perplexity = finiteNumber('perplexity', params.perplexity ?? 30);
  if (perplexity <= 0) throw new ParameterError('perplexity', `perplexity must be > 0 (got ${perplexity})`);
  if (perplexity >= n) {
    throw new ParameterError('perplexity', `perplexity must be less than n_samples (got ${perplexity}, n_samples = ${n})`);
  }
  const early_exaggeration = finiteNumber('early_exaggeration', params.early_exaggeration ?? 12);
  if (early_exaggeration < 1) {
    throw new ParameterError('early_exaggeration', `early_exaggeration must be >= 1 (got ${early_exaggeration})`);
  }
  const lr = params.learning_rate ?? 'auto';
  let learning_rate: number;
  if (lr === 'auto') learning_rate = Math.max(n / early_exaggeration / 4, 50);
  else {
    learning_rate = finiteNumber('learning_rate', lr);
    if (learning_rate <= 0) throw new ParameterError('learning_rate', `learning_rate must be > 0 or "auto" (got ${learning_rate})`);
  }
  const iterName = params.max_iter === undefined && params.n_iter !== undefined ? 'n_iter' : 'max_iter';
  const max_iter = params.max_iter ?? params.n_iter ?? 1000;
  if (typeof max_iter !== 'number' || !Number.isInteger(max_iter)) {
    throw new ParameterError(iterName, `${iterName} must be an integer (got ${show(max_iter)})`);
  }
  if (max_iter < EXPLORATION_N_ITER) {
    throw new ParameterError(iterName, `${iterName} must be >= ${EXPLORATION_N_ITER} (got ${max_iter})`);
  }
  const angle = finiteNumber('angle', params.angle ?? 0.5);
  if (angle < 0 || angle > 1) throw new ParameterError('angle', `angle must be between 0 and 1 (got ${angle})`);
  const metric = checkOneOf('metric', params.metric ?? 'euclidean', ['euclidean', 'cosine'] as const);
  const init = params.init ?? 'pca';
  if (init instanceof Float64Array) {
    if (init.length !== n * n_components) {
      throw new ParameterError('init', `init must have n_samples x n_components = ${n * n_components} values (got ${init.length})`);
    }
    for (let i = 0; i < init.length; i++) {
      if (!Number.isFinite(init[i])) throw new ParameterError('init', `init has a non-finite value at ${i}`);
    }
  } else {
    checkOneOf('init', init, ['pca', 'random'] as const);
    if (init === 'pca' && X.n_features < n_components) {
      throw new ParameterError('init', `init "pca" needs n_features >= n_components (got ${X.n_features} < ${n_components}); use "random"`);
    }
  }
  const rs = params.random_state ?? null;
  if (rs !== null && (typeof rs !== 'number' || !Number.isInteger(rs))) {
    throw new ParameterError('random_state', `random_state must be an integer or null (got ${show(rs)})`);
  }
  const nwp = params.n_iter_without_progress ?? 300;
  if (!Number.isInteger(nwp) || nwp < -1) {
    throw new ParameterError('n_iter_without_progress', `n_iter_without_progress must be an integer >= -1 (got ${show(nwp)})`);
  }
  const mgn = finiteNumber('min_grad_norm', params.min_grad_norm ?? 1e-7);
  if (mgn < 0) throw new ParameterError('min_grad_norm', `min_grad_norm must be >= 0 (got ${mgn})`);
  return {
    n_components,
    perplexity,
    early_exaggeration,
    learning_rate,
    max_iter,
    init,
    random_state: rs,
    angle,
    metric,
    n_iter_without_progress: nwp,
    min_grad_norm: mgn,
  };
}

export class TSNE {
  readonly params: Readonly<Resolved>;
  private readonly X: Matrix;
  private readonly opts: FitOptions;
  private readonly n: number;
  private readonly dim: 2 | 3;
  private readonly dof: number;
  private P: CSR | null = null;
  private Y: Float64Array;
  private grad: Float64Array;
  private update: Float64Array;
  private gains: Float64Array;
  private work: GradientWork;
  private learningRate: number;
  private angle: number;

  /** Iterations done so far (the next iteration's index). */
  private it = 0;
  private phase: 1 | 2 = 1;
  private phaseEnd = EXPLORATION_N_ITER;
  private bestError = Number.MAX_VALUE;
  private bestIter = 0;
  private finished = false;
  private initialized = false;
  /** initialEmbedding() has filled Y: the next initializeFit() keeps it. */
  private initReady = false;
  private lastError = Number.NaN;
  private lastReport = 0;
  private klCache: { it: number; value: number } | null = null;

  constructor(X: Matrix, params: TSNEParams = {}, opts: FitOptions = {}) {
    if (X.data.length !== X.n_samples * X.n_features) {
      throw new DataError('X', `X has ${X.data.length} values, expected ${X.n_samples} x ${X.n_features}`);
    }
    if (X.n_samples < 2) throw new DataError('X', `t-SNE needs at least 2 samples (got ${X.n_samples})`);
    for (let i = 0; i < X.data.length; i++) {
      if (!Number.isFinite(X.data[i])) {
        throw new DataError('X', `X has a non-finite value at row ${Math.floor(i / X.n_features)}, column ${i % X.n_features}`);
      }
    }
    this.params = resolveTSNEParams(X, params);
    this.X = X;
    this.opts = opts;
    this.n = X.n_samples;
    this.dim = this.params.n_components;
    this.dof = Math.max(this.dim - 1, 1);
    this.learningRate = this.params.learning_rate;
    this.angle = this.params.angle;
    const len = this.n * this.dim;
    this.Y = new Float64Array(len);
    this.grad = new Float64Array(len);
    this.update = new Float64Array(len);
    this.gains = new Float64Array(len).fill(1);
    this.work = gradientWork(this.n, this.dim);
  }

  /**
   * Computes the affinities (once; reported as stages "nearest neighbours" and "affinities") and the initial
   * embedding, resets the optimiser, and returns the number of iterations to run (max_iter).
   */
  initializeFit(): number {
    const { opts, params } = this;
    throwIfAborted(opts.signal);
    const initReady = this.initReady;
    this.initReady = false;
    if (!this.P) this.P = jointProbabilitiesNN(this.X, params.perplexity, params.metric, opts).P;
    if (!initReady) this.initEmbedding();
    this.update.fill(0);
    this.gains.fill(1);
    this.it = 0;
    this.phase = 1;
    this.phaseEnd = Math.min(EXPLORATION_N_ITER, params.max_iter);
    this.bestError = Number.MAX_VALUE;
    this.bestIter = 0;
    this.finished = false;
    this.lastError = Number.NaN;
    this.klCache = null;
    this.initialized = true;
    return params.max_iter;
  }

  /**
   * The initial embedding (PCA, random or the given one) without the affinities: what the first frame of a streamed
   * run shows while the neighbours and affinities are computed. The following initializeFit() starts from it.
   */
  initialEmbedding(): Float64Array {
    this.initEmbedding();
    this.initReady = true;
    return this.Y;
  }

  private initEmbedding(): void {
    const { init, random_state } = this.params;
    const Y = this.Y;
    if (init instanceof Float64Array) {
      Y.set(init);
    } else if (init === 'pca') {
      const scores = fitPCA(this.X, { n_components: this.dim }).transformed;
      let mean = 0;
      for (let i = 0; i < this.n; i++) mean += scores[i * this.dim];
      mean /= this.n;
      let v = 0;
      for (let i = 0; i < this.n; i++) {
        const t = scores[i * this.dim] - mean;
        v += t * t;
      }
      const std = Math.sqrt(v / this.n);
      const scale = std > 0 ? 1e-4 / std : 1;
      for (let i = 0; i < Y.length; i++) Y[i] = scores[i] * scale;
    } else {
      const rs = new RandomState(random_state ?? Math.floor(Math.random() * 0x100000000));
      for (let i = 0; i < Y.length; i++) Y[i] = 1e-4 * rs.normal();
    }
  }

  /** Runs one gradient-descent iteration and returns the number of iterations done. */
  step(): number {
    if (!this.initialized) this.initializeFit();
    if (this.finished) return this.it;
    const { opts, params } = this;
    throwIfAborted(opts.signal);
    const i = this.it;
    const P = this.P as CSR;
    const checkConvergence = (i + 1) % N_ITER_CHECK === 0;
    const computeError = checkConvergence || i === this.phaseEnd - 1;
    const exaggeration = this.phase === 1 ? params.early_exaggeration : 1;
    const error = bhGradient(P, this.Y, this.dim, this.angle, this.dof, this.grad, this.work, computeError, exaggeration);
    if (computeError) this.lastError = error;

    const { Y, grad, update, gains } = this;
    const momentum = this.phase === 1 ? MOMENTUM_EXPLORATION : MOMENTUM_FINAL;
    const lr = this.learningRate;
    let gradNorm2 = 0;
    for (let k = 0; k < Y.length; k++) {
      const g = grad[k];
      const u = update[k];
      let gain = gains[k];
      if (u * g < 0) gain += 0.2;
      else gain *= 0.8;
      if (gain < MIN_GAIN) gain = MIN_GAIN;
      gains[k] = gain;
      const gg = g * gain;
      gradNorm2 += gg * gg;
      const nu = momentum * u - lr * gg;
      update[k] = nu;
      Y[k] += nu;
    }

    let stopPhase = false;
    if (checkConvergence) {
      const limit = this.phase === 1 ? EXPLORATION_N_ITER : params.n_iter_without_progress;
      if (error < this.bestError) {
        this.bestError = error;
        this.bestIter = i;
      } else if (i - this.bestIter > limit) stopPhase = true;
      if (!stopPhase && Math.sqrt(gradNorm2) <= params.min_grad_norm) stopPhase = true;
    }
    this.it = i + 1;
    if (stopPhase || this.it >= this.phaseEnd) {
      if (this.phase === 1 && (this.it < EXPLORATION_N_ITER || params.max_iter > EXPLORATION_N_ITER)) {
        // second phase: no exaggeration, momentum 0.8, fresh update and gains
        this.phase = 2;
        this.phaseEnd = params.max_iter;
        this.update.fill(0);
        this.gains.fill(1);
        this.bestError = Number.MAX_VALUE;
        this.bestIter = this.it;
        if (this.it >= this.phaseEnd) this.finished = true;
      } else {
        this.finished = true;
      }
    }
    if (opts.on_progress) {
      const now = Date.now();
      if (now - this.lastReport >= 50 || this.finished) {
        this.lastReport = now;
        opts.on_progress({ stage: 'optimizing', fraction: this.finished ? 1 : this.it / params.max_iter });
      }
    }
    return this.it;
  }

  /** Live view of the current embedding (n x n_components row-major); it changes with every step. */
  get embedding(): Float64Array {
    return this.Y;
  }

  /** True when the optimisation has run all its iterations or stopped early. */
  get done(): boolean {
    return this.finished;
  }

  /** Iterations done so far (what step() returned last). */
  get iteration(): number {
    return this.it;
  }

  /** scikit-learn's `n_iter_`: the index of the last iteration run (iterations done - 1). */
  get n_iter(): number {
    return Math.max(this.it - 1, 0);
  }

  /**
   * The KL divergence reported by the last iteration that computed it (every 50 iterations and the last one,
   * measured before that iteration's update; with the exaggerated P during exploration), as scikit-learn's
   * `kl_divergence_`. NaN before any.
   */
  get kl_divergence(): number {
    return this.lastError;
  }

  /** KL(P || Q) of the current embedding with the un-exaggerated P (one extra Barnes-Hut pass, cached). */
  klDivergence(): number {
    if (!this.initialized) this.initializeFit();
    if (this.klCache && this.klCache.it === this.it) return this.klCache.value;
    const scratch = new Float64Array(this.Y.length);
    const value = bhGradient(this.P as CSR, this.Y, this.dim, this.angle, this.dof, scratch, this.work, true, 1);
    this.klCache = { it: this.it, value };
    return value;
  }

  /** Changes the learning rate or the Barnes-Hut angle between steps. */
  setParameters(p: { learning_rate?: number; angle?: number }): void {
    if (p.learning_rate !== undefined) {
      const lr = finiteNumber('learning_rate', p.learning_rate);
      if (lr <= 0) throw new ParameterError('learning_rate', `learning_rate must be > 0 (got ${lr})`);
      this.learningRate = lr;
    }
    if (p.angle !== undefined) {
      const a = finiteNumber('angle', p.angle);
      if (a < 0 || a > 1) throw new ParameterError('angle', `angle must be between 0 and 1 (got ${a})`);
      this.angle = a;
    }
  }

  /** The joint probabilities (after initializeFit). */
  get affinities(): CSR | null {
    return this.P;
  }
}

/** Fits t-SNE and returns a copy of the final embedding, scikit-learn's kl_divergence_ and n_iter_. */
export function fitTSNE(X: Matrix, params: TSNEParams = {}, opts: FitOptions = {}): TSNEResult {
  const t = new TSNE(X, params, opts);
  const total = t.initializeFit();
  for (let i = 0; i < total && !t.done; i++) t.step();
  return { embedding: t.embedding.slice(), kl_divergence: t.kl_divergence, n_iter: t.n_iter };
}
