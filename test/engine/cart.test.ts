/** CART against splits computed by hand, importances, rules, cross-validation, and speed at CC GENERAL's size. */
import { describe, expect, it } from 'vitest';
import {
  argsortFeatures,
  crossValAccuracy,
  fitDecisionTree,
  predictTree,
  ruleText,
  stratifiedFolds,
  treeRules,
  TREE_LEAF,
} from '../../workers/engine/segments/cart.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { Matrix } from '../../workers/engine/types.ts';

function mat(rows: number[][]): Matrix {
  return { data: Float64Array.from(rows.flat()), n_samples: rows.length, n_features: rows[0].length };
}

describe('fitDecisionTree (gini)', () => {
  it('picks the split with the lowest weighted Gini (worked by hand on one feature)', () => {
    // x = 1..5, y = 0 0 1 0 1. Weighted child Gini: t=1.5 -> 2, t=2.5 -> 4/3, t=3.5 -> 7/3, t=4.5 -> 1.5.
    const X = mat([[1], [2], [3], [4], [5]]);
    const y = Int32Array.from([0, 0, 1, 0, 1]);
    const t = fitDecisionTree(X, y, { max_depth: 1 });
    expect(t.node_count).toBe(3);
    expect(t.feature[0]).toBe(0);
    expect(t.threshold[0]).toBe(2.5);
    expect(t.impurity[0]).toBeCloseTo(12 / 25, 12);
    expect(t.impurity[1]).toBe(0);
    expect(t.impurity[2]).toBeCloseTo(4 / 9, 12);
    expect(Array.from(t.n_node_samples)).toEqual([5, 2, 3]);
    expect(Array.from(t.value)).toEqual([3, 2, 2, 0, 1, 2]);
    expect(Array.from(predictTree(t, X))).toEqual([0, 0, 1, 1, 1]);
  });

  it('grows depth first and credits each feature its impurity decrease (worked by hand on two features)', () => {
    // Root: x0 <= 4.5 (weighted Gini 2 vs 4 for x1 <= 1.5); left child: x1 <= 1.5 is pure, x0's best leaves 4/3.
    const x0 = [1, 2, 3, 4, 5, 6, 7, 8];
    const x1 = [1, 2, 1, 2, 1, 2, 1, 2];
    const X = mat(x0.map((v, i) => [v, x1[i]]));
    const y = Int32Array.from([0, 1, 0, 1, 2, 2, 2, 2]);
    const t = fitDecisionTree(X, y, { max_depth: 2 });
    expect(t.node_count).toBe(5);
    expect(Array.from(t.feature)).toEqual([0, 1, -2, -2, -2]);
    expect(t.threshold[0]).toBe(4.5);
    expect(t.threshold[1]).toBe(1.5);
    expect(Array.from(t.children_left)).toEqual([1, 2, TREE_LEAF, TREE_LEAF, TREE_LEAF]);
    expect(Array.from(t.children_right)).toEqual([4, 3, TREE_LEAF, TREE_LEAF, TREE_LEAF]);
    // Gains: root 8 * 0.625 - 4 * 0.5 = 3 (x0), left 4 * 0.5 = 2 (x1).
    expect(t.feature_importances_[0]).toBeCloseTo(0.6, 12);
    expect(t.feature_importances_[1]).toBeCloseTo(0.4, 12);
    expect(Array.from(predictTree(t, X))).toEqual(Array.from(y));
    const rules = treeRules(t);
    expect(rules.map((r) => ruleText(r, ['x0', 'x1'], `segment ${r.label}`))).toEqual([
      'x0 ≤ 4.5 and x1 ≤ 1.5 → segment 0',
      'x0 ≤ 4.5 and x1 > 1.5 → segment 1',
      'x0 > 4.5 → segment 2',
    ]);
    expect(rules.map((r) => [r.n_samples, r.n_correct])).toEqual([[2, 2], [2, 2], [4, 4]]);
  });

  it('respects max_depth and min_samples_leaf', () => {
    const X = mat([[1], [2], [3], [4], [5]]);
    const y = Int32Array.from([0, 0, 1, 0, 1]);
    // min_samples_leaf 3 forbids every split of 5 rows except none: leaves need 3 rows on both sides.
    const t = fitDecisionTree(X, y, { max_depth: 3, min_samples_leaf: 3 });
    expect(t.node_count).toBe(1);
    expect(predictTree(t, X).every((v) => v === 0)).toBe(true);
    // min_samples_leaf 2: t=2.5 (2 | 3) is still allowed and best.
    expect(fitDecisionTree(X, y, { max_depth: 1, min_samples_leaf: 2 }).threshold[0]).toBe(2.5);
    const deep = fitDecisionTree(X, y, { max_depth: null });
    expect(Array.from(predictTree(deep, X))).toEqual(Array.from(y));
    expect(fitDecisionTree(X, y, { max_depth: 2 }).max_depth).toBeLessThanOrEqual(2);
  });

  it('names the parameter at fault', () => {
    const X = mat([[1], [2]]);
    const y = Int32Array.from([0, 1]);
    expect(() => fitDecisionTree(X, y, { max_depth: 0 })).toThrow(/max_depth must be an integer >= 1/);
    expect(() => fitDecisionTree(X, y, { min_samples_leaf: 0 })).toThrow(/min_samples_leaf/);
    expect(() => fitDecisionTree(X, y, { criterion: 'entropy' as any })).toThrow(/criterion/);
    expect(() => fitDecisionTree(X, Int32Array.from([0]))).toThrow(/labels for 2 rows/);
  });

  it('merges bounds on one feature and hides splits that do not change the answer', () => {
    // y is 1 only in the middle band: two splits on x0 make one "a < x0 <= b" rule.
    const X = mat([[1], [2], [3], [4], [5], [6]]);
    const y = Int32Array.from([0, 0, 1, 1, 0, 0]);
    const t = fitDecisionTree(X, y, { max_depth: 2 });
    const texts = treeRules(t).map((r) => ruleText(r, ['x'], String(r.label)));
    expect(texts).toContain('2.5 < x ≤ 4.5 → 1');
    // A depth-3 tree on data where both children of a split predict the same class shows it as one rule.
    const X2 = mat([[1], [2], [3], [4], [5], [6], [7]]);
    const y2 = Int32Array.from([0, 0, 0, 1, 0, 0, 0]);
    const rules = treeRules(fitDecisionTree(X2, y2, { max_depth: 1 }));
    expect(rules.length).toBe(1); // the only depth-1 split leaves both sides predicting 0
    expect(ruleText(rules[0], ['x'], 'zero')).toBe('every customer → zero');
  });

  it('matches a tree trained on a subset (rows) with one trained on the subset itself', () => {
    const rng = new RandomState(3);
    const n = 300;
    const rows = Array.from({ length: n }, () => [rng.random(), rng.random(), rng.random()]);
    const X = mat(rows);
    const y = Int32Array.from(rows, (r) => (r[0] + 0.3 * r[1] > 0.6 ? 1 : r[2] > 0.5 ? 2 : 0));
    const pick = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
    const sub = mat(Array.from(pick, (i) => rows[i]));
    const a = fitDecisionTree(X, y, { max_depth: 3 }, pick, argsortFeatures(X));
    const b = fitDecisionTree(sub, Int32Array.from(pick, (i) => y[i]), { max_depth: 3 });
    expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
    expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
  });
});

