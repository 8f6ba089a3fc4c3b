/**
 * Silhouette coefficient, as scikit-learn's `silhouette_samples` / `silhouette_score`, computed exactly without
 * ever holding an n x n matrix: row blocks are compared with the rows after them (each pair once) and the
 * distances are accumulated into per-sample, per-cluster sums (n x n_labels).
 * Euclidean distances use scikit-learn's formulation sqrt(|x|^2 + |y|^2 - 2 x.y) (clipped at 0).
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { DataError, ParameterError, checkInt, checkOneOf, throwIfAborted } from '../errors.ts';
import { RandomState } from '../util/random.ts';
import { encodeLabels } from './contingency.ts';
import { runSteps, type Steps } from '../util/steps.ts';

/** scikit-learn's check_number_of_labels. */
export function checkNumberOfLabels(n_labels: number, n_samples: number): void {
  if (!(n_labels > 1 && n_labels < n_samples)) {
    throw new ParameterError('labels', `Number of labels is ${n_labels}. Valid values are 2 to n_samples - 1 (inclusive)`);
  }
}

export function checkLabels(X: Matrix, labels: Int32Array): void {
  if (labels.length !== X.n_samples) throw new DataError('labels', `labels has ${labels.length} entries, X has ${X.n_samples} rows`);
}

/** The rows of X whose label is not -1 (noise), with their labels and their original row indices. */
export function withoutNoise(X: Matrix, labels: Int32Array): { X: Matrix; labels: Int32Array; index: Int32Array } {
  checkLabels(X, labels);
  const d = X.n_features;
  let m = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== -1) m++;
  const data = new Float64Array(m * d);
  const out = new Int32Array(m);
  const index = new Int32Array(m);
  for (let i = 0, r = 0; i < labels.length; i++) {
    if (labels[i] === -1) continue;
    data.set(X.data.subarray(i * d, i * d + d), r * d);
    out[r] = labels[i];
    index[r] = i;
    r++;
  }
  return { X: { data, n_samples: m, n_features: d }, labels: out, index };
}

function clip2(v: number): number {
  return v < 0 ? 0 : v > 2 ? 2 : v;
}

const ROW_BLOCK = 64;
const COL_BLOCK = 512;

/**
 * sums[i * L + c] = sum of distances from sample i to the samples of cluster c. A step per block of rows.
 */
function* clusterDistanceSumsSteps(X: Matrix, codes: Int32Array, L: number, metric: Metric, opts: FitOptions): Steps<Float64Array> {
  const { n_samples: n, n_features: d } = X;
  let data = X.data;
  const sums = new Float64Array(n * L);
  let sq: Float64Array | null = null;
  if (metric === 'euclidean') {
    sq = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = i * d, e = f + d; f < e; f++) s += data[f] * data[f];
      sq[i] = s;
    }
  } else if (metric === 'cosine') {
    // rows scaled to unit norm (a zero row stays zero, as scikit-learn's normalize)
    const u = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = i * d, e = f + d; f < e; f++) s += data[f] * data[f];
      const inv = s === 0 ? 1 : 1 / Math.sqrt(s);
      for (let f = i * d, e = f + d; f < e; f++) u[f] = data[f] * inv;
    }
    data = u;
  }
  const mode = metric === 'euclidean' ? 0 : metric === 'manhattan' ? 1 : 2;
  let lastReport = -Infinity;
  const totalPairs = (n * (n - 1)) / 2 || 1;
  let donePairs = 0;
  for (let i0 = 0; i0 < n; i0 += ROW_BLOCK) {
    throwIfAborted(opts.signal);
    if (opts.on_progress) {
      const now = performance.now();
      if (now - lastReport >= 50) {
        lastReport = now;
        opts.on_progress({ stage: 'silhouette', fraction: donePairs / totalPairs });
      }
    }
    donePairs += accumulateRowBlock(data, sq, codes, L, d, n, mode, i0, Math.min(n, i0 + ROW_BLOCK), sums);
    yield;
  }
  return sums;
}

