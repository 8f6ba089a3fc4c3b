/**
 * The controls each algorithm shows, in scikit-learn's names. Ranges that depend on the data (n_samples) are computed by `range`.
 */
import { ESTIMATOR_PARAMS, type EstimatorName } from '../../workers/engine/config/config.ts';

export type ControlSpec =
  | { param: string; kind: 'int'; min: number; max: (n: number) => number; step: number }
  | { param: string; kind: 'float'; min: number; max: number; step: number }
  | { param: string; kind: 'choice'; options: readonly string[]; numeric?: boolean }
  | { param: string; kind: 'seed' };

/** The one-line explanation of a parameter (the configuration module's, so there is one text per parameter). */
export function helpOf(name: EstimatorName, param: string): string {
  return ESTIMATOR_PARAMS[name][param]?.help ?? '';
}

/** A slider's bounds. */
export interface Bounds {
  min: number;
  max: number;
  step: number;
}

/** The bounds of a control's slider: from the data when known (`range`), else from its spec; null for menus. */
export function sliderBounds(spec: ControlSpec, n_samples: number, range: Bounds | null = null): Bounds | null {
  if (range) return range;
  if (spec.kind === 'int') return { min: spec.min, max: Math.max(spec.min, spec.max(n_samples)), step: spec.step };
  if (spec.kind === 'float') return { min: spec.min, max: spec.max, step: spec.step };
  return null;
}

const decimals = (x: number) => {
  const s = String(x);
  const e = s.match(/e-(\d+)$/);
  if (e) return Number(e[1]) + (s.split('e')[0].split('.')[1] ?? '').length;
  return (s.split('.')[1] ?? '').length;
};

/**
 * The values a range input with these bounds takes: min + i * step up to max, computed in decimal as the browser
 * does (so that the numbers equal what its input events give), at most `limit` of them (null: more than that).
 */
export function sliderValues(b: Bounds, limit = 5000): number[] | null {
  if (!(b.step > 0) || !(b.max >= b.min)) return null;
  const count = Math.floor((b.max - b.min) / b.step + 1e-9) + 1;
  if (count > limit) return null;
  const d = Math.min(20, Math.max(decimals(b.min), decimals(b.step)));
  return Array.from({ length: count }, (_, i) => Number((b.min + i * b.step).toFixed(d)));
}

export const ALGORITHMS: { name: EstimatorName; label: string; help: string }[] = [
  { name: 'KMeans', label: 'K-Means', help: 'Partitions the rows into n_clusters groups around centres (Lloyd iterations, k-means++ starts).' },
  { name: 'AgglomerativeClustering', label: 'Agglomerative', help: 'Merges rows bottom-up into a tree; any n_clusters is a cut of it.' },
  { name: 'DBSCAN', label: 'DBSCAN', help: 'Groups dense regions; points in sparse regions are noise (-1).' },
  { name: 'GaussianMixture', label: 'Gaussian mixture', help: 'Fits n_components Gaussians by EM; each row goes to its most probable component.' },
];

export const CONTROLS: Record<EstimatorName, ControlSpec[]> = {
  KMeans: [
    { param: 'n_clusters', kind: 'int', min: 1, max: (n) => Math.min(30, n), step: 1 },
    { param: 'init', kind: 'choice', options: ['k-means++', 'random'] },
    { param: 'n_init', kind: 'choice', options: ['auto', '1', '3', '10', '20'], numeric: true },
    { param: 'random_state', kind: 'seed' },
  ],
  AgglomerativeClustering: [
    { param: 'n_clusters', kind: 'int', min: 1, max: (n) => Math.min(30, n), step: 1 },
    // bounds from the tree (PaneDiagnostics.thresholdRange) once it is known
    { param: 'distance_threshold', kind: 'float', min: 0.01, max: 100, step: 0.01 },
    { param: 'linkage', kind: 'choice', options: ['ward', 'complete', 'average', 'single'] },
    { param: 'metric', kind: 'choice', options: ['euclidean', 'manhattan', 'cosine'] },
  ],
  DBSCAN: [
    { param: 'eps', kind: 'float', min: 0.01, max: 5, step: 0.01 },
    { param: 'min_samples', kind: 'int', min: 1, max: (n) => Math.min(100, n), step: 1 },
    { param: 'metric', kind: 'choice', options: ['euclidean', 'manhattan', 'cosine'] },
  ],
  GaussianMixture: [
    { param: 'n_components', kind: 'int', min: 1, max: (n) => Math.min(20, n), step: 1 },
    { param: 'covariance_type', kind: 'choice', options: ['full', 'tied', 'diag', 'spherical'] },
    { param: 'random_state', kind: 'seed' },
  ],
};

export const DEFAULT_PARAMS: Record<EstimatorName, Record<string, unknown>> = {
  // n_init 'auto' (one k-means++ run) as scikit-learn >= 1.4: the k slider answers in tens of ms; 10 is a menu away.
  KMeans: { n_clusters: 4, init: 'k-means++', n_init: 'auto', random_state: 0 },
  AgglomerativeClustering: { n_clusters: 4, distance_threshold: null, linkage: 'ward', metric: 'euclidean' },
  DBSCAN: { eps: 1.5, min_samples: 10, metric: 'euclidean' },
  GaussianMixture: { n_components: 4, covariance_type: 'full', random_state: 0 },
};

/**
 * Which controls a pane shows: agglomerative clustering is cut either into n_clusters or at a distance_threshold
 * (scikit-learn takes exactly one; the other is null), so only the one in use has a slider.
 */
export function visibleControls(name: EstimatorName, params: Record<string, unknown>): ControlSpec[] {
  if (name !== 'AgglomerativeClustering') return CONTROLS[name];
  const byThreshold = params.distance_threshold != null;
  return CONTROLS[name].filter((s) => (s.param === 'n_clusters' ? !byThreshold : s.param === 'distance_threshold' ? byThreshold : true));
}
