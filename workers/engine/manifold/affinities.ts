/**
 * t-SNE input affinities as scikit-learn's Barnes-Hut t-SNE builds them:
 * k = min(n - 1, floor(3 * perplexity + 1)) nearest neighbours, a binary search per row for the Gaussian
 * precision beta that gives the row the wanted perplexity (entropy in nats = log(perplexity)), then the
 * symmetrised, normalised sparse joint distribution P = (P + P^T) / sum.
 */
import { throwIfAborted } from '../errors.ts';
import type { FitOptions, Matrix } from '../types.ts';
import { kNearestNeighbors } from '../neighbors/knn.ts';

/** Compressed sparse rows (square n x n). Column indices of a row are sorted ascending. */
export interface CSR {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

const PERPLEXITY_TOL = 1e-5;
const PERPLEXITY_STEPS = 100;
const EPSILON_DBL = 1e-8;
const MACHINE_EPSILON = 2 ** -52;

/** The number of neighbours scikit-learn's Barnes-Hut t-SNE uses. */
export function tsneNeighbors(n_samples: number, perplexity: number): number {
  return Math.min(n_samples - 1, Math.floor(3 * perplexity + 1));
}

/**
 * Conditional probabilities p_{j|i} (n x k row-major, each row summing to 1) from the neighbour distances
 * (n x k, already squared for euclidean), as scikit-learn's `_binary_search_perplexity`.
 * `betas` (optional, length n) receives each row's precision.
 */
export function binarySearchPerplexity(
  distances: Float64Array,
  n: number,
  k: number,
  perplexity: number,
  betas?: Float64Array,
  opts: FitOptions = {},
): Float64Array {
  const P = new Float64Array(n * k);
  const desired = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) throwIfAborted(opts.signal);
    const o = i * k;
    let beta = 1;
    let betaMin = -Infinity;
    let betaMax = Infinity;
    for (let step = 0; step < PERPLEXITY_STEPS; step++) {
      let sumP = 0;
      for (let j = 0; j < k; j++) {
        const p = Math.exp(-distances[o + j] * beta);
        P[o + j] = p;
        sumP += p;
      }
      if (sumP === 0) sumP = EPSILON_DBL;
      let sumDP = 0;
      for (let j = 0; j < k; j++) {
        P[o + j] /= sumP;
        sumDP += distances[o + j] * P[o + j];
      }
      const entropy = Math.log(sumP) + beta * sumDP;
      const diff = entropy - desired;
      if (Math.abs(diff) <= PERPLEXITY_TOL) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
    if (betas) betas[i] = beta;
  }
  return P;
}

/**
 * Symmetrised joint probabilities P = (C + C^T) / sum(C + C^T) from the conditional probabilities C given
 * on the kNN graph (n x k `indices`, `conditional`).
 */
export function symmetrizeJoint(indices: Int32Array, conditional: Float64Array, n: number, k: number): CSR {
  // Row i holds its own k neighbours plus every j that has i as a neighbour.
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    count[i] += k;
    for (let m = i * k, e = m + k; m < e; m++) count[indices[m]]++;
  }
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + count[i];
  const fill = rowStart.slice(0, n);
  const tmpCol = new Int32Array(rowStart[n]);
  const tmpVal = new Float64Array(rowStart[n]);
  for (let i = 0; i < n; i++) {
    for (let m = i * k, e = m + k; m < e; m++) {
      const j = indices[m];
      const v = conditional[m];
      let f = fill[i]++;
      tmpCol[f] = j;
      tmpVal[f] = v;
      f = fill[j]++;
      tmpCol[f] = i;
      tmpVal[f] = v;
    }
  }
  // Merge duplicates per row (both i->j and j->i present), sort columns.
  const where = new Int32Array(n).fill(-1);
  const indptr = new Int32Array(n + 1);
  const outCol = new Int32Array(rowStart[n]);
  const outVal = new Float64Array(rowStart[n]);
  let nnz = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const rowBegin = nnz;
    for (let f = rowStart[i]; f < rowStart[i + 1]; f++) {
      const j = tmpCol[f];
      const w = where[j];
      if (w >= 0) outVal[w] += tmpVal[f];
      else {
        where[j] = nnz;
        outCol[nnz] = j;
        outVal[nnz++] = tmpVal[f];
      }
    }
    for (let f = rowBegin; f < nnz; f++) where[outCol[f]] = -1;
    sortRow(outCol, outVal, rowBegin, nnz);
    for (let f = rowBegin; f < nnz; f++) total += outVal[f];
    indptr[i + 1] = nnz;
  }
  const denom = Math.max(total, MACHINE_EPSILON);
  const data = outVal.slice(0, nnz);
  for (let f = 0; f < nnz; f++) data[f] /= denom;
  return { n, indptr, indices: outCol.slice(0, nnz), data };
}

