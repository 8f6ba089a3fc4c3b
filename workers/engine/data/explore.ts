/**
 * Exploring the data before clustering: the correlation matrix of the chosen features (Pearson, or Spearman on
 * average ranks as scipy / pandas rank ties), an ordering that puts correlated features together (average-linkage
 * clustering of the features on 1 - |r|, SciPy's leaves_list order), and box-plot statistics per feature (and per
 * cluster) in original units: quartiles, Tukey whiskers and a sample of the outliers, so that the main thread draws
 * precomputed boxes instead of every row.
 *
 * Missing cells (NaN) are skipped: correlations use the rows where both columns have a value (pandas' pairwise
 * complete observations; Spearman ranks those rows, as pandas does), box statistics a column's non-missing values.
 */
import { DataError, ParameterError } from '../errors.ts';
import type { Matrix } from '../types.ts';
import { nnChainCondensed, relabelMerges } from '../cluster/hierarchy_build.ts';

export type CorrelationMethod = 'pearson' | 'spearman';
export const CORRELATION_METHODS: readonly CorrelationMethod[] = ['pearson', 'spearman'];

/**
 * Ranks 1..n of the values, ties given the mean of the ranks they span (scipy.stats.rankdata(method='average')).
 * Values must not be NaN.
 */
export function rankdata(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  // A native numeric sort of a copy, then each value's run of equals by binary search: the mean of the ranks
  // lb + 1 .. ub of that run is (lb + 1 + ub) / 2. Much faster than sorting indices with a comparator.
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (sorted[m] < v) lo = m + 1;
      else hi = m;
    }
    let ub = lo;
    hi = n;
    while (ub < hi) {
      const m = (ub + hi) >>> 1;
      if (sorted[m] <= v) ub = m + 1;
      else hi = m;
    }
    ranks[i] = (lo + 1 + ub) / 2;
  }
  return ranks;
}

/** Pearson's r of two equally long arrays (two-pass, centred); NaN when either has no spread or n < 2. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new DataError('y', `x has ${n} values but y has ${y.length}`);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx;
    const b = y[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (!(sxx > 0) || !(syy > 0)) return NaN;
  return clampR(sxy / Math.sqrt(sxx * syy));
}

/** Spearman's rho: Pearson's r of the average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(rankdata(x), rankdata(y));
}

function clampR(r: number): number {
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

export interface CorrelationMatrix {
  method: CorrelationMethod;
  n_features: number;
  /** d x d row-major, symmetric; NaN where a column has no spread (or fewer than 2 rows have both values). */
  r: Float64Array;
  /** d x d: rows with both values (the diagonal: a column's non-missing values). */
  n_pairs: Int32Array;
}

/** The column j's values, and whether any is missing. */
function column(M: Matrix, j: number): { v: Float64Array; missing: boolean } {
  const { data, n_samples: n, n_features: d } = M;
  const v = new Float64Array(n);
  let missing = false;
  for (let i = 0; i < n; i++) {
    const x = data[i * d + j];
    v[i] = x;
    if (x !== x) missing = true;
  }
  return { v, missing };
}

/**
 * The correlation matrix of M's columns (pandas' DataFrame.corr(method)): pairwise complete observations. Columns
 * without missing cells are centred (or ranked) once; a pair where either column misses values is computed on the
 * rows where both are present (ranked anew for Spearman).
 */
export function correlationMatrix(M: Matrix, method: CorrelationMethod = 'pearson'): CorrelationMatrix {
  if (!CORRELATION_METHODS.includes(method)) {
    throw new ParameterError('method', `method must be one of ${CORRELATION_METHODS.map((m) => `"${m}"`).join(', ')} (got ${JSON.stringify(method)})`);
  }
  const { n_samples: n, n_features: d } = M;
  if (d === 0) throw new DataError('features', 'no features to correlate');
  const cols = Array.from({ length: d }, (_, j) => column(M, j));
  // Complete columns, prepared once: centred (ranks for Spearman) and their norm.
  const centred: (Float64Array | null)[] = cols.map(({ v, missing }) => {
    if (missing) return null;
    const u = method === 'spearman' ? rankdata(v) : Float64Array.from(v);
    let m = 0;
    for (let i = 0; i < n; i++) m += u[i];
    m /= n || 1;
    for (let i = 0; i < n; i++) u[i] -= m;
    return u;
  });
  const norm = centred.map((u) => {
    if (!u) return 0;
    let s = 0;
    for (let i = 0; i < n; i++) s += u[i] * u[i];
    return Math.sqrt(s);
  });
  const r = new Float64Array(d * d);
  const n_pairs = new Int32Array(d * d);
  const corr = method === 'spearman' ? spearman : pearson;
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let value: number;
      let count: number;
      const ua = centred[a];
      const ub = centred[b];
      if (ua && ub) {
        count = n;
        if (n < 2 || !(norm[a] > 0) || !(norm[b] > 0)) value = NaN;
        else if (a === b) value = 1;
        else {
          let s = 0;
          for (let i = 0; i < n; i++) s += ua[i] * ub[i];
          value = clampR(s / (norm[a] * norm[b]));
        }
      } else {
        const va = cols[a].v;
        const vb = cols[b].v;
        let k = 0;
        for (let i = 0; i < n; i++) {
          if (va[i] === va[i] && vb[i] === vb[i]) {
            bx[k] = va[i];
            by[k] = vb[i];
            k++;
          }
        }
        count = k;
        value = corr(bx.subarray(0, k), by.subarray(0, k));
        if (a === b && value === value) value = 1;
      }
      r[a * d + b] = r[b * d + a] = value;
      n_pairs[a * d + b] = n_pairs[b * d + a] = count;
    }
  }
  return { method, n_features: d, r, n_pairs };
}

