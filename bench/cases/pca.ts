/** PCA on the standardized CC GENERAL matrix (8950 x 17), 2 and 3 components. Same ids as bench/sklearn/pca.py. */
import type { BenchCase } from '../types.ts';
import { fitPCA } from '../../workers/engine/decomposition/pca.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';

export const cases: BenchCase[] = [2, 3].map((k) => ({
  group: 'pca',
  id: `pca_cc_${k}`,
  impl: 'ours',
  repeats: 7,
  setup: () => ccStandardized(),
  run: (X: ReturnType<typeof ccStandardized>) => fitPCA(X, { n_components: k }),
}));