/** Insertion sort of one row by column (rows are short: ~k to 2k entries). */
function sortRow(col: Int32Array, val: Float64Array, s: number, e: number): void {
  for (let a = s + 1; a < e; a++) {
    const c = col[a];
    const v = val[a];
    let b = a - 1;
    while (b >= s && col[b] > c) {
      col[b + 1] = col[b];
      val[b + 1] = val[b];
      b--;
    }
    col[b + 1] = c;
    val[b + 1] = v;
  }
}

/**
 * The k nearest other rows of every row (a point is not its own neighbour, as scikit-learn's t-SNE asks
 * `kneighbors()`), squared euclidean distances ascending, ties by index: the engine's one kNN (neighbors/knn.ts,
 * asked for k + 1 with the point itself first, which is dropped). Progress stage "nearest neighbours".
 */
export function neighborsOf(X: Matrix, k: number, opts: FitOptions = {}): { indices: Int32Array; distances: Float64Array; k: number } {
  const n = X.n_samples;
  const all = kNearestNeighbors(X, k + 1, 'euclidean', { ...opts, squared: true, stage: 'nearest neighbours' });
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    indices.set(all.indices.subarray(i * (k + 1) + 1, (i + 1) * (k + 1)), i * k);
    distances.set(all.distances.subarray(i * (k + 1) + 1, (i + 1) * (k + 1)), i * k);
  }
  return { indices, distances, k };
}

export interface AffinityResult {
  P: CSR;
  k: number;
  /** The kNN distances used (squared euclidean, or cosine distances), n x k. */
  distances: Float64Array;
  neighbors: Int32Array;
}

/**
 * The whole affinity stage: kNN (euclidean: squared distances; cosine: cosine distances, found as the
 * euclidean neighbours of the L2-normalised rows), perplexity search, symmetrisation.
 */
export function jointProbabilitiesNN(
  X: Matrix,
  perplexity: number,
  metric: 'euclidean' | 'cosine' = 'euclidean',
  opts: FitOptions = {},
): AffinityResult {
  const n = X.n_samples;
  const d = X.n_features;
  const k = tsneNeighbors(n, perplexity);
  let source = X;
  if (metric === 'cosine') {
    const data = new Float64Array(X.data.length);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = i * d, e = f + d; f < e; f++) s += X.data[f] * X.data[f];
      const norm = s === 0 ? 1 : Math.sqrt(s);
      for (let f = i * d, e = f + d; f < e; f++) data[f] = X.data[f] / norm;
    }
    source = { data, n_samples: n, n_features: d };
  }
  const knn = neighborsOf(source, k, opts);
  const distances = knn.distances;
  if (metric === 'cosine') {
    // cosine distance 1 - a.b / (|a||b|), recomputed exactly for the neighbours found
    const sd = source.data;
    for (let i = 0; i < n; i++) {
      for (let m = i * k, e = m + k; m < e; m++) {
        const j = knn.indices[m];
        let s = 0;
        for (let f = 0; f < d; f++) s += sd[i * d + f] * sd[j * d + f];
        distances[m] = Math.max(0, 1 - s);
      }
    }
  }
  throwIfAborted(opts.signal);
  opts.on_progress?.({ stage: 'affinities', fraction: 0 });
  const conditional = binarySearchPerplexity(distances, n, k, perplexity, undefined, opts);
  const P = symmetrizeJoint(knn.indices, conditional, n, k);
  opts.on_progress?.({ stage: 'affinities', fraction: 1 });
  return { P, k, distances, neighbors: knn.indices };
}
