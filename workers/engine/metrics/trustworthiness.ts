/**
 * Trustworthiness of an embedding, as scikit-learn's `sklearn.manifold.trustworthiness`:
 *
 *   T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k^emb(i)} max(0, r(i, j) - k)
 *
 * where N_k^emb(i) are the k nearest neighbours of i in the embedding (euclidean) and r(i, j) is the rank of j
 * among i's neighbours in the input space (1 = nearest; ties ordered by index, as a stable sort would).
 * O(n^2 (d + k)) time, O(n) extra memory: meant for a few thousand rows (subsample larger sets).
 */
import { ParameterError, show, throwIfAborted } from '../errors.ts';
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { rowDistance, sqeuclideanRows } from './pairwise.ts';

/**
 * `embedding` is a matrix, or a row-major Float64Array with n_samples rows (its column count is inferred).
 * The input-space `metric` is euclidean, manhattan or cosine; the embedding is always euclidean.
 */
export function trustworthiness(
  X: Matrix,
  embedding: Matrix | Float64Array,
  n_neighbors = 10,
  metric: Metric = 'euclidean',
  opts: FitOptions = {},
): number {
  const n = X.n_samples;
  if (embedding instanceof Float64Array) {
    const c = n > 0 ? embedding.length / n : 0;
    if (!Number.isInteger(c) || c < 1) {
      throw new ParameterError('embedding', `embedding has ${embedding.length} values, not a multiple of n_samples = ${n}`);
    }
    embedding = { data: embedding, n_samples: n, n_features: c };
  }
  if (embedding.n_samples !== n) {
    throw new ParameterError('embedding', `embedding has ${embedding.n_samples} rows, X has ${n}`);
  }
  const E = embedding;
  if (typeof n_neighbors !== 'number' || !Number.isInteger(n_neighbors) || n_neighbors < 1) {
    throw new ParameterError('n_neighbors', `n_neighbors must be an integer >= 1 (got ${show(n_neighbors)})`);
  }
  if (n_neighbors >= n / 2) {
    throw new ParameterError('n_neighbors', `n_neighbors (${n_neighbors}) should be less than n_samples / 2 (${n / 2})`);
  }
  const k = n_neighbors;
  const distX = metric === 'euclidean' ? (i: number, j: number) => sqeuclideanRows(X, i, j) : rowDistance(X, metric);
  const rowX = new Float64Array(n);
  const nnD = new Float64Array(k);
  const nnI = new Int32Array(k);
  let total = 0;
  let lastReport = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 63) === 0) {
      throwIfAborted(opts.signal);
      if (opts.on_progress && Date.now() - lastReport >= 50) {
        lastReport = Date.now();
        opts.on_progress({ stage: 'trustworthiness', fraction: i / n });
      }
    }
    // k nearest in the embedding (euclidean, ties to the lower index), kept sorted in nnD/nnI
    let size = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dj = sqeuclideanRows(E, i, j);
      if (size < k || dj < nnD[size - 1]) {
        let pos = size < k ? size++ : size - 1;
        while (pos > 0 && nnD[pos - 1] > dj) {
          nnD[pos] = nnD[pos - 1];
          nnI[pos] = nnI[pos - 1];
          pos--;
        }
        nnD[pos] = dj;
        nnI[pos] = j;
      }
    }
    for (let j = 0; j < n; j++) rowX[j] = j === i ? Infinity : distX(i, j);
    // rank in X of each embedded neighbour: 1 + number of points ordered before it
    for (let m = 0; m < k; m++) {
      const j = nnI[m];
      const dj = rowX[j];
      let before = 0;
      for (let l = 0; l < n; l++) {
        const dl = rowX[l];
        if (dl < dj || (dl === dj && l < j)) before++;
      }
      const rank = before + 1;
      if (rank > k) total += rank - k;
    }
  }
  return 1 - total * (2 / (n * k * (2 * n - 3 * k - 1)));
}
