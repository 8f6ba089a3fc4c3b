/**
 * Gaussian mixture on the standardized CC GENERAL matrix (8950 x 17): 4 components, full covariances, defaults
 * otherwise (k-means init, random_state 0). Id shared with bench/sklearn/gmm.py.
 */
import type { BenchCase } from '../types.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';
import { fitGaussianMixture } from '../../workers/engine/mixture/gaussian_mixture.ts';
import type { Matrix } from '../../workers/engine/types.ts';

export const cases: BenchCase[] = [
  {
    group: 'gmm',
    id: 'gmm-full-k4-cc8950',
    impl: 'ours',
    repeats: 5,
    setup: () => ccStandardized(),
    run: (X: Matrix) => fitGaussianMixture(X, { n_components: 4, covariance_type: 'full', random_state: 0 }),
  },
];
