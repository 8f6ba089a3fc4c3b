/**
 * Clustering metrics on the standardized CC GENERAL matrix (8950 x 17) with the k-means k = 4 labels (fixed init).
 * Ids are shared with bench/sklearn/metrics.py: exact silhouette (euclidean), Davies-Bouldin, Calinski-Harabasz.
 */
import type { BenchCase } from '../types.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';
import { fitKMeans } from '../../workers/engine/cluster/kmeans.ts';
import { silhouetteScore } from '../../workers/engine/metrics/silhouette.ts';
import { daviesBouldinScore } from '../../workers/engine/metrics/davies_bouldin.ts';
import { calinskiHarabaszScore } from '../../workers/engine/metrics/calinski_harabasz.ts';
import type { Matrix } from '../../workers/engine/types.ts';

const GROUP = 'metrics';

function setup(): { X: Matrix; labels: Int32Array } {
  const X = ccStandardized();
  const { labels } = fitKMeans(X, { n_clusters: 4, init: X.data.slice(0, 4 * X.n_features) });
  return { X, labels };
}

type S = ReturnType<typeof setup>;

export const cases: BenchCase[] = [
  { group: GROUP, id: 'silhouette-exact-k4-cc8950', impl: 'ours', repeats: 3, setup, run: (s: S) => silhouetteScore(s.X, s.labels) },
  { group: GROUP, id: 'davies-bouldin-k4-cc8950', impl: 'ours', repeats: 9, setup, run: (s: S) => daviesBouldinScore(s.X, s.labels) },
  { group: GROUP, id: 'calinski-harabasz-k4-cc8950', impl: 'ours', repeats: 9, setup, run: (s: S) => calinskiHarabaszScore(s.X, s.labels) },
];
