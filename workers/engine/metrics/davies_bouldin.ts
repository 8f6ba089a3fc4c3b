/** Davies-Bouldin index, as scikit-learn's `davies_bouldin_score` (euclidean). Lower is better. */
import type { Matrix } from '../types.ts';
import { encodeLabels } from './contingency.ts';
import { checkLabels, checkNumberOfLabels } from './silhouette.ts';

/** Centroids (L x d), sizes and codes of a labelling. */
export function clusterCentroids(X: Matrix, labels: Int32Array): { L: number; codes: Int32Array; sizes: Float64Array; centroids: Float64Array } {
  const { n_samples: n, n_features: d, data } = X;
  const { classes, codes } = encodeLabels(labels);
  const L = classes.length;
  const sizes = new Float64Array(L);
  const centroids = new Float64Array(L * d);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    sizes[c]++;
    for (let f = 0; f < d; f++) centroids[c * d + f] += data[i * d + f];
  }
  for (let c = 0; c < L; c++) for (let f = 0; f < d; f++) centroids[c * d + f] /= sizes[c];
  return { L, codes, sizes, centroids };
}

export function daviesBouldinScore(X: Matrix, labels: Int32Array): number {
  checkLabels(X, labels);
  const { n_samples: n, n_features: d, data } = X;
  const { L, codes, sizes, centroids } = clusterCentroids(X, labels);
  checkNumberOfLabels(L, n);
  const intra = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    let s = 0;
    for (let f = 0; f < d; f++) {
      const t = data[i * d + f] - centroids[c * d + f];
      s += t * t;
    }
    intra[c] += Math.sqrt(s);
  }
  for (let c = 0; c < L; c++) intra[c] /= sizes[c];
  const cd = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = a + 1; b < L; b++) {
      let s = 0;
      for (let f = 0; f < d; f++) {
        const t = centroids[a * d + f] - centroids[b * d + f];
        s += t * t;
      }
      cd[a * L + b] = cd[b * L + a] = Math.sqrt(s);
    }
  }
  // np.allclose(x, 0): every |x| <= 1e-8
  if (intra.every((v) => Math.abs(v) <= 1e-8) || cd.every((v) => Math.abs(v) <= 1e-8)) return 0.0;
  let total = 0;
  for (let a = 0; a < L; a++) {
    let best = -Infinity;
    for (let b = 0; b < L; b++) {
      const dist = cd[a * L + b] === 0 ? Infinity : cd[a * L + b];
      const r = (intra[a] + intra[b]) / dist;
      if (r > best) best = r;
    }
    total += best;
  }
  return total / L;
}