/**
 * Adds the distances between rows [i0, i1) and every row after each of them to `sums` (both ways); answers how many
 * pairs. (The hot loops live outside the generator, in a plain function.)
 */
function accumulateRowBlock(
  data: Float64Array,
  sq: Float64Array | null,
  codes: Int32Array,
  L: number,
  d: number,
  n: number,
  mode: number,
  i0: number,
  i1: number,
  sums: Float64Array,
): number {
  let donePairs = 0;
  for (let j0 = i0; j0 < n; j0 += COL_BLOCK) {
    const j1 = Math.min(n, j0 + COL_BLOCK);
    for (let i = i0; i < i1; i++) {
      const xo = i * d;
      const ci = codes[i];
      const io = i * L;
      let acc = 0;
      const jStart = j0 > i ? j0 : i + 1;
      if (mode === 0 || mode === 2) {
        // four samples j at a time: independent accumulators, x_i loaded once per feature
        const sqv = sq;
        const sqi = sqv ? sqv[i] : 0;
        let j = jStart;
        for (; j + 3 < j1; j += 4) {
          const y0 = j * d;
          const y1 = y0 + d;
          const y2 = y1 + d;
          const y3 = y2 + d;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let f = 0; f < d; f++) {
            const x = data[xo + f];
            s0 += data[y0 + f] * x;
            s1 += data[y1 + f] * x;
            s2 += data[y2 + f] * x;
            s3 += data[y3 + f] * x;
          }
          let v0: number, v1: number, v2: number, v3: number;
          if (sqv) {
            v0 = sqi + sqv[j] - 2 * s0;
            v1 = sqi + sqv[j + 1] - 2 * s1;
            v2 = sqi + sqv[j + 2] - 2 * s2;
            v3 = sqi + sqv[j + 3] - 2 * s3;
            v0 = v0 > 0 ? Math.sqrt(v0) : 0;
            v1 = v1 > 0 ? Math.sqrt(v1) : 0;
            v2 = v2 > 0 ? Math.sqrt(v2) : 0;
            v3 = v3 > 0 ? Math.sqrt(v3) : 0;
          } else {
            v0 = clip2(1 - s0);
            v1 = clip2(1 - s1);
            v2 = clip2(1 - s2);
            v3 = clip2(1 - s3);
          }
          sums[io + codes[j]] += v0;
          sums[io + codes[j + 1]] += v1;
          sums[io + codes[j + 2]] += v2;
          sums[io + codes[j + 3]] += v3;
          sums[j * L + ci] += v0;
          sums[(j + 1) * L + ci] += v1;
          sums[(j + 2) * L + ci] += v2;
          sums[(j + 3) * L + ci] += v3;
        }
        for (; j < j1; j++) {
          const yo = j * d;
          let dot = 0;
          for (let f = 0; f < d; f++) dot += data[xo + f] * data[yo + f];
          let v: number;
          if (sqv) {
            v = sqi + sqv[j] - 2 * dot;
            v = v > 0 ? Math.sqrt(v) : 0;
          } else v = clip2(1 - dot);
          sums[io + codes[j]] += v;
          sums[j * L + ci] += v;
        }
        acc += j1 - jStart > 0 ? j1 - jStart : 0;
      } else {
        let j = jStart;
        for (; j + 3 < j1; j += 4) {
          const y0 = j * d;
          const y1 = y0 + d;
          const y2 = y1 + d;
          const y3 = y2 + d;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let f = 0; f < d; f++) {
            const x = data[xo + f];
            s0 += Math.abs(data[y0 + f] - x);
            s1 += Math.abs(data[y1 + f] - x);
            s2 += Math.abs(data[y2 + f] - x);
            s3 += Math.abs(data[y3 + f] - x);
          }
          sums[io + codes[j]] += s0;
          sums[io + codes[j + 1]] += s1;
          sums[io + codes[j + 2]] += s2;
          sums[io + codes[j + 3]] += s3;
          sums[j * L + ci] += s0;
          sums[(j + 1) * L + ci] += s1;
          sums[(j + 2) * L + ci] += s2;
          sums[(j + 3) * L + ci] += s3;
        }
        for (; j < j1; j++) {
          const yo = j * d;
          let s = 0;
          for (let f = 0; f < d; f++) s += Math.abs(data[xo + f] - data[yo + f]);
          sums[io + codes[j]] += s;
          sums[j * L + ci] += s;
        }
        acc += j1 - jStart > 0 ? j1 - jStart : 0;
      }
      donePairs += acc;
    }
  }
  return donePairs;
}

