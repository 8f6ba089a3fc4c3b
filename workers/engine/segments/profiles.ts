/**
 * Segment profiles: for the current labels, the size and share of each segment and the mean and median of every
 * original feature (raw units, missing cells skipped), the population's statistics, and the z-score profile
 * (segment mean minus population mean, in population standard deviations; population = every row, noise included).
 * Noise (-1) is profiled apart and is never a segment. Empty labels (a Gaussian component that won nothing) are left out.
 */
import { DataError } from '../errors.ts';
import type { Matrix } from '../types.ts';

export interface FeatureStats {
  /** One value per feature. */
  mean: Float64Array;
  median: Float64Array;
}

export interface SegmentProfiles {
  features: string[];
  n_samples: number;
  /** The segments' labels, ascending (noise excluded). */
  labels: number[];
  sizes: number[];
  /** size / n_samples (noise rows count in the denominator). */
  shares: number[];
  /** k x d row-major, original units. */
  mean: Float64Array;
  median: Float64Array;
  /** k x d: (segment mean - population mean) / population std (0 where the population std is 0). */
  z: Float64Array;
  population: FeatureStats & { std: Float64Array };
  noise: (FeatureStats & { size: number; share: number; z: Float64Array }) | null;
}

/** Median of the finite values of v (NaN when none); sorts v in place. */
function medianInPlace(v: Float64Array): number {
  const n = v.length;
  if (n === 0) return NaN;
  v.sort();
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Mean and median of each feature over the rows in `rows` (missing = NaN cells skipped). */
function stats(raw: Matrix, rows: Int32Array, buf: Float64Array): FeatureStats {
  const d = raw.n_features;
  const mean = new Float64Array(d);
  const median = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let k = 0;
    let s = 0;
    for (let r = 0; r < rows.length; r++) {
      const v = raw.data[rows[r] * d + j];
      if (v === v) {
        buf[k++] = v;
        s += v;
      }
    }
    mean[j] = k ? s / k : NaN;
    median[j] = medianInPlace(buf.subarray(0, k));
  }
  return { mean, median };
}

function zOf(mean: Float64Array, pop: Float64Array, std: Float64Array): Float64Array {
  const z = new Float64Array(mean.length);
  for (let j = 0; j < mean.length; j++) z[j] = std[j] > 0 && Number.isFinite(mean[j]) ? (mean[j] - pop[j]) / std[j] : 0;
  return z;
}

export function profileSegments(raw: Matrix, labels: Int32Array, features: string[]): SegmentProfiles {
  const { n_samples: n, n_features: d } = raw;
  if (labels.length !== n) throw new DataError('labels', `there are ${labels.length} labels for ${n} rows`);
  if (features.length !== d) throw new DataError('features', `there are ${features.length} feature names for ${d} columns`);
  if (n === 0) throw new DataError('data', 'no rows to profile');

  // Group rows by label (counting sort).
  let maxLabel = -1;
  for (let i = 0; i < n; i++) if (labels[i] > maxLabel) maxLabel = labels[i];
  const counts = new Int32Array(maxLabel + 2); // slot 0 = noise, slot l + 1 = label l
  for (let i = 0; i < n; i++) counts[labels[i] < 0 ? 0 : labels[i] + 1]++;
  const groups = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < n; i++) {
    const g = labels[i] < 0 ? 0 : labels[i] + 1;
    groups[g][fill[g]++] = i;
  }

  const buf = new Float64Array(n);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const pop = stats(raw, all, buf);
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let k = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = raw.data[i * d + j];
      if (v === v) {
        const t = v - pop.mean[j];
        ss += t * t;
        k++;
      }
    }
    std[j] = k ? Math.sqrt(ss / k) : 0;
  }

  const segLabels: number[] = [];
  for (let l = 0; l <= maxLabel; l++) if (counts[l + 1] > 0) segLabels.push(l);
  const k = segLabels.length;
  const mean = new Float64Array(k * d);
  const median = new Float64Array(k * d);
  const z = new Float64Array(k * d);
  segLabels.forEach((l, c) => {
    const s = stats(raw, groups[l + 1], buf);
    mean.set(s.mean, c * d);
    median.set(s.median, c * d);
    z.set(zOf(s.mean, pop.mean, std), c * d);
  });

  let noise: SegmentProfiles['noise'] = null;
  if (counts[0] > 0) {
    const s = stats(raw, groups[0], buf);
    noise = { ...s, size: counts[0], share: counts[0] / n, z: zOf(s.mean, pop.mean, std) };
  }

  return {
    features: [...features],
    n_samples: n,
    labels: segLabels,
    sizes: segLabels.map((l) => counts[l + 1]),
    shares: segLabels.map((l) => counts[l + 1] / n),
    mean,
    median,
    z,
    population: { ...pop, std },
    noise,
  };
}
