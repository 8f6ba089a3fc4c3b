/**
 * K-Means (scikit-learn's `KMeans`, Lloyd's algorithm), with k-means++ / random / explicit initialisation.
 *
 * The loop is scikit-learn's `_kmeans_single_lloyd`: each iteration assigns every sample to its nearest current
 * centre and recomputes the centres; it stops when the labels did not change (strict convergence) or when the
 * sum over centres of the squared centre shift is <= tol * mean(column variances of X); when it stopped on the
 * shift it reassigns the labels once more to the final centres. Empty clusters are moved to the samples farthest
 * from their centres. `n_iter` counts iterations as scikit-learn does.
 *
 * Speed: the assignment uses Elkan's triangle-inequality bounds, which skip most distance computations once the
 * centres settle. The bounds are exact, so the labels, centres, n_iter and inertia are those of the plain Lloyd
 * loop (a distance is computed whenever the bounds cannot decide; ties go to the lower centre index). Per-cluster
 * sums are kept current as samples move, so the centre update costs O(k d).
 *
 * Determinism: `random_state: null` (the default) means seed 0 - unlike scikit-learn, we are always deterministic.
 * The initial centres are drawn from NumPy's legacy RandomState stream (MT19937, see util/numpy_random.ts) the way
 * scikit-learn 1.2 draws them, and all n_init runs draw from that one stream in turn: the same integer random_state
 * gives the same initial centres, hence the same result, as scikit-learn. The run with the lowest inertia wins.
 */
import { runSteps, type Steps } from '../util/steps.ts';
import type { FitOptions, Matrix } from '../types.ts';
import { DataError, ParameterError, checkInt, checkOneOf, show, throwIfAborted } from '../errors.ts';
import { NumpyRandomState } from '../util/numpy_random.ts';

/** The draws K-Means makes (NumPy's RandomState interface). */
export interface InitRandom {
  randint(n: number): number;
  random(): number;
  permutation(n: number, k?: number): Int32Array;
}

export interface KMeansParams {
  n_clusters: number;
  init?: 'k-means++' | 'random' | number[][] | Float64Array;
  n_init?: number | 'auto';
  max_iter?: number;
  tol?: number;
  random_state?: number | null;
  algorithm?: 'lloyd';
}

export interface KMeansResult {
  labels: Int32Array;
  /** k x n_features, row-major. */
  cluster_centers: Float64Array;
  inertia: number;
  n_iter: number;
  n_clusters: number;
}

interface Resolved {
  k: number;
  init: 'k-means++' | 'random' | Float64Array;
  n_init: number;
  max_iter: number;
  tol: number;
  seed: number;
}

