/**
 * The cluster worker's state: the prepared matrix (one at a time, keyed), a cache of what the sliders
 * do not change (agglomerative trees, DBSCAN indices), and the metric computations.
 */
import type { ClusterAnswer, ClusterJob, MetricsAnswer, Outcome } from '../../src/jobs/protocol.ts';
import type { FitOptions, Matrix, Metric, Progress } from '../engine/types.ts';
import { DataError } from '../engine/errors.ts';
import { EngineCache, clusterSizes, fitEstimatorSteps } from '../engine/cluster/estimators.ts';
import { clusterMetricsSteps } from '../engine/metrics/summary.ts';
import { driveSteps } from '../engine/util/steps.ts';
import { buildDbscanIndex, kDistance, suggestEpsRange, type DbscanIndex } from '../engine/cluster/dbscan.ts';
import { buildTree, type HierarchyTree, type Linkage } from '../engine/cluster/agglomerative.ts';
import { dendrogramTop, type DendrogramTop } from '../engine/cluster/dendrogram.ts';

/** The k-distance curve of a DBSCAN index (sorted, at most max_points of it) and the eps range it suggests. */
export interface KDistanceInfo {
  min_samples: number;
  metric: Metric;
  n_samples: number;
  /** Distance to the min_samples-th neighbour (self counted), ascending. */
  distance: Float64Array;
  /** Share of rows (0..1) whose distance is <= distance[i]: the rows that are core points at eps = distance[i]. */
  share: Float64Array;
  range: { min: number; max: number; step: number; suggested: number };
}
import { outcome, transferredOutcome } from './outcome.ts';

/** One estimator at several values of one parameter (ClusterService.fitSeries). */
export interface SeriesAnswer {
  param: string;
  /** The values computed: a prefix of those asked. */
  values: number[];
  /** values.length x n_samples labels, value by value. */
  labels: Int32Array;
  results: Omit<ClusterAnswer, 'labels'>[];
}

export class ClusterService {
  private X: Matrix | null = null;
  private key = '';
  private cache = new EngineCache();

  setData(key: string, data: Float64Array, n_samples: number, n_features: number): void {
    if (key === this.key) return;
    this.X = { data, n_samples, n_features };
    this.key = key;
    this.cache.clear();
  }

  hasData(key: string): boolean {
    return this.key === key && this.X !== null;
  }

  private matrix(key: string): Matrix {
    if (!this.X || key !== this.key) throw new DataError('data', 'the worker does not hold this data (reload it)');
    return this.X;
  }

  /**
   * Fits the job's estimator (in steps of ~20 ms, returning to the event loop between them: a superseded K-Means whose
   * worker is terminated stops there, util/steps.ts).
   */
  fit(job: ClusterJob, on_progress?: (p: Progress) => void): Promise<Outcome<ClusterAnswer>> {
    return transferredOutcome(async () => {
      const X = this.matrix(job.key);
      const t0 = performance.now();
      const opts: FitOptions = { on_progress: throttle(on_progress) };
      const r = await driveSteps(fitEstimatorSteps(X, job.estimator, opts, this.cache, job.key));
      return {
        labels: r.labels.slice(), // a copy: the cached result keeps its own
        n_clusters: r.n_clusters,
        n_noise: r.n_noise,
        sizes: clusterSizes(r.labels, r.n_clusters),
        inertia: r.inertia,
        bic: r.bic,
        seconds: (performance.now() - t0) / 1000,
        model: r.model,
      };
    }, (a) => [a.labels.buffer]);
  }

  /**
   * The same estimator at several values of one parameter (a slider's steps, nearest first), until `budget_ms` of
   * work is done (at least one value): the main thread keeps them so that a slider move to one of these values is
   * answered without a round trip. Labels of all values computed are concatenated (value i at [i * n, (i + 1) * n)).
   */
  fitSeries(job: ClusterJob, param: string, values: number[], budget_ms = 8): Promise<Outcome<SeriesAnswer>> {
    return transferredOutcome(async () => {
      const X = this.matrix(job.key);
      const n = X.n_samples;
      const t0 = performance.now();
      const results: Omit<ClusterAnswer, 'labels'>[] = [];
      const chunks: Int32Array[] = [];
      for (const value of values) {
        if (results.length && performance.now() - t0 >= budget_ms) break;
        const t = performance.now();
        const estimator = { name: job.estimator.name, params: { ...job.estimator.params, [param]: value } };
        const r = await driveSteps(fitEstimatorSteps(X, estimator, {}, this.cache, job.key));
        chunks.push(r.labels);
        results.push({
          n_clusters: r.n_clusters,
          n_noise: r.n_noise,
          sizes: clusterSizes(r.labels, r.n_clusters),
          inertia: r.inertia,
          bic: r.bic,
          seconds: (performance.now() - t) / 1000,
          model: r.model,
        });
      }
      const labels = new Int32Array(chunks.length * n);
      chunks.forEach((c, i) => labels.set(c, i * n));
      return { param, values: values.slice(0, results.length), labels, results };
    }, (a) => [a.labels.buffer]);
  }

  /**
   * The k-distance curve and suggested eps range of the DBSCAN index a fit with (min_samples, metric) uses:
   * the cached one (cache key as fitEstimator's), or built now.
   */
  dbscanIndexInfo(key: string, min_samples: number, metric: Metric, max_points = 1000): Promise<Outcome<KDistanceInfo>> {
    return transferredOutcome(() => {
      const X = this.matrix(key);
      const index = this.cache.get<DbscanIndex>(`dbscan|${key}|${min_samples}|${metric}`, () => buildDbscanIndex(X, { min_samples, metric }));
      const s = kDistance(index);
      const n = s.length;
      const m = Math.min(n, Math.max(2, max_points));
      const distance = new Float64Array(m);
      const share = new Float64Array(m);
      for (let j = 0; j < m; j++) {
        const i = m === 1 ? n - 1 : Math.round((j * (n - 1)) / (m - 1));
        distance[j] = s[i];
        share[j] = (i + 1) / n;
      }
      return { min_samples, metric, n_samples: n, distance, share, range: suggestEpsRange(index) };
    }, (a) => [a.distance.buffer, a.share.buffer]);
  }

  /** The top `top` merges of the agglomerative tree a fit with (linkage, metric) uses (cached as fitEstimator caches it). */
  dendrogram(key: string, linkage: Linkage, metric: Metric, top = 100): Promise<Outcome<DendrogramTop>> {
    return outcome(() => {
      const X = this.matrix(key);
      const tree = this.cache.get<HierarchyTree>(`agglo|${key}|${linkage}|${metric}`, () => buildTree(X, { linkage, metric }));
      return dendrogramTop(tree, top);
    });
  }

  /**
   * Metrics of the given labels, noise excluded. sample_size null = exact. The worker returns to its event loop every
   * ~20 ms of the silhouette, so that a cancelled job (its worker terminated: a drag, a load) stops there, not at its
   * end (an exact silhouette at 8950 rows is about a second).
   */
  metrics(key: string, labels: Int32Array, sample_size: number | null): Promise<Outcome<MetricsAnswer>> {
    return outcome(() => driveSteps(clusterMetricsSteps(this.matrix(key), labels, { sample_size })));
  }
}

/** At most one progress report per ~frame; always the last one with fraction 1. */
export function throttle(fn?: (p: Progress) => void, ms = 16): ((p: Progress) => void) | undefined {
  if (!fn) return undefined;
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (p.fraction >= 1 || now - last >= ms) {
      last = now;
      fn(p);
    }
  };
}
