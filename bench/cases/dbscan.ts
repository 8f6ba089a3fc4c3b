/**
 * DBSCAN benchmarks. Ids are shared with bench/sklearn/dbscan.py.
 * - index build (kNN + mutual-reachability MST) for min_samples 5 / 10 / 20 on the standardized CC GENERAL
 *   matrix (8950 x 17): ours only (scikit-learn has no such index);
 * - the eps re-cut of a built index (min_samples 10), each run one cut, cycling through 40 eps values;
 * - first fit (fitDbscan: the direct algorithm, radius counts + union-find, no index) at three (eps, min_samples),
 *   against scikit-learn's DBSCAN(eps, min_samples).fit(X), one cosine fit (eps 0.1, min_samples 10), and
 *   density-clustering at eps 1.5 / min_samples 10;
 * - first fit on a generated 100,000 x 17 mixture of 8 gaussian blobs (seeded); scikit-learn's script builds
 *   a mixture from the same recipe (NumPy's generator, so not the same numbers) and fits DBSCAN once.
 */
// density-clustering ships no type declarations
// @ts-ignore
import clustering from 'density-clustering';
import type { BenchCase } from '../types.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';
import { buildDbscanIndex, cutDbscan, fitDbscan, type DbscanIndex } from '../../workers/engine/cluster/dbscan.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { Matrix } from '../../workers/engine/types.ts';

const GROUP = 'dbscan';

/** n x d mixture of 8 unit-variance gaussian blobs whose centres are N(0, 4^2) per coordinate. */
export function mixture(n: number, d: number, seed = 0): Matrix {
  const rs = new RandomState(seed);
  const C = Array.from({ length: 8 }, () => Array.from({ length: d }, () => rs.normal() * 4));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = C[rs.randint(8)];
    for (let f = 0; f < d; f++) data[i * d + f] = c[f] + rs.normal();
  }
  return { data, n_samples: n, n_features: d };
}

function toRows(X: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.n_samples; i++) out.push(Array.from(X.data.subarray(i * X.n_features, (i + 1) * X.n_features)));
  return out;
}

const RECUT_EPS = Array.from({ length: 40 }, (_, i) => 0.25 + i * 0.1);

export const cases: BenchCase[] = [
  ...[5, 10, 20].map(
    (min_samples): BenchCase => ({
      group: GROUP,
      id: `dbscan-index-ms${min_samples}-cc8950`,
      impl: 'ours',
      repeats: 3,
      setup: () => ccStandardized(),
      run: (X: Matrix) => buildDbscanIndex(X, { min_samples }),
    }),
  ),
  {
    group: GROUP,
    id: 'dbscan-recut-ms10-cc8950',
    impl: 'ours',
    repeats: 80,
    setup: () => ({ index: buildDbscanIndex(ccStandardized(), { min_samples: 10 }), i: 0 }),
    run: (s: { index: DbscanIndex; i: number }) => cutDbscan(s.index, RECUT_EPS[s.i++ % RECUT_EPS.length]),
  },
  ...(
    [
      [1.5, 10],
      [0.5, 5],
      [3.0, 20],
    ] as const
  ).map(
    ([eps, min_samples]): BenchCase => ({
      group: GROUP,
      id: `dbscan-fit-eps${eps.toFixed(1)}-ms${min_samples}-cc8950`,
      impl: 'ours',
      repeats: 3,
      setup: () => ccStandardized(),
      run: (X: Matrix) => fitDbscan(X, { eps, min_samples }),
    }),
  ),
  {
    // cosine: the tree on unit-length rows filters, the exact cosine distance decides
    group: GROUP,
    id: 'dbscan-fit-cosine-eps0.1-ms10-cc8950',
    impl: 'ours',
    repeats: 3,
    setup: () => ccStandardized(),
    run: (X: Matrix) => fitDbscan(X, { eps: 0.1, min_samples: 10, metric: 'cosine' }),
  },
  {
    group: GROUP,
    id: 'dbscan-fit-eps1.5-ms10-cc8950',
    impl: 'density-clustering',
    repeats: 1,
    setup: () => toRows(ccStandardized()),
    run: (rows: number[][]) => new clustering.DBSCAN().run(rows, 1.5, 10),
  },
  {
    // first fit: fitDbscan's direct algorithm (no index)
    group: GROUP,
    id: 'dbscan-fit-eps3.5-ms10-blobs100k',
    impl: 'ours',
    repeats: 1,
    setup: () => mixture(100_000, 17, 0),
    run: (X: Matrix) => fitDbscan(X, { eps: 3.5, min_samples: 10 }),
  },
];