/**
 * An order of the features that puts correlated ones side by side: average-linkage agglomerative clustering on the
 * distance 1 - |r| (an undefined r counts as uncorrelated, distance 1), leaves read left to right as SciPy's
 * `leaves_list(linkage(squareform(1 - abs(r)), 'average'))`.
 */
export function clusteredOrder(r: Float64Array, d: number): Int32Array {
  if (r.length !== d * d) throw new DataError('r', `a ${d} x ${d} matrix needs ${d * d} values (got ${r.length})`);
  const order = new Int32Array(d);
  for (let i = 0; i < d; i++) order[i] = i;
  if (d < 3) return order;
  // Lower-triangle condensed distances: row i holds d(i, 0..i-1).
  const D = new Float64Array((d * (d - 1)) / 2);
  for (let i = 1, o = 0; i < d; i++) {
    for (let j = 0; j < i; j++, o++) {
      const v = r[i * d + j];
      D[o] = v === v ? Math.max(0, 1 - Math.abs(v)) : 1;
    }
  }
  const raw = nnChainCondensed(D, d, 'average', {}, () => {}, 0);
  const { children } = relabelMerges(raw, d);
  // Depth first from the root, left child (the smaller id) first.
  const stack = [2 * d - 2];
  let k = 0;
  while (stack.length) {
    const v = stack.pop()!;
    if (v < d) order[k++] = v;
    else {
      const j = v - d;
      stack.push(children[2 * j + 1], children[2 * j]);
    }
  }
  return order;
}

/** The q-quantile (0..1) of ascending values, linear interpolation (numpy.percentile's default; Plotly's 'linear'). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Adjusted Fisher-Pearson skewness (pandas' Series.skew, scipy.stats.skew(bias=False)); null below 3 values or with no spread. */
export function skewness(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 3) return null;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const t = values[i] - mean;
    m2 += t * t;
    m3 += t * t * t;
  }
  m2 /= n;
  m3 /= n;
  if (!(m2 > 1e-14 * Math.max(1, mean * mean))) return 0;
  return ((m3 / Math.pow(m2, 1.5)) * Math.sqrt(n * (n - 1))) / (n - 2);
}

export interface BoxStats {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
  /** Tukey's whiskers: the most extreme values within 1.5 IQR of the box. */
  lowerfence: number;
  upperfence: number;
  /** Values beyond the whiskers, and an evenly spaced sample of them (ascending; the most extreme ones always in). */
  n_outliers: number;
  outliers: Float64Array;
}

/** Box statistics of ascending, non-missing values (n >= 1). */
export function boxStatsSorted(sorted: Float64Array, max_outliers = 100): BoxStats {
  const n = sorted.length;
  if (n === 0) throw new DataError('values', 'no values to summarise');
  const q1 = quantileSorted(sorted, 0.25);
  const median = quantileSorted(sorted, 0.5);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const loLimit = q1 - 1.5 * iqr;
  const hiLimit = q3 + 1.5 * iqr;
  let lo = 0;
  while (lo < n && sorted[lo] < loLimit) lo++;
  let hi = n - 1;
  while (hi >= 0 && sorted[hi] > hiLimit) hi--;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const nLow = lo;
  const nHigh = n - 1 - hi;
  const n_outliers = nLow + nHigh;
  const all = (i: number) => (i < nLow ? sorted[i] : sorted[hi + 1 + (i - nLow)]);
  let outliers: Float64Array;
  if (n_outliers <= max_outliers) outliers = Float64Array.from({ length: n_outliers }, (_, i) => all(i));
  else {
    // An even sample by rank, with the first and last (the most extreme) included.
    const m = Math.max(2, max_outliers);
    outliers = Float64Array.from({ length: m }, (_, t) => all(Math.round((t * (n_outliers - 1)) / (m - 1))));
  }
  return {
    n,
    min: sorted[0],
    q1,
    median,
    q3,
    max: sorted[n - 1],
    mean: sum / n,
    lowerfence: sorted[Math.min(lo, n - 1)],
    upperfence: sorted[Math.max(hi, 0)],
    n_outliers,
    outliers,
  };
}

