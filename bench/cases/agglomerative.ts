/**
 * Agglomerative clustering benchmarks. Ids are shared with bench/sklearn/agglomerative.py.
 * - full tree (n_clusters=None, distance_threshold=0, compute_full_tree=True) for each linkage, euclidean,
 *   on the standardized CC GENERAL matrix (8950 x 17);
 * - one cut of the stored ward tree (each run is a single cut, cycling through several n_clusters);
 * - average linkage on the first 1000 rows: ours, ml-hclust (O(n^3), too slow for 8950 rows), scikit-learn.
 */
import { agnes } from 'ml-hclust';
import type { BenchCase } from '../types.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';
import { buildTree, cutTree, type HierarchyTree, type Linkage } from '../../workers/engine/cluster/agglomerative.ts';
import type { Matrix } from '../../workers/engine/types.ts';

const GROUP = 'agglomerative';
const CUT_KS = [2, 3, 4, 6, 8, 12, 20, 50];

function firstRows(X: Matrix, k: number): Matrix {
  return { data: X.data.slice(0, k * X.n_features), n_samples: k, n_features: X.n_features };
}

function toRows(X: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.n_samples; i++) out.push(Array.from(X.data.subarray(i * X.n_features, (i + 1) * X.n_features)));
  return out;
}

const fullTree = (linkage: Linkage): BenchCase => ({
  group: GROUP,
  id: `agglo-${linkage}-euclidean-full-tree-cc8950`,
  impl: 'ours',
  repeats: 3,
  setup: () => ccStandardized(),
  run: (X: Matrix) => buildTree(X, { linkage, metric: 'euclidean' }),
});

export const cases: BenchCase[] = [
  fullTree('ward'),
  fullTree('average'),
  fullTree('complete'),
  fullTree('single'),
  {
    group: GROUP,
    id: 'agglo-cut-ward-cc8950',
    impl: 'ours',
    repeats: 50,
    setup: () => ({ tree: buildTree(ccStandardized(), { linkage: 'ward' }), i: 0 }),
    run: (s: { tree: HierarchyTree; i: number }) => cutTree(s.tree, { n_clusters: CUT_KS[s.i++ % CUT_KS.length] }),
  },
  {
    group: GROUP,
    id: 'agglo-average-euclidean-full-tree-1000rows',
    impl: 'ours',
    repeats: 5,
    setup: () => firstRows(ccStandardized(), 1000),
    run: (X: Matrix) => buildTree(X, { linkage: 'average', metric: 'euclidean' }),
  },
  {
    group: GROUP,
    id: 'agglo-average-euclidean-full-tree-1000rows',
    impl: 'ml-hclust',
    repeats: 2,
    setup: () => toRows(firstRows(ccStandardized(), 1000)),
    run: (rows: number[][]) => agnes(rows, { method: 'average' }),
  },
];
