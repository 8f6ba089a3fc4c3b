/**
 * UMAP through umap-js, with umap-learn's parameter names and the engine's stepwise shape:
 * `initializeFit()` returns the number of epochs, `step()` the current epoch, `embedding` is a Float64Array
 * (n x n_components row-major). The k nearest neighbours are computed exactly here (kd-tree, euclidean; the
 * point itself counts as its first neighbour, as in umap-learn) and handed to umap-js, and umap-js draws its
 * random numbers from a seeded RandomState, so the same random_state gives the same embedding.
 */
import { DataError, ParameterError, checkOneOf, show, throwIfAborted } from '../errors.ts';
import type { FitOptions, Matrix } from '../types.ts';
import { RandomState } from '../util/random.ts';
import { kNearestNeighbors } from '../neighbors/knn.ts';
import { UMAP as UMAPJS } from 'umap-js';

export interface UMAPParams {
  /** Neighbourhood size, the point itself included (umap-learn's convention). Default 15. */
  n_neighbors?: number;
  /** Default 0.1. */
  min_dist?: number;
  /** Default 2. */
  n_components?: number;
  /** Default null: a random seed. */
  random_state?: number | null;
  metric?: 'euclidean';
  /** Default null: umap-js chooses from n_samples (500 up to 2500 rows, fewer above). */
  n_epochs?: number | null;
  /** Default 1.0. */
  learning_rate?: number;
  /** Default 1.0. */
  spread?: number;
}

export interface UMAPResult {
  embedding: Float64Array;
  n_epochs: number;
}

export class UMAP {
  readonly n_neighbors: number;
  readonly n_components: number;
  private readonly X: Matrix;
  private readonly opts: FitOptions;
  private readonly umap: UMAPJS;
  private nEpochs = 0;
  private epoch = 0;
  private initialized = false;
  private Y: Float64Array;
  private stale = true;
  private lastReport = 0;

  constructor(X: Matrix, params: UMAPParams = {}, opts: FitOptions = {}) {
    const n = X.n_samples;
    for (let i = 0; i < X.data.length; i++) {
      if (!Number.isFinite(X.data[i])) throw new DataError('X', `X has a non-finite value at row ${Math.floor(i / X.n_features)}`);
    }
    const k = params.n_neighbors ?? 15;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 2) {
      throw new ParameterError('n_neighbors', `n_neighbors must be an integer >= 2 (got ${show(k)})`);
    }
    if (k >= n) throw new ParameterError('n_neighbors', `n_neighbors must be less than n_samples (got ${k}, n_samples = ${n})`);
    const minDist = params.min_dist ?? 0.1;
    const spread = params.spread ?? 1.0;
    if (typeof spread !== 'number' || !(spread > 0)) throw new ParameterError('spread', `spread must be > 0 (got ${show(spread)})`);
    if (typeof minDist !== 'number' || !(minDist >= 0) || minDist > spread) {
      throw new ParameterError('min_dist', `min_dist must be between 0 and spread = ${spread} (got ${show(minDist)})`);
    }
    const nc = params.n_components ?? 2;
    if (typeof nc !== 'number' || !Number.isInteger(nc) || nc < 1) {
      throw new ParameterError('n_components', `n_components must be an integer >= 1 (got ${show(nc)})`);
    }
    checkOneOf('metric', params.metric ?? 'euclidean', ['euclidean'] as const);
    const nEpochs = params.n_epochs ?? null;
    if (nEpochs !== null && (typeof nEpochs !== 'number' || !Number.isInteger(nEpochs) || nEpochs < 1)) {
      throw new ParameterError('n_epochs', `n_epochs must be an integer >= 1 or null (got ${show(nEpochs)})`);
    }
    const lr = params.learning_rate ?? 1.0;
    if (typeof lr !== 'number' || !(lr > 0) || !Number.isFinite(lr)) {
      throw new ParameterError('learning_rate', `learning_rate must be > 0 (got ${show(lr)})`);
    }
    const rs = params.random_state ?? null;
    if (rs !== null && (typeof rs !== 'number' || !Number.isInteger(rs))) {
      throw new ParameterError('random_state', `random_state must be an integer or null (got ${show(rs)})`);
    }
    const random = new RandomState(rs ?? Math.floor(Math.random() * 0x100000000));
    this.n_neighbors = k;
    this.n_components = nc;
    this.X = X;
    this.opts = opts;
    this.Y = new Float64Array(n * nc);
    this.umap = new UMAPJS({
      nNeighbors: k,
      minDist,
      spread,
      nComponents: nc,
      nEpochs: nEpochs ?? 0,
      learningRate: lr,
      random: () => random.random(),
    });
  }

  /** kNN, fuzzy graph and initial layout; returns the number of epochs. */
  initializeFit(): number {
    if (this.initialized) return this.nEpochs;
    const { X, opts } = this;
    const n = X.n_samples;
    const d = X.n_features;
    const k = this.n_neighbors;
    throwIfAborted(opts.signal);
    // umap-learn's convention: the point itself first, at distance 0 (as neighbors/knn.ts answers)
    const knn = kNearestNeighbors(X, k, 'euclidean', { ...opts, stage: 'nearest neighbours' });
    const indices: number[][] = new Array(n);
    const distances: number[][] = new Array(n);
    for (let i = 0; i < n; i++) {
      indices[i] = Array.from(knn.indices.subarray(i * k, (i + 1) * k));
      distances[i] = Array.from(knn.distances.subarray(i * k, (i + 1) * k));
    }
    this.umap.setPrecomputedKNN(indices, distances);
    const rows: number[][] = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = Array.from(X.data.subarray(i * d, (i + 1) * d));
    throwIfAborted(opts.signal);
    opts.on_progress?.({ stage: 'fuzzy graph', fraction: 0 });
    this.nEpochs = this.umap.initializeFit(rows);
    opts.on_progress?.({ stage: 'fuzzy graph', fraction: 1 });
    this.epoch = 0;
    this.stale = true;
    this.initialized = true;
    return this.nEpochs;
  }

  /** One optimisation epoch; returns the number of epochs done. */
  step(): number {
    if (!this.initialized) this.initializeFit();
    throwIfAborted(this.opts.signal);
    if (this.epoch < this.nEpochs) {
      this.epoch = this.umap.step();
      this.stale = true;
    }
    const on = this.opts.on_progress;
    if (on) {
      const now = Date.now();
      if (now - this.lastReport >= 50 || this.epoch >= this.nEpochs) {
        this.lastReport = now;
        on({ stage: 'optimizing', fraction: this.nEpochs ? this.epoch / this.nEpochs : 1 });
      }
    }
    return this.epoch;
  }

  get done(): boolean {
    return this.initialized && this.epoch >= this.nEpochs;
  }

  /** The current embedding, n x n_components row-major (refreshed after steps; do not hold across steps). */
  get embedding(): Float64Array {
    if (this.stale) {
      const e = this.umap.getEmbedding();
      const c = this.n_components;
      for (let i = 0; i < e.length; i++) {
        const r = e[i];
        for (let a = 0; a < c; a++) this.Y[i * c + a] = r[a];
      }
      this.stale = false;
    }
    return this.Y;
  }
}

export function fitUMAP(X: Matrix, params: UMAPParams = {}, opts: FitOptions = {}): UMAPResult {
  const u = new UMAP(X, params, opts);
  const n = u.initializeFit();
  for (let i = 0; i < n; i++) u.step();
  return { embedding: u.embedding.slice(), n_epochs: n };
}
