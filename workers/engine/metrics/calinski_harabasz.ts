/** Calinski-Harabasz index (variance ratio), as scikit-learn's `calinski_harabasz_score`. Higher is better. */
import type { Matrix } from '../types.ts';
import { clusterCentroids } from './davies_bouldin.ts';
import { checkLabels, checkNumberOfLabels } from './silhouette.ts';

export function calinskiHarabaszScore(X: Matrix, labels: Int32Array): number {
  checkLabels(X, labels);
  const { n_samples: n, n_features: d, data } = X;
  const { L, codes, sizes, centroids } = clusterCentroids(X, labels);
  checkNumberOfLabels(L, n);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += data[i * d + f];
  for (let f = 0; f < d; f++) mean[f] /= n;
  let extra = 0;
  for (let c = 0; c < L; c++) {
    let s = 0;
    for (let f = 0; f < d; f++) {
      const t = centroids[c * d + f] - mean[f];
      s += t * t;
    }
    extra += sizes[c] * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    for (let f = 0; f < d; f++) {
      const t = data[i * d + f] - centroids[c * d + f];
      intra += t * t;
    }
  }
  return intra === 0 ? 1.0 : (extra * (n - L)) / (intra * (L - 1));
}
