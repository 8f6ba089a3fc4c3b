/**
 * 100,000 x 17: how the engines scale past CC GENERAL's 8950 rows. Ids are shared with bench/sklearn/scale.py,
 * which generates the very same matrix (bit for bit: integer hashing and sums of uniforms only, no libm call).
 * - K-Means, k-means++, k = 8, n_init 1 and 10 (random_state 0);
 * - DBSCAN (min_samples 10): the eps-independent index (ours only), the first fit at one eps (fitDbscan, the
 *   direct algorithm; scikit-learn's DBSCAN.fit), and one re-cut of the built index (ours only);
 * - silhouette on a 5000-row sample (random_state 0; each side draws its own sample), of the generating labels;
 * - PCA, 2 components (scikit-learn: svd_solver "full").
 * Repeats are 1-3: every case runs for seconds.
 */
import { DataService } from '../../workers/services/data_service.ts';
import type { BenchCase } from '../types.ts';
import { fitKMeans } from '../../workers/engine/cluster/kmeans.ts';
import { buildDbscanIndex, cutDbscan, fitDbscan, type DbscanIndex } from '../../workers/engine/cluster/dbscan.ts';
import { silhouetteScore } from '../../workers/engine/metrics/silhouette.ts';
import { fitPCA } from '../../workers/engine/decomposition/pca.ts';
import type { Matrix } from '../../workers/engine/types.ts';

const GROUP = 'scale';
export const SCALE_N = 100_000;
export const SCALE_D = 17;
export const SCALE_EPS = 3.0;
export const SCALE_MIN_SAMPLES = 10;

/** Chris Wellons' lowbias32 integer hash (uint32 -> uint32). */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A seeded mixture of 8 gaussian blobs with different spreads, reproducible in any language with uint32
 * arithmetic (see bench/sklearn/scale.py). Draw number c gives u(c) = (hash32((c + seed * 0x9E3779B9) mod 2^32)
 * + 0.5) / 2^32. Centre (k, f) = 20 u(k d + f) - 10; row i's blob k = floor(8 u(8 d + i)); spread of blob k is
 * 0.5 + 0.25 k; x[i, f] = centre[k, f] + spread[k] * g, with g = u(b) + u(b + 1) + ... + u(b + 11) - 6 summed in
 * that order (a unit-variance, nearly gaussian draw), b = 8 d + n + 12 (i d + f).
 */
export function scaleMixture(n = SCALE_N, d = SCALE_D, seed = 0): { X: Matrix; labels: Int32Array } {
  const key = Math.imul(seed, 0x9e3779b9) >>> 0;
  const u = (c: number) => (hash32((c + key) >>> 0) + 0.5) / 4294967296;
  const centres = new Float64Array(8 * d);
  for (let c = 0; c < 8 * d; c++) centres[c] = 20 * u(c) - 10;
  const labels = new Int32Array(n);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(8 * u(8 * d + i));
    labels[i] = k;
    const spread = 0.5 + 0.25 * k;
    for (let f = 0; f < d; f++) {
      const b = 8 * d + n + 12 * (i * d + f);
      let g = u(b);
      for (let j = 1; j < 12; j++) g += u(b + j);
      g -= 6;
      data[i * d + f] = centres[k * d + f] + spread * g;
    }
  }
  return { X: { data, n_samples: n, n_features: d }, labels };
}

let cached: { X: Matrix; labels: Int32Array } | null = null;
const data = () => (cached ??= scaleMixture());
const X100k = () => data().X;

export const cases: BenchCase[] = [
  ...[1, 10].map(
    (n_init): BenchCase => ({
      group: GROUP,
      id: `scale-kmeans-pp-ninit${n_init}-k8-blobs100k`,
      impl: 'ours',
      repeats: n_init === 1 ? 3 : 1,
      setup: X100k,
      run: (X: Matrix) => fitKMeans(X, { n_clusters: 8, init: 'k-means++', n_init, random_state: 0 }),
    }),
  ),
  {
    group: GROUP,
    id: `scale-dbscan-index-ms${SCALE_MIN_SAMPLES}-blobs100k`,
    impl: 'ours',
    repeats: 1,
    setup: X100k,
    run: (X: Matrix) => buildDbscanIndex(X, { min_samples: SCALE_MIN_SAMPLES }),
  },
  {
    group: GROUP,
    id: `scale-dbscan-fit-eps${SCALE_EPS.toFixed(1)}-ms${SCALE_MIN_SAMPLES}-blobs100k`,
    impl: 'ours',
    repeats: 3,
    setup: X100k,
    run: (X: Matrix) => fitDbscan(X, { eps: SCALE_EPS, min_samples: SCALE_MIN_SAMPLES }),
  },
  {
    group: GROUP,
    id: `scale-dbscan-recut-ms${SCALE_MIN_SAMPLES}-blobs100k`,
    impl: 'ours',
    repeats: 3,
    setup: () => ({ index: buildDbscanIndex(X100k(), { min_samples: SCALE_MIN_SAMPLES }), i: 0 }),
    run: (s: { index: DbscanIndex; i: number }) => cutDbscan(s.index, SCALE_EPS + 0.25 * (s.i++ % 3)),
  },
  {
    group: GROUP,
    id: 'scale-silhouette-sample5000-blobs100k',
    impl: 'ours',
    repeats: 3,
    setup: data,
    run: (s: { X: Matrix; labels: Int32Array }) => silhouetteScore(s.X, s.labels, { sample_size: 5000, random_state: 0 }),
  },
  {
    // what the data worker does with an uploaded 100,000-row CSV (12.8 MB) before the first view: parse, column
    // summaries, preprocessing (median impute, standard scaler), fingerprint, PCA
    group: GROUP,
    id: 'scale-csv-load-blobs100k',
    impl: 'ours',
    repeats: 3,
    setup: () => {
      const X = X100k();
      const d = X.n_features;
      const lines = [Array.from({ length: d }, (_, j) => `f${j + 1}`).join(',')];
      for (let i = 0; i < X.n_samples; i++) lines.push(Array.from(X.data.subarray(i * d, (i + 1) * d), (v) => v.toFixed(4)).join(','));
      return lines.join('\n') + '\n';
    },
    run: async (text: string) => {
      const o = await new DataService().openText(text, 'blobs100k.csv');
      if (!o.ok) throw new Error(o.error.message);
    },
  },
  {
    group: GROUP,
    id: 'scale-pca-n2-blobs100k',
    impl: 'ours',
    repeats: 3,
    setup: X100k,
    run: (X: Matrix) => fitPCA(X, { n_components: 2 }),
  },
];
