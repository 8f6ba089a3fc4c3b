/**
 * The exploration statistics against reference values computed with numpy 1.24 / scipy 1.10 (Debian's python3):
 * scripts that made them are quoted beside each value. Correlations use pairwise complete rows (pandas' corr).
 */
import { describe, expect, it } from 'vitest';
import {
  boxStats,
  boxStatsSorted,
  clusteredOrder,
  correlationMatrix,
  featureDistributions,
  log1pBoxStatsSorted,
  quantileSorted,
  rankdata,
  skewness,
} from '../../workers/engine/data/explore.ts';
import { ParameterError } from '../../workers/engine/errors.ts';

// 10 x 4 with ties (columns 0 and 2) and two missing cells in column 3.
const ROWS = [
  [1, 10, 3.5, 0],
  [2, 20, 3.5, 5],
  [2, 15, 1.0, NaN],
  [4, 40, 2.0, 7],
  [5, 35, 8.0, 1],
  [6, 60, 2.0, 3],
  [6, 50, 9.5, 9],
  [8, 90, 0.5, 2],
  [9, 70, 4.0, NaN],
  [10, 120, 7.0, 4],
];
const M = { data: Float64Array.from(ROWS.flat()), n_samples: 10, n_features: 4 };
const col = (j: number) => ROWS.map((r) => r[j]);

describe('rankdata', () => {
  it('gives ties the mean of their ranks (scipy.stats.rankdata)', () => {
    // stats.rankdata(X[:, 0]) and stats.rankdata(X[:, 2])
    expect(Array.from(rankdata(col(0)))).toEqual([1.0, 2.5, 2.5, 4.0, 5.0, 6.5, 6.5, 8.0, 9.0, 10.0]);
    expect(Array.from(rankdata(col(2)))).toEqual([5.5, 5.5, 2.0, 3.5, 9.0, 3.5, 10.0, 1.0, 7.0, 8.0]);
    expect(Array.from(rankdata([3, 3, 3]))).toEqual([2, 2, 2]);
  });
});

describe('correlationMatrix', () => {
  // R[a, b] = stats.pearsonr(X[m, a], X[m, b])[0] with m = both present (1 on the diagonal)
  const PEARSON = [
    1.0, 0.9456813158808024, 0.2596555163733628, 0.13061038367919794, 0.9456813158808024, 1.0, 0.15390328387760344, 0.07464333981900657,
    0.2596555163733628, 0.15390328387760344, 1.0, 0.2958688991047903, 0.13061038367919794, 0.07464333981900657, 0.2958688991047903, 1.0,
  ];
  // the same with stats.spearmanr
  const SPEARMAN = [
    1.0, 0.9695302189773756, 0.23926380368098163, 0.16766767666785626, 0.9695302189773755, 1.0, 0.07926976633148354, 0.2380952380952381,
    0.23926380368098163, 0.07926976633148354, 1.0, 0.19278507708475198, 0.16766767666785626, 0.2380952380952381, 0.19278507708475195, 1.0,
  ];

  it('Pearson on pairwise complete rows matches scipy', () => {
    const c = correlationMatrix(M, 'pearson');
    PEARSON.forEach((v, i) => expect(c.r[i]).toBeCloseTo(v, 12));
    expect(Array.from(c.n_pairs)).toEqual([10, 10, 10, 8, 10, 10, 10, 8, 10, 10, 10, 8, 8, 8, 8, 8]);
  });

  it('Spearman (average ranks for ties; the rows of a pair with a missing cell ranked anew) matches scipy', () => {
    const c = correlationMatrix(M, 'spearman');
    SPEARMAN.forEach((v, i) => expect(c.r[i]).toBeCloseTo(v, 12));
  });

  it('is symmetric with 1 on the diagonal; a constant column correlates with nothing (NaN)', () => {
    const data = Float64Array.from([1, 5, 2, 2, 5, 4, 3, 5, 9]);
    const c = correlationMatrix({ data, n_samples: 3, n_features: 3 }, 'pearson');
    expect(c.r[0]).toBe(1);
    expect(c.r[8]).toBe(1);
    expect(Number.isNaN(c.r[1 * 3 + 1])).toBe(true); // constant column 1
    expect(Number.isNaN(c.r[0 * 3 + 1])).toBe(true);
    expect(c.r[0 * 3 + 2]).toBe(c.r[2 * 3 + 0]);
  });

  it('names the parameter of an unknown method', () => {
    expect(() => correlationMatrix(M, 'kendall' as any)).toThrow(ParameterError);
  });
});

describe('clusteredOrder', () => {
  it('is SciPy\'s leaves_list of average linkage on 1 - |r|', () => {
    // 200 rows, 7 columns in three correlated groups (rng = default_rng(3)); R = np.corrcoef(Y, rowvar=False);
    // leaves_list(linkage(squareform(1 - abs(R)), 'average')) = [1, 4, 0, 2, 6, 3, 5]
    const R7 = [
      1.0, -0.06517181246938318, -0.880526118285151, 0.07506654332128769, -0.08440813479972765, 0.11439872788356677, 0.07619043552508374,
      -0.06517181246938317, 1.0, 0.021691117369881236, -0.02538091162678324, 0.9583241690754758, 0.04424193684614091, -0.09906703492215872,
      -0.880526118285151, 0.021691117369881236, 1.0, -0.09336048846438699, 0.05463380416056544, -0.1490467403489158, -0.013112377953254553,
      0.07506654332128768, -0.02538091162678324, -0.09336048846438699, 1.0, -0.01589221982583213, 0.7928521581143289, -0.11686680471220505,
      -0.08440813479972767, 0.9583241690754758, 0.05463380416056543, -0.01589221982583213, 1.0, 0.06402434201687295, -0.09281683009869375,
      0.11439872788356678, 0.04424193684614091, -0.1490467403489158, 0.792852158114329, 0.06402434201687295, 1.0, -0.10475380759354823,
      0.07619043552508374, -0.09906703492215872, -0.013112377953254553, -0.11686680471220505, -0.09281683009869375, -0.10475380759354821, 1.0,
    ];
    expect(Array.from(clusteredOrder(Float64Array.from(R7), 7))).toEqual([1, 4, 0, 2, 6, 3, 5]);
  });

  it('is the identity for one or two features and a permutation with undefined correlations', () => {
    expect(Array.from(clusteredOrder(Float64Array.from([1, 0.2, 0.2, 1]), 2))).toEqual([0, 1]);
    const r = Float64Array.from([1, NaN, 0.9, NaN, NaN, NaN, 0.9, NaN, 1]);
    const o = Array.from(clusteredOrder(r, 3));
    expect([...o].sort()).toEqual([0, 1, 2]);
    expect(Math.abs(o.indexOf(0) - o.indexOf(2))).toBe(1); // the correlated pair side by side
  });
});

