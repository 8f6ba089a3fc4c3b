/**
 * t-SNE and UMAP embeddings of the standardized CC GENERAL matrix. Ids shared with bench/sklearn/tsne.py:
 * - tsne_cc_2d: all 8950 x 17 rows, 2-D, perplexity 30, PCA init, 1000 iterations (ours vs scikit-learn Barnes-Hut);
 * - tsne_cc500_2d: a 500-row sample (every 17th row), same settings (ours, scikit-learn, and tsne-js, which is
 *   exact O(n^2) t-SNE with its own defaults for early exaggeration / learning rate);
 * - umap_cc_2d: UMAP on all rows (our wrapper with exact kNN, and umap-js alone with its NN-descent); no
 *   scikit-learn counterpart.
 */
import type { BenchCase } from '../types.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { fitTSNE } from '../../workers/engine/manifold/tsne.ts';
import { fitUMAP } from '../../workers/engine/manifold/umap.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';
// @ts-expect-error tsne-js ships no types
import TsneJs from 'tsne-js';
import { UMAP as UMAPJS } from 'umap-js';

const tsneParams = { n_components: 2, perplexity: 30, init: 'pca', learning_rate: 'auto', max_iter: 1000, random_state: 0 } as const;

/** Every 17th row, the first 500 of them (the same rows as the Python side: X[::17][:500]). */
function sample500(): Matrix {
  const X = ccStandardized();
  const d = X.n_features;
  const n = 500;
  const data = new Float64Array(n * d);
  for (let m = 0; m < n; m++) data.set(X.data.subarray(m * 17 * d, m * 17 * d + d), m * d);
  return { data, n_samples: n, n_features: d };
}

function rows(X: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.n_samples; i++) out.push(Array.from(X.data.subarray(i * X.n_features, (i + 1) * X.n_features)));
  return out;
}

export const cases: BenchCase[] = [
  {
    group: 'tsne',
    id: 'tsne_cc_2d',
    impl: 'ours',
    repeats: 1,
    setup: () => ccStandardized(),
    run: (X: Matrix) => fitTSNE(X, tsneParams),
  },
  {
    group: 'tsne',
    id: 'tsne_cc500_2d',
    impl: 'ours',
    repeats: 3,
    setup: sample500,
    run: (X: Matrix) => fitTSNE(X, tsneParams),
  },
  {
    group: 'tsne',
    id: 'tsne_cc500_2d',
    impl: 'tsne-js',
    repeats: 1,
    setup: () => rows(sample500()),
    run: (data: number[][]) => {
      const model = new TsneJs({ dim: 2, perplexity: 30, nIter: 1000, metric: 'euclidean' });
      model.init({ data, type: 'dense' });
      return model.run();
    },
  },
  {
    group: 'tsne',
    id: 'umap_cc_2d',
    impl: 'ours',
    repeats: 1,
    setup: () => ccStandardized(),
    run: (X: Matrix) => fitUMAP(X, { n_neighbors: 15, min_dist: 0.1, random_state: 0 }),
  },
  {
    group: 'tsne',
    id: 'umap_cc_2d',
    impl: 'umap-js',
    repeats: 1,
    setup: () => rows(ccStandardized()),
    run: (data: number[][]) => new UMAPJS({ nNeighbors: 15, minDist: 0.1 }).fit(data),
  },
];
