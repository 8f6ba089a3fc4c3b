/**
 * The cluster worker's state: the prepared matrix (one at a time, keyed), a cache of what the sliders
 * do not change (agglomerative trees, DBSCAN indices), and the metric computations.
 */
import type { ClusterAnswer, ClusterJob, MetricsAnswer, Outcome } from '../../src/jobs/protocol.ts';
import type { FitOptions, Matrix, Progress } from '../engine/types.ts';
import { DataError } from '../engine/errors.ts';
import { EngineCache, clusterSizes, fitEstimator } from '../engine/cluster/estimators.ts';
import { clusterMetrics } from '../engine/metrics/summary.ts';
import { outcome, transferredOutcome } from './outcome.ts';

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

  fit(job: ClusterJob, on_progress?: (p: Progress) => void): Promise<Outcome<ClusterAnswer>> {
    return transferredOutcome(() => {
      const X = this.matrix(job.key);
      const t0 = performance.now();
      const opts: FitOptions = { on_progress: throttle(on_progress) };
      const r = fitEstimator(X, job.estimator, opts, this.cache, job.key);
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

  /** Metrics of the given labels, noise excluded. sample_size null = exact. */
  metrics(key: string, labels: Int32Array, sample_size: number | null): Promise<Outcome<MetricsAnswer>> {
    return outcome(() => clusterMetrics(this.matrix(key), labels, { sample_size }));
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