/** Box statistics of values that may hold NaN (missing, skipped); null when none is present. */
export function boxStats(values: ArrayLike<number>, max_outliers = 100): BoxStats | null {
  const v = Float64Array.from(values).filter((x) => x === x);
  return v.length ? boxStatsSorted(v.sort(), max_outliers) : null;
}

export interface GroupBox extends BoxStats {
  /** The cluster label (-1 = noise), or null for every row. */
  label: number | null;
}

export interface FeatureDistribution {
  feature: string;
  /** Rows with a value, and without. */
  n: number;
  n_missing: number;
  skewness: number | null;
  /** Skewness after log1p (null when a value is <= -1, where log1p is undefined). */
  skewness_log1p: number | null;
  /** One box for every row, or one per cluster (ascending labels, noise first) when labels are given. */
  boxes: GroupBox[];
  /**
   * The same boxes computed on log1p(x) (quartiles, Tukey whiskers and outliers of the log1p values) and mapped back to
   * original units with expm1, for drawing on a log(1 + x) axis; `mean` is expm1 of the mean of log1p(x). Null when a
   * value is <= -1.
   */
  boxes_log1p: GroupBox[] | null;
}

/** Box statistics of log1p(x) for ascending x (> -1), in original units (expm1 of each statistic). */
export function log1pBoxStatsSorted(sorted: Float64Array, max_outliers = 100): BoxStats {
  const b = boxStatsSorted(sorted.map(Math.log1p), max_outliers);
  return {
    ...b,
    min: Math.expm1(b.min),
    q1: Math.expm1(b.q1),
    median: Math.expm1(b.median),
    q3: Math.expm1(b.q3),
    max: Math.expm1(b.max),
    mean: Math.expm1(b.mean),
    lowerfence: Math.expm1(b.lowerfence),
    upperfence: Math.expm1(b.upperfence),
    outliers: b.outliers.map(Math.expm1),
  };
}

/**
 * Box statistics of every column of `raw` (original units, NaN = missing): over every row, or per cluster of
 * `labels` (a group whose rows all miss the column is left out).
 */
export function featureDistributions(raw: Matrix, features: string[], labels: Int32Array | null = null, max_outliers = 100): FeatureDistribution[] {
  const { data, n_samples: n, n_features: d } = raw;
  if (features.length !== d) throw new DataError('features', `there are ${features.length} feature names for ${d} columns`);
  if (labels && labels.length !== n) throw new DataError('labels', `there are ${labels.length} labels for ${n} rows`);
  // Groups (counting sort by label; slot 0 = noise).
  let groups: { label: number | null; rows: Int32Array }[];
  if (labels) {
    let maxLabel = -1;
    for (let i = 0; i < n; i++) if (labels[i] > maxLabel) maxLabel = labels[i];
    const counts = new Int32Array(maxLabel + 2);
    for (let i = 0; i < n; i++) counts[labels[i] < 0 ? 0 : labels[i] + 1]++;
    const rows = Array.from(counts, (c) => new Int32Array(c));
    const fill = new Int32Array(counts.length);
    for (let i = 0; i < n; i++) {
      const g = labels[i] < 0 ? 0 : labels[i] + 1;
      rows[g][fill[g]++] = i;
    }
    groups = rows.map((r, g) => ({ label: g - 1, rows: r })).filter((g) => g.rows.length > 0);
  } else {
    groups = [{ label: null, rows: Int32Array.from({ length: n }, (_, i) => i) }];
  }
  const buf = new Float64Array(n);
  const out: FeatureDistribution[] = [];
  for (let j = 0; j < d; j++) {
    let k = 0;
    let logOk = true;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j];
      if (v === v) {
        buf[k++] = v;
        if (!(v > -1)) logOk = false;
      }
    }
    const present = buf.subarray(0, k);
    const skew = skewness(present);
    let skewLog: number | null = null;
    if (logOk && k >= 3) skewLog = skewness(present.map(Math.log1p));
    const boxes: GroupBox[] = [];
    const boxesLog: GroupBox[] | null = logOk ? [] : null;
    for (const g of groups) {
      let m = 0;
      for (let r = 0; r < g.rows.length; r++) {
        const v = data[g.rows[r] * d + j];
        if (v === v) buf[m++] = v;
      }
      if (m === 0) continue;
      const sorted = Float64Array.from(buf.subarray(0, m)).sort();
      boxes.push({ label: g.label, ...boxStatsSorted(sorted, max_outliers) });
      boxesLog?.push({ label: g.label, ...log1pBoxStatsSorted(sorted, max_outliers) });
    }
    out.push({ feature: features[j], n: k, n_missing: n - k, skewness: skew, skewness_log1p: skewLog, boxes, boxes_log1p: boxesLog });
  }
  return out;
}