/** Silhouette coefficient of every sample. A sample alone in its cluster gets 0, as in scikit-learn. */
export function silhouetteSamples(X: Matrix, labels: Int32Array, params: { metric?: Metric } = {}, opts: FitOptions = {}): Float64Array {
  return runSteps(silhouetteSamplesSteps(X, labels, params, opts));
}

/** silhouetteSamples, a step per block of rows (util/steps.ts). */
export function* silhouetteSamplesSteps(X: Matrix, labels: Int32Array, params: { metric?: Metric } = {}, opts: FitOptions = {}): Steps<Float64Array> {
  checkLabels(X, labels);
  const metric = checkOneOf('metric', params.metric ?? 'euclidean', ['euclidean', 'manhattan', 'cosine'] as const);
  const n = X.n_samples;
  const { classes, codes } = encodeLabels(labels);
  const L = classes.length;
  checkNumberOfLabels(L, n);
  const freq = new Float64Array(L);
  for (let i = 0; i < n; i++) freq[codes[i]]++;
  const sums = yield* clusterDistanceSumsSteps(X, codes, L, metric, opts);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    const denom = freq[c] - 1;
    if (denom === 0) {
      out[i] = 0;
      continue;
    }
    const a = sums[i * L + c] / denom;
    let b = Infinity;
    for (let q = 0; q < L; q++) {
      if (q === c) continue;
      const v = sums[i * L + q] / freq[q];
      if (v < b) b = v;
    }
    const m = Math.max(a, b);
    const s = (b - a) / m;
    out[i] = Number.isFinite(s) ? s : 0;
  }
  opts.on_progress?.({ stage: 'silhouette', fraction: 1 });
  return out;
}

/** Mean silhouette coefficient, optionally on a random subsample of `sample_size` rows (seeded; null -> 0). */
export function silhouetteScore(
  X: Matrix,
  labels: Int32Array,
  params: { metric?: Metric; sample_size?: number | null; random_state?: number | null } = {},
  opts: FitOptions = {},
): number {
  return runSteps(silhouetteScoreSteps(X, labels, params, opts));
}

/** silhouetteScore, a step per block of rows (util/steps.ts). */
export function* silhouetteScoreSteps(
  X: Matrix,
  labels: Int32Array,
  params: { metric?: Metric; sample_size?: number | null; random_state?: number | null } = {},
  opts: FitOptions = {},
): Steps<number> {
  checkLabels(X, labels);
  let Xs = X;
  let ls = labels;
  if (params.sample_size != null) {
    const m = checkInt('sample_size', params.sample_size, 1, X.n_samples);
    const seed = checkInt('random_state', params.random_state ?? 0, 0);
    const idx = new RandomState(seed).permutation(X.n_samples, m);
    const d = X.n_features;
    const data = new Float64Array(m * d);
    ls = new Int32Array(m);
    for (let r = 0; r < m; r++) {
      data.set(X.data.subarray(idx[r] * d, idx[r] * d + d), r * d);
      ls[r] = labels[idx[r]];
    }
    Xs = { data, n_samples: m, n_features: d };
  }
  const s = yield* silhouetteSamplesSteps(Xs, ls, { metric: params.metric }, opts);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return total / s.length;
}
