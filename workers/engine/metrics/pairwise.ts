import type { Matrix, Metric } from '../types.ts';

/**
 * Distances between rows, as scikit-learn's `pairwise_distances` defines them:
 * euclidean sqrt(sum (a-b)^2), manhattan sum |a-b|, cosine 1 - a.b / (|a| |b|) (a zero row has distance 1
 * to everything non-identical, as scikit-learn treats a zero norm as 1).
 */
export function sqeuclideanRows(X: Matrix, i: number, j: number): number {
  const d = X.n_features;
  const a = X.data;
  let s = 0;
  let oi = i * d;
  let oj = j * d;
  for (let f = 0; f < d; f++, oi++, oj++) {
    const t = a[oi] - a[oj];
    s += t * t;
  }
  return s;
}

export function euclideanRows(X: Matrix, i: number, j: number): number {
  return Math.sqrt(sqeuclideanRows(X, i, j));
}

export function manhattanRows(X: Matrix, i: number, j: number): number {
  const d = X.n_features;
  const a = X.data;
  let s = 0;
  let oi = i * d;
  let oj = j * d;
  for (let f = 0; f < d; f++, oi++, oj++) s += Math.abs(a[oi] - a[oj]);
  return s;
}

/** Row norms (for cosine); a zero norm is replaced by 1, as scikit-learn's normalize does. */
export function rowNorms(X: Matrix): Float64Array {
  const { n_samples: n, n_features: d, data } = X;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = i * d, e = f + d; f < e; f++) s += data[f] * data[f];
    out[i] = s === 0 ? 1 : Math.sqrt(s);
  }
  return out;
}

/** A distance function between rows i and j of X, for the given metric. Cosine precomputes the norms. */
export function rowDistance(X: Matrix, metric: Metric): (i: number, j: number) => number {
  switch (metric) {
    case 'euclidean':
      return (i, j) => euclideanRows(X, i, j);
    case 'manhattan':
      return (i, j) => manhattanRows(X, i, j);
    case 'cosine': {
      const norms = rowNorms(X);
      const d = X.n_features;
      const a = X.data;
      return (i, j) => {
        let s = 0;
        for (let f = 0, oi = i * d, oj = j * d; f < d; f++) s += a[oi + f] * a[oj + f];
        const v = 1 - s / (norms[i] * norms[j]);
        return v < 0 ? 0 : v;
      };
    }
  }
}