describe('box statistics', () => {
  const v = [0, 0, 0, 1, 2, 2, 3, 5, 8, 13, 21, 200, 450, 3, 4, 4, 1, 0, 2, 7];

  it('quartiles interpolate linearly (np.percentile), whiskers stop at the last value within 1.5 IQR', () => {
    // np.percentile(v, [25, 50, 75]) = [1.0, 3.0, 7.25]; inside 1.5 IQR: 0 .. 13; outliers 21, 200, 450
    const b = boxStats([...v, NaN])!;
    expect([b.q1, b.median, b.q3]).toEqual([1.0, 3.0, 7.25]);
    expect([b.lowerfence, b.upperfence]).toEqual([0, 13]);
    expect(b.n_outliers).toBe(3);
    expect(Array.from(b.outliers)).toEqual([21, 200, 450]);
    expect(b.n).toBe(20);
    expect(b.mean).toBeCloseTo(36.3, 12);
    expect([b.min, b.max]).toEqual([0, 450]);
  });

  it('on log1p(x): quartiles and whiskers of the log values, mapped back with expm1 (21 is no longer an outlier)', () => {
    // q = np.percentile(np.log1p(v), [25, 50, 75]); np.expm1(q) = [1.0, 3.0, 7.239068575628471];
    // whiskers expm1 of the extreme log values within 1.5 IQR: 0 .. 21; outliers 200, 450
    const b = log1pBoxStatsSorted(Float64Array.from(v).sort());
    expect(b.q1).toBeCloseTo(1, 12);
    expect(b.median).toBeCloseTo(3, 12);
    expect(b.q3).toBeCloseTo(7.239068575628471, 12);
    expect(b.lowerfence).toBeCloseTo(0, 12);
    expect(b.upperfence).toBeCloseTo(21, 12);
    expect(Array.from(b.outliers).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([200, 450]);
  });

  it('samples many outliers evenly and keeps the most extreme ones', () => {
    const sorted = Float64Array.from({ length: 1000 }, (_, i) => (i < 900 ? i % 10 : 100 + i)).sort();
    const b = boxStatsSorted(sorted, 10);
    expect(b.n_outliers).toBe(100);
    expect(b.outliers.length).toBe(10);
    expect(b.outliers[0]).toBe(1000);
    expect(b.outliers[9]).toBe(1099);
  });

  it('quantileSorted and skewness (pandas / scipy bias=False)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([5], 0.75)).toBe(5);
    // stats.skew(v, bias=False) = 3.5730790347329227; of np.log1p(v): 1.5469495393725143
    expect(skewness(v)!).toBeCloseTo(3.5730790347329227, 12);
    expect(skewness(v.map(Math.log1p))!).toBeCloseTo(1.5469495393725143, 12);
    expect(skewness([1, 2])).toBeNull();
    expect(skewness([4, 4, 4])).toBe(0);
  });

  it('featureDistributions: one box per feature, or per cluster (noise first), skipping missing cells', () => {
    const all = featureDistributions(M, ['a', 'b', 'c', 'd']);
    expect(all.map((f) => f.boxes.length)).toEqual([1, 1, 1, 1]);
    expect(all[3].n).toBe(8);
    expect(all[3].n_missing).toBe(2);
    expect(all[0].boxes[0].label).toBeNull();
    expect(all[0].boxes[0].median).toBe(5.5); // np.median(X[:, 0])
    const labels = Int32Array.from([0, 0, 1, 1, -1, 1, 0, 0, 1, 1]);
    const by = featureDistributions(M, ['a', 'b', 'c', 'd'], labels);
    expect(by[0].boxes.map((b) => b.label)).toEqual([-1, 0, 1]);
    expect(by[0].boxes.map((b) => b.n)).toEqual([1, 4, 5]);
    expect(by[3].boxes.map((b) => b.n)).toEqual([1, 4, 3]); // rows 2 and 8 (cluster 1) miss column 3
    expect(by[0].boxes[1].median).toBe(4); // cluster 0: 1, 2, 6, 8
    expect(by[0].boxes_log1p!.map((b) => b.n)).toEqual([1, 4, 5]);
    expect(by[0].boxes_log1p![1].median).toBeCloseTo(Math.expm1((Math.log1p(2) + Math.log1p(6)) / 2), 12);
    const neg = featureDistributions({ data: Float64Array.from([-2, 1, 3, 5]), n_samples: 4, n_features: 1 }, ['x']);
    expect(neg[0].skewness_log1p).toBeNull();
    expect(neg[0].boxes_log1p).toBeNull();
  });
});
