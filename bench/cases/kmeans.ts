/**
 * K-Means benchmarks on the standardized CC GENERAL matrix (8950 x 17). Ids are shared with bench/sklearn/kmeans.py.
 * - fixed init (first k rows), k = 4, n_init 1: ours and ml-kmeans (same initial centres, run to convergence);
 * - k-means++, n_init = 10, random_state 0, k = 8 and k = 15 (the k-slider's worst case).
 */
import { kmeans as mlKMeans } from 'ml-kmeans';
import type { BenchCase } from '../types.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';
import { fitKMeans } from '../../workers/engine/cluster/kmeans.ts';
import type { Matrix } from '../../workers/engine/types.ts';

const GROUP = 'kmeans';

function toRows(X: Matrix, count = X.n_samples): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < count; i++) out.push(Array.from(X.data.subarray(i * X.n_features, (i + 1) * X.n_features)));
  return out;
}

export const cases: BenchCase[] = [
  {
    group: GROUP,
    id: 'kmeans-fixed-k4-cc8950',
    impl: 'ours',
    repeats: 7,
    setup: () => ccStandardized(),
    run: (X: Matrix) => fitKMeans(X, { n_clusters: 4, init: X.data.slice(0, 4 * X.n_features), n_init: 1 }),
  },
  {
    group: GROUP,
    id: 'kmeans-fixed-k4-cc8950',
    impl: 'ml-kmeans',
    repeats: 3,
    setup: () => {
      const X = ccStandardized();
      return { rows: toRows(X), init: toRows(X, 4) };
    },
    run: (s: { rows: number[][]; init: number[][] }) =>
      mlKMeans(s.rows, 4, { initialization: s.init.map((r) => r.slice()), maxIterations: 300, tolerance: 1e-4 }),
  },
  ...[8, 15].map(
    (k): BenchCase => ({
      group: GROUP,
      id: `kmeans-pp-ninit10-k${k}-cc8950`,
      impl: 'ours',
      repeats: 5,
      setup: () => ccStandardized(),
      run: (X: Matrix) => fitKMeans(X, { n_clusters: k, init: 'k-means++', n_init: 10, random_state: 0 }),
    }),
  ),
];