function resolveParams(X: Matrix, params: KMeansParams): Resolved {
  const { n_samples: n, n_features: d, data } = X;
  if (!params || typeof params !== 'object') throw new ParameterError('n_clusters', 'n_clusters is required');
  const k = checkInt('n_clusters', params.n_clusters, 1);
  if (n < k) throw new ParameterError('n_clusters', `n_samples=${n} should be >= n_clusters=${k}.`);
  if (data.length !== n * d) throw new DataError('X', `X has ${data.length} values, expected ${n} x ${d}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new DataError('X', `X contains a non-finite value (${data[i]}) at row ${Math.floor(i / d)}, column ${i % d}`);
    }
  }
  const initParam = params.init ?? 'k-means++';
  let init: Resolved['init'];
  if (typeof initParam === 'string') {
    init = checkOneOf('init', initParam, ['k-means++', 'random'] as const);
  } else if (initParam instanceof Float64Array) {
    if (initParam.length !== k * d) {
      throw new ParameterError(
        'init',
        `init: the shape of the initial centers (${initParam.length} values) does not match (n_clusters=${k}, n_features=${d})`,
      );
    }
    init = Float64Array.from(initParam);
  } else if (Array.isArray(initParam)) {
    if (initParam.length !== k) {
      throw new ParameterError('init', `init: the shape of the initial centers (${initParam.length} rows) does not match the number of clusters ${k}.`);
    }
    init = new Float64Array(k * d);
    for (let j = 0; j < k; j++) {
      const r = initParam[j];
      if (!Array.isArray(r) || r.length !== d) {
        throw new ParameterError(
          'init',
          `init: the shape of the initial centers (row ${j} has ${Array.isArray(r) ? r.length : show(r)} values) does not match the number of features of the data ${d}.`,
        );
      }
      for (let f = 0; f < d; f++) {
        const v = r[f];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParameterError('init', `init[${j}][${f}] must be a finite number (got ${show(v)})`);
        init[j * d + f] = v;
      }
    }
  } else {
    throw new ParameterError('init', `init must be "k-means++", "random" or an array of n_clusters x n_features centers (got ${show(initParam)})`);
  }
  let n_init: number;
  const ni = params.n_init ?? 'auto';
  if (ni === 'auto') n_init = init === 'random' ? 10 : 1;
  else n_init = checkInt('n_init', ni, 1);
  if (typeof init !== 'string') n_init = 1; // scikit-learn warns and runs once with an explicit init
  const max_iter = checkInt('max_iter', params.max_iter ?? 300, 1);
  const tol = params.tol ?? 1e-4;
  if (typeof tol !== 'number' || !Number.isFinite(tol)) throw new ParameterError('tol', `tol must be a finite number (got ${show(tol)})`);
  if (tol < 0) throw new ParameterError('tol', `tol must be >= 0 (got ${tol})`);
  checkOneOf('algorithm', params.algorithm ?? 'lloyd', ['lloyd'] as const);
  const rs = params.random_state ?? 0;
  const seed = checkInt('random_state', rs, 0, 0xffffffff);
  return { k, init, n_init, max_iter, tol, seed };
}

/** Mean of the per-column (population) variances of X, times tol: scikit-learn's `_tolerance`. */
function absoluteTol(X: Matrix, tol: number): number {
  if (tol === 0) return 0;
  const { n_samples: n, n_features: d, data } = X;
  const mean = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++) for (let f = 0; f < d; f++, o++) mean[f] += data[o];
  for (let f = 0; f < d; f++) mean[f] /= n;
  let total = 0;
  const acc = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++) {
    for (let f = 0; f < d; f++, o++) {
      const t = data[o] - mean[f];
      acc[f] += t * t;
    }
  }
  for (let f = 0; f < d; f++) total += acc[f] / n;
  return (total / d) * tol;
}

function squaredNorms(X: Matrix): Float64Array {
  const { n_samples: n, n_features: d, data } = X;
  const out = new Float64Array(n);
  for (let i = 0, o = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < d; f++, o++) s += data[o] * data[o];
    out[i] = s;
  }
  return out;
}

/** Squared distances from row `r` of X to every row (into `out`), using precomputed squared norms. */
function sqDistancesFromRow(X: Matrix, xsq: Float64Array, r: number, out: Float64Array): void {
  const { n_samples: n, n_features: d, data } = X;
  const ro = r * d;
  const rn = xsq[r];
  for (let i = 0, o = 0; i < n; i++, o += d) {
    let dot = 0;
    for (let f = 0; f < d; f++) dot += data[o + f] * data[ro + f];
    const v = rn + xsq[i] - 2 * dot;
    out[i] = v > 0 ? v : 0;
  }
  out[r] = 0;
}

/**
 * k-means++ as scikit-learn's `_kmeans_plusplus`: D^2 sampling, greedy over 2 + floor(ln k) local trials (the
 * candidate that most lowers the potential wins). A candidate's distances are computed only for samples it can
 * get closer to: by the triangle inequality it cannot when d(candidate, c)^2 >= 4 d(x, c)^2 for x's nearest
 * chosen centre c. `indices`, when given, receives the row index of each chosen centre.
 */
export function kmeansPlusPlus(
  X: Matrix,
  k: number,
  rng: Pick<InitRandom, 'randint' | 'random'>,
  xsq: Float64Array = squaredNorms(X),
  indices?: Int32Array,
): Float64Array {
  const { n_samples: n, n_features: d, data } = X;
  const centers = new Float64Array(k * d);
  const chosen = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.randint(n);
  chosen[0] = first;
  centers.set(data.subarray(first * d, first * d + d), 0);
  let closest = new Float64Array(n);
  const nearest = new Int32Array(n); // index (into chosen) of each sample's nearest chosen centre
  sqDistancesFromRow(X, xsq, first, closest);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i];
  const cumsum = new Float64Array(n);
  let cand = new Float64Array(n);
  let best = new Float64Array(n);
  const toChosen = new Float64Array(k);
  for (let c = 1; c < k; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += closest[i];
      cumsum[i] = s;
    }
    let bestPot = Infinity;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const target = rng.random() * pot;
      // searchsorted (left): first index with cumsum >= target
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumsum[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      const id = lo >= n ? n - 1 : lo;
      const ro = id * d;
      for (let q = 0; q < c; q++) {
        const qo = chosen[q] * d;
        let z = 0;
        for (let f = 0; f < d; f++) {
          const u = data[ro + f] - data[qo + f];
          z += u * u;
        }
        toChosen[q] = 0.25 * z;
      }
      const rn = xsq[id];
      let p = 0;
      for (let i = 0, o = 0; i < n; i++, o += d) {
        const cl = closest[i];
        let v = cl;
        if (toChosen[nearest[i]] < cl) {
          let dot = 0;
          for (let f = 0; f < d; f++) dot += data[o + f] * data[ro + f];
          let w = rn + xsq[i] - 2 * dot;
          if (w < 0 || i === id) w = 0;
          if (w < cl) v = w;
        }
        cand[i] = v;
        p += v;
      }
      if (p < bestPot) {
        bestPot = p;
        bestId = id;
        const tmp = best;
        best = cand;
        cand = tmp;
      }
    }
    for (let i = 0; i < n; i++) if (best[i] < closest[i]) nearest[i] = c;
    const tmp = closest;
    closest = best;
    best = tmp;
    pot = bestPot;
    chosen[c] = bestId;
    centers.set(data.subarray(bestId * d, bestId * d + d), c * d);
  }
  if (indices) indices.set(chosen);
  return centers;
}

/** Nearest centre of each row of X (ties to the lower index). */
export function predictKMeans(cluster_centers: Float64Array, n_features: number, X: Matrix): Int32Array {
  const d = n_features;
  if (X.n_features !== d) throw new DataError('X', `X has ${X.n_features} features, but the model was fitted with ${d}`);
  const k = cluster_centers.length / d;
  if (!Number.isInteger(k) || k < 1) throw new ParameterError('cluster_centers', `cluster_centers has ${cluster_centers.length} values, not a multiple of n_features=${d}`);
  const half = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let f = 0; f < d; f++) s += cluster_centers[j * d + f] ** 2;
    half[j] = 0.5 * s;
  }
  const { n_samples: n, data } = X;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    let best = Infinity;
    let bj = 0;
    for (let j = 0, co = 0; j < k; j++, co += d) {
      let dot = 0;
      for (let f = 0; f < d; f++) dot += data[xo + f] * cluster_centers[co + f];
      const v = half[j] - dot;
      if (v < best) {
        best = v;
        bj = j;
      }
    }
    labels[i] = bj;
  }
  return labels;
}

/** Calls on_progress at most every `ms` milliseconds (plus always the final 1.0). */
export function throttledProgress(opts: FitOptions, ms = 50): (stage: string, fraction: number, force?: boolean) => void {
  let last = -Infinity;
  const cb = opts.on_progress;
  if (!cb) return () => {};
  return (stage, fraction, force = false) => {
    const now = typeof performance !== 'undefined' ? performance.now() : Date.now();
    if (force || now - last >= ms) {
      last = now;
      cb({ stage, fraction: Math.min(1, Math.max(0, fraction)) });
    }
  };
}

/**
 * Stepwise K-Means. `initializeFit()` returns the maximum number of `step()` calls (max_iter per run, times the
 * number of runs n_init); each `step()` is one Lloyd iteration (a run's initialisation happens in its first
 * step), and returns true when every run is done. `fitKMeans` drains it.
 */
export class KMeansRun {
  private readonly X: Matrix;
  private readonly p: Resolved;
  private readonly tolAbs: number;
  private readonly k: number;
  private readonly d: number;
  private rng: InitRandom | null = null;
  private readonly sharedRng: InitRandom | null;
  private xsq: Float64Array | null = null;
  // per-run state
  private centers: Float64Array;
  private centersNew: Float64Array;
  private counts: Float64Array;
  private sums: Float64Array;
  private sizes: Float64Array;
  private shift: Float64Array;
  private halfSep: Float64Array;
  private ccHalf: Float64Array;
  private labels: Int32Array;
  /** Elkan bounds, stored relative to `cum` (the cumulative shift of each centre in this run): the upper bound
   * of sample i is upper[i] + cum[labels[i]], its lower bound to centre j is lower[i k + j] - cum[j]. */
  private upper: Float64Array;
  private lower: Float64Array;
  private cum: Float64Array;
  private iter = 0;
  private runIndex = 0;
  private runStarted = false;
  private finished = false;
  private initialized = false;
  // best so far
  private bestLabels: Int32Array | null = null;
  private bestCenters: Float64Array | null = null;
  private bestInertia = Infinity;
  private bestIter = 0;

  /** `rng` (internal): draw from this stream instead of a fresh one seeded by random_state (GaussianMixture's init). */
  constructor(X: Matrix, params: KMeansParams, rng?: InitRandom) {
    this.p = resolveParams(X, params);
    this.sharedRng = rng ?? null;
    this.X = X;
    this.k = this.p.k;
    this.d = X.n_features;
    this.tolAbs = absoluteTol(X, this.p.tol);
    const { k, d } = this;
    const n = X.n_samples;
    this.centers = new Float64Array(k * d);
    this.centersNew = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.sums = new Float64Array(k * d);
    this.sizes = new Float64Array(k);
    this.shift = new Float64Array(k);
    this.halfSep = new Float64Array(k);
    this.ccHalf = new Float64Array(k * k);
    this.labels = new Int32Array(n);
    this.upper = new Float64Array(n);
    this.lower = new Float64Array(n * k);
    this.cum = new Float64Array(k);
  }

  /** Starts (or restarts) the fit; returns the maximum number of steps (max_iter x n_init). */
  initializeFit(): number {
    this.rng = this.sharedRng ?? new NumpyRandomState(this.p.seed);
    this.iter = 0;
    this.runIndex = 0;
    this.runStarted = false;
    this.finished = false;
    this.bestLabels = null;
    this.bestCenters = null;
    this.bestInertia = Infinity;
    this.bestIter = 0;
    this.initialized = true;
    return this.p.max_iter * this.p.n_init;
  }

  /** Progress in [0, 1] (completed runs plus the fraction of max_iter of the current one). */
  get fraction(): number {
    return (this.runIndex + this.iter / this.p.max_iter) / this.p.n_init;
  }

  private startRun(): void {
    const { X, k, d } = this;
    const init = this.p.init;
    if (init === 'k-means++') {
      if (!this.xsq) this.xsq = squaredNorms(X);
      this.centers.set(kmeansPlusPlus(X, k, this.rng!, this.xsq));
    } else if (init === 'random') {
      const seeds = this.rng!.permutation(X.n_samples, k);
      for (let j = 0; j < k; j++) this.centers.set(X.data.subarray(seeds[j] * d, seeds[j] * d + d), j * d);
    } else {
      this.centers.set(init);
    }
    this.labels.fill(-1);
    this.sums.fill(0);
    this.sizes.fill(0);
    this.cum.fill(0);
    this.iter = 0;
    this.runStarted = true;
  }

  /** Half distances between centres (k x k) and, per centre, half the distance to its nearest other centre. */
  private computeCenterHalfDistances(): void {
    const { k, d, centers, halfSep, ccHalf } = this;
    halfSep.fill(Infinity);
    for (let a = 0; a < k; a++) {
      ccHalf[a * k + a] = 0;
      for (let b = a + 1; b < k; b++) {
        let s = 0;
        for (let f = 0; f < d; f++) {
          const t = centers[a * d + f] - centers[b * d + f];
          s += t * t;
        }
        const h = 0.5 * Math.sqrt(s);
        ccHalf[a * k + b] = h;
        ccHalf[b * k + a] = h;
        if (h < halfSep[a]) halfSep[a] = h;
        if (h < halfSep[b]) halfSep[b] = h;
      }
    }
  }

  /** Moves sample i from cluster a (or none, a = -1) to cluster b in the running sums. */
  private move(i: number, a: number, b: number): void {
    const { d, sums, sizes } = this;
    const data = this.X.data;
    const xo = i * d;
    const bo = b * d;
    for (let f = 0; f < d; f++) sums[bo + f] += data[xo + f];
    sizes[b] += 1;
    if (a >= 0) {
      const ao = a * d;
      for (let f = 0; f < d; f++) sums[ao + f] -= data[xo + f];
      sizes[a] -= 1;
    }
  }

  /**
   * Assigns labels to `centers`. The first iteration computes every distance; later ones use Elkan's bounds
   * (an upper bound on the distance to the assigned centre, a lower bound on the distance to every centre, and
   * the centre-centre distances) and compute a distance only when the bounds cannot decide. Returns the number
   * of labels that changed.
   */
  private assign(first: boolean): number {
    const { X, k, d, centers, labels, upper, lower, halfSep, ccHalf, cum } = this;
    const { n_samples: n, data } = X;
    let changed = 0;
    if (first) {
      for (let i = 0; i < n; i++) {
        const xo = i * d;
        const lo = i * k;
        let b1 = Infinity;
        let j1 = 0;
        for (let j = 0, co = 0; j < k; j++, co += d) {
          let s = 0;
          for (let f = 0; f < d; f++) {
            const t = data[xo + f] - centers[co + f];
            s += t * t;
          }
          lower[lo + j] = Math.sqrt(s) + cum[j];
          if (s < b1) {
            b1 = s;
            j1 = j;
          }
        }
        upper[i] = lower[lo + j1] - 2 * cum[j1];
        const a = labels[i];
        if (j1 !== a) {
          labels[i] = j1;
          changed++;
          this.move(i, a, j1);
        }
      }
      return changed;
    }
    if (k === 1) return 0;
    this.computeCenterHalfDistances();
    for (let i = 0; i < n; i++) {
      const a0 = labels[i];
      let u = upper[i] + cum[a0];
      if (u <= halfSep[a0]) continue;
      let a = a0;
      let tight = false;
      const xo = i * d;
      const lo = i * k;
      for (let j = 0; j < k; j++) {
        if (j === a) continue;
        if (u <= lower[lo + j] - cum[j] || u <= ccHalf[a * k + j]) continue;
        if (!tight) {
          let s = 0;
          for (let f = 0, co = a * d; f < d; f++) {
            const t = data[xo + f] - centers[co + f];
            s += t * t;
          }
          u = Math.sqrt(s);
          lower[lo + a] = u + cum[a];
          tight = true;
          if (u <= lower[lo + j] - cum[j] || u <= ccHalf[a * k + j]) continue;
        }
        let s = 0;
        for (let f = 0, co = j * d; f < d; f++) {
          const t = data[xo + f] - centers[co + f];
          s += t * t;
        }
        const dj = Math.sqrt(s);
        lower[lo + j] = dj + cum[j];
        if (dj < u || (dj === u && j < a)) {
          a = j;
          u = dj;
        }
      }
      upper[i] = u - cum[a];
      if (a !== a0) {
        labels[i] = a;
        changed++;
        this.move(i, a0, a);
      }
    }
    return changed;
  }

  /**
   * centersNew = means of the labelled samples (from the running sums), with scikit-learn's relocation of empty
   * clusters to the samples farthest from their centres.
   */
  private updateCenters(): void {
    const { X, k, d, centers, centersNew, counts, labels, sums, sizes } = this;
    const { n_samples: n, data } = X;
    centersNew.set(sums);
    counts.set(sizes);
    let nEmpty = 0;
    for (let j = 0; j < k; j++) if (counts[j] === 0) nEmpty++;
    if (nEmpty > 0) {
      const dist = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        const co = labels[i] * d;
        for (let f = 0; f < d; f++) {
          const t = data[i * d + f] - centers[co + f];
          s += t * t;
        }
        dist[i] = s;
      }
      const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => dist[q] - dist[p] || p - q);
      let e = 0;
      for (let j = 0; j < k; j++) {
        if (counts[j] !== 0) continue;
        const far = order[e++];
        const old = labels[far];
        for (let f = 0; f < d; f++) {
          centersNew[old * d + f] -= data[far * d + f];
          centersNew[j * d + f] = data[far * d + f];
        }
        counts[j] = 1;
        counts[old] -= 1;
      }
    }
    for (let j = 0; j < k; j++) {
      const c = counts[j];
      if (c > 0) {
        const inv = 1 / c;
        for (let f = 0, co = j * d; f < d; f++) centersNew[co + f] *= inv;
      }
    }
  }

  /** One Lloyd iteration. Returns true when all runs are done. */
  step(): boolean {
    if (!this.initialized) this.initializeFit();
    if (this.finished) return true;
    if (!this.runStarted) this.startRun();
    const { k, d, shift } = this;
    const first = this.iter === 0;
    const changed = this.assign(first);
    this.updateCenters();
    // centre shifts, then swap
    let shiftTot = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let f = 0, co = j * d; f < d; f++) {
        const t = this.centersNew[co + f] - this.centers[co + f];
        s += t * t;
      }
      shiftTot += s;
      shift[j] = Math.sqrt(s);
    }
    const tmp = this.centers;
    this.centers = this.centersNew;
    this.centersNew = tmp;
    this.iter++;
    // Elkan bounds follow the moved centres lazily: stored bounds are offset by each centre's cumulative shift
    for (let j = 0; j < k; j++) this.cum[j] += shift[j];
    let done = false;
    let strict = false;
    if (changed === 0 && !first) {
      strict = true;
      done = true;
    } else if (shiftTot <= this.tolAbs) {
      done = true;
    }
    if (this.iter >= this.p.max_iter) done = true;
    if (done) this.finishRun(strict);
    return this.finished;
  }

  private finishRun(strict: boolean): void {
    if (!strict) this.assign(false);
    const { X, d, centers, labels } = this;
    const { n_samples: n, data } = X;
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const co = labels[i] * d;
      const xo = i * d;
      for (let f = 0; f < d; f++) {
        const t = data[xo + f] - centers[co + f];
        s += t * t;
      }
      inertia += s;
    }
    if (this.bestLabels === null || inertia < this.bestInertia) {
      this.bestInertia = inertia;
      this.bestLabels = Int32Array.from(labels);
      this.bestCenters = Float64Array.from(centers);
      this.bestIter = this.iter;
    }
    this.runIndex++;
    this.runStarted = false;
    this.iter = 0;
    if (this.runIndex >= this.p.n_init) this.finished = true;
  }

  result(): KMeansResult {
    if (!this.finished || !this.bestLabels || !this.bestCenters) throw new Error('KMeansRun.result() called before the fit finished');
    return {
      labels: this.bestLabels.slice(),
      cluster_centers: this.bestCenters.slice(),
      inertia: this.bestInertia,
      n_iter: this.bestIter,
      n_clusters: this.k,
    };
  }
}

export function fitKMeans(X: Matrix, params: KMeansParams, opts: FitOptions = {}): KMeansResult {
  return runSteps(fitKMeansSteps(X, params, opts));
}

/** fitKMeans, a step per Lloyd iteration (util/steps.ts): a worker returns to its event loop between them. */
export function* fitKMeansSteps(X: Matrix, params: KMeansParams, opts: FitOptions = {}): Steps<KMeansResult> {
  throwIfAborted(opts.signal);
  const run = new KMeansRun(X, params);
  run.initializeFit();
  const progress = throttledProgress(opts);
  progress('k-means', 0, true);
  while (!run.step()) {
    throwIfAborted(opts.signal);
    progress('k-means', run.fraction);
    yield;
  }
  progress('k-means', 1, true);
  return run.result();
}