describe('cross-validation and importances', () => {
  it('stratified folds hold every class about equally and are seeded', () => {
    const y = Int32Array.from({ length: 103 }, (_, i) => (i < 50 ? 0 : i < 90 ? 1 : 2));
    const f = stratifiedFolds(y, 5, 0);
    for (let k = 0; k < 5; k++) {
      const inFold = Array.from(y).filter((_, i) => f[i] === k);
      expect(inFold.filter((v) => v === 0).length).toBe(10);
      expect(inFold.filter((v) => v === 1).length).toBe(8);
    }
    expect(Array.from(stratifiedFolds(y, 5, 0))).toEqual(Array.from(f));
    expect(Array.from(stratifiedFolds(y, 5, 1))).not.toEqual(Array.from(f));
  });

  it('scores 1 on separable data, and importances sum to 1', () => {
    const rng = new RandomState(0);
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const c = i % 4;
      rows.push([c * 10 + rng.random(), rng.random() * 100, (c % 2) * 5 + rng.random()]);
      y.push(c);
    }
    const X = mat(rows);
    const labels = Int32Array.from(y);
    const cv = crossValAccuracy(X, labels, { max_depth: 3 }, 5, 0);
    expect(cv.scores.length).toBe(5);
    expect(cv.mean).toBe(1);
    const t = fitDecisionTree(X, labels, { max_depth: 3 });
    const sum = t.feature_importances_.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
    expect(t.feature_importances_[1]).toBe(0); // the noise column is never used
  });

  it('is less than perfect on overlapping classes (cross-validation is held out)', () => {
    const rng = new RandomState(1);
    const rows = Array.from({ length: 500 }, () => [rng.random()]);
    const y = Int32Array.from(rows, () => (rng.random() < 0.5 ? 1 : 0));
    const cv = crossValAccuracy(mat(rows), y, { max_depth: 3 }, 5, 0);
    expect(cv.mean).toBeLessThan(0.7);
  });

  it('trains in well under a second at 8950 x 17, cross-validation included', () => {
    const rng = new RandomState(7);
    const n = 8950;
    const d = 17;
    const data = new Float64Array(n * d);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) data[i * d + j] = Math.exp(rng.normal() * 2);
      y[i] = (data[i * d] > 1 ? 1 : 0) + (data[i * d + 5] > 3 ? 2 : 0);
    }
    const X = { data, n_samples: n, n_features: d };
    const t0 = performance.now();
    const order = argsortFeatures(X);
    const t = fitDecisionTree(X, y, { max_depth: 3 }, undefined, order);
    const cv = crossValAccuracy(X, y, { max_depth: 3 }, 5, 0, order);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    expect(cv.mean).toBeGreaterThan(0.99);
    expect(t.feature_importances_[0] + t.feature_importances_[5]).toBeCloseTo(1, 6);
  });
});
