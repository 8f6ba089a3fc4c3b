/**
 * The silhouette plot's data: every sample's silhouette value (scikit-learn's silhouette_samples, noise left out),
 * grouped by cluster and sorted within each cluster, largest first; exact up to `exact_max` rows, otherwise on a
 * seeded random sample. To keep the figure light, a cluster's sorted values are thinned to at most `max_points`
 * evenly spaced order statistics (the shape and the extremes are kept).
 */
import type { FitOptions, Matrix } from '../types.ts';
import { silhouetteSamples, withoutNoise } from '../metrics/silhouette.ts';
import { RandomState } from '../util/random.ts';

export interface SilhouetteGroup {
  label: number;
  /** Rows of the cluster that were scored. */
  size: number;
  mean: number;
  /** Share of the cluster's rows with a negative silhouette (probably closer to another cluster). */
  negative_share: number;
  /** Sorted, largest first; thinned to at most max_points values. */
  values: Float64Array;
}

export interface SilhouetteGroups {
  groups: SilhouetteGroup[];
  /** Mean over every scored sample (silhouette_score). */
  mean: number;
  /** null = every (non-noise) row; else the sample size. */
  sample_size: number | null;
  n_noise_excluded: number;
}

export function silhouetteGroups(
  X: Matrix,
  labels: Int32Array,
  opts: FitOptions & { exact_max?: number; sample_size?: number; random_state?: number; max_points?: number } = {},
): SilhouetteGroups {
  const { exact_max = 12000, sample_size = 5000, random_state = 0, max_points = 400 } = opts;
  const clean = withoutNoise(X, labels);
  const n_noise_excluded = labels.length - clean.labels.length;
  let Xs = clean.X;
  let ls = clean.labels;
  let sampled: number | null = null;
  if (Xs.n_samples > exact_max) {
    const m = Math.min(sample_size, Xs.n_samples);
    const idx = new RandomState(random_state).permutation(Xs.n_samples, m);
    const d = Xs.n_features;
    const data = new Float64Array(m * d);
    const sub = new Int32Array(m);
    for (let r = 0; r < m; r++) {
      data.set(Xs.data.subarray(idx[r] * d, idx[r] * d + d), r * d);
      sub[r] = ls[idx[r]];
    }
    Xs = { data, n_samples: m, n_features: d };
    ls = sub;
    sampled = m;
  }
  const s = silhouetteSamples(Xs, ls, {}, opts);
  const byLabel = new Map<number, number[]>();
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    total += s[i];
    const list = byLabel.get(ls[i]);
    if (list) list.push(s[i]);
    else byLabel.set(ls[i], [s[i]]);
  }
  const groups = [...byLabel.keys()]
    .sort((a, b) => a - b)
    .map((label) => {
      const v = Float64Array.from(byLabel.get(label)!).sort().reverse();
      let sum = 0;
      let neg = 0;
      for (const x of v) {
        sum += x;
        if (x < 0) neg++;
      }
      return { label, size: v.length, mean: sum / v.length, negative_share: neg / v.length, values: thin(v, max_points) };
    });
  return { groups, mean: total / s.length, sample_size: sampled, n_noise_excluded };
}

/** At most m evenly spaced values of a sorted array, first and last included. */
export function thin(v: Float64Array, m: number): Float64Array {
  if (v.length <= m) return v;
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) out[k] = v[Math.round((k * (v.length - 1)) / (m - 1))];
  return out;
}
