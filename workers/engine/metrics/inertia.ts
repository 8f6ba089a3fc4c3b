/** Within-cluster sum of squared distances to the given centres (scikit-learn's KMeans.inertia_). */
import type { Matrix } from '../types.ts';
import { DataError } from '../errors.ts';

export function inertia(X: Matrix, labels: Int32Array, cluster_centers: Float64Array): number {
  const { n_samples: n, n_features: d, data } = X;
  if (labels.length !== n) throw new DataError('labels', `labels has ${labels.length} entries, X has ${n} rows`);
  const k = cluster_centers.length / d;
  if (!Number.isInteger(k)) throw new DataError('cluster_centers', `cluster_centers has ${cluster_centers.length} values, not a multiple of n_features=${d}`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = labels[i];
    if (j < 0 || j >= k) throw new DataError('labels', `label ${j} at row ${i} has no centre (0..${k - 1})`);
    let s = 0;
    for (let f = 0, xo = i * d, co = j * d; f < d; f++) {
      const t = data[xo + f] - cluster_centers[co + f];
      s += t * t;
    }
    total += s;
  }
  return total;
}
