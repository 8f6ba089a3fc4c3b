/**
 * CART (gini, max_depth 3) on the standardized CC GENERAL matrix (8950 x 17) with the K-Means (k = 4) labels as classes:
 * one tree, and one tree plus 5-fold cross-validation (what the Segments tab computes on every new labelling).
 * ml-random-forest was measured at over 10 minutes on these rows; the target is well under a second.
 */
import type { BenchCase } from '../types.ts';
import { argsortFeatures, crossValAccuracy, fitDecisionTree } from '../../workers/engine/segments/cart.ts';
import { fitKMeans } from '../../workers/engine/cluster/kmeans.ts';
import { ccStandardized } from '../../test/helpers/shared.ts';

function setup() {
  const X = ccStandardized();
  const y = fitKMeans(X, { n_clusters: 4, random_state: 0 } as any).labels;
  return { X, y };
}

export const cases: BenchCase[] = [
  {
    group: 'cart',
    id: 'cart_cc_depth3_fit',
    impl: 'ours',
    repeats: 9,
    setup,
    run: ({ X, y }: ReturnType<typeof setup>) => fitDecisionTree(X, y, { max_depth: 3 }),
  },
  {
    group: 'cart',
    id: 'cart_cc_depth3_fit_cv5',
    impl: 'ours',
    repeats: 7,
    setup,
    run: ({ X, y }: ReturnType<typeof setup>) => {
      const order = argsortFeatures(X);
      fitDecisionTree(X, y, { max_depth: 3 }, undefined, order);
      return crossValAccuracy(X, y, { max_depth: 3 }, 5, 0, order);
    },
  },
  {
    group: 'cart',
    id: 'cart_cc_depth8_fit',
    impl: 'ours',
    repeats: 5,
    setup,
    run: ({ X, y }: ReturnType<typeof setup>) => fitDecisionTree(X, y, { max_depth: 8 }),
  },
];
