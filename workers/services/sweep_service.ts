/**
 * Background sweeps that help choose a parameter, run in their own worker so the live pane's worker stays free:
 * - kSweep: one fit per k (K-Means / agglomerative / Gaussian mixture) and the metrics of each labelling;
 * - epsSweep: an eps x min_samples grid for DBSCAN, one index per min_samples re-cut for every eps.
 * Results stream through callbacks as each point / cell finishes. A newer sweep (or cancel()) ends the
 * running one at its next point: the loop yields to the event loop between points and checks its generation; pause()
 * holds it there while a slider is dragged.
 * Framework-free: runs in Node for tests.
 */
import type { Outcome } from '../../src/jobs/protocol.ts';
import type { Matrix, Metric, Progress } from '../engine/types.ts';
import { CancelledError, DataError, ParameterError } from '../engine/errors.ts';
import { EngineCache, fitEstimatorSteps } from '../engine/cluster/estimators.ts';
import { buildTree, cutTree, type HierarchyTree, type Linkage } from '../engine/cluster/agglomerative.ts';
import { buildDbscanIndex, cutDbscan, suggestEpsRange, type DbscanIndex } from '../engine/cluster/dbscan.ts';
import { clusterMetrics, clusterMetricsSteps, type ClusterMetrics } from '../engine/metrics/summary.ts';
import { driveSteps, nextTask } from '../engine/util/steps.ts';
import { outcome } from './outcome.ts';
import { K_PARAM, type EpsCell, type EpsGrid, type EpsSweepRequest, type KSweepPoint, type KSweepRequest } from './sweep_protocol.ts';
export * from './sweep_protocol.ts';

/** Within-cluster sum of squared distances to the cluster means (noise rows left out). */
export function withinClusterSS(X: Matrix, labels: Int32Array): number {
  const d = X.n_features;
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] + 1 > k) k = labels[i] + 1;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < 0) continue;
    counts[l]++;
    for (let f = 0; f < d; f++) sums[l * d + f] += X.data[i * d + f];
  }
  for (let l = 0; l < k; l++) for (let f = 0; f < d; f++) sums[l * d + f] /= counts[l] || 1;
  let ss = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < 0) continue;
    for (let f = 0; f < d; f++) {
      const v = X.data[i * d + f] - sums[l * d + f];
      ss += v * v;
    }
  }
  return ss;
}

/** n values spread evenly over [min, max], rounded to step, without duplicates. */
export function epsGrid(range: { min: number; max: number; step: number }, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const raw = n === 1 ? range.min : range.min + ((range.max - range.min) * i) / (n - 1);
    const v = Number((Math.max(range.step, Math.round(raw / range.step) * range.step)).toPrecision(10));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * clusterMetrics, except that a silhouette sample holding a single cluster (a tiny cluster beside a large one can
 * miss the sample) gives silhouette null instead of an error; the other two are computed on all rows.
 */
export function sweepMetrics(X: Matrix, labels: Int32Array, sample_size: number | null, random_state: number): Pick<ClusterMetrics, 'silhouette' | 'davies_bouldin' | 'calinski_harabasz'> {
  // clusterMetrics gives silhouette null when the sample holds a single cluster (scikit-learn would raise)
  return clusterMetrics(X, labels, { sample_size, random_state });
}

export class SweepService {
  private X: Matrix | null = null;
  private key = '';
  private cache = new EngineCache({ heavy: 8, result: 64 });
  private generation = 0;

  setData(key: string, data: Float64Array, n_samples: number, n_features: number): void {
    if (key === this.key) return;
    this.X = { data, n_samples, n_features };
    this.key = key;
    this.cache.clear();
  }

  hasData(key: string): boolean {
    return this.key === key && this.X !== null;
  }

  /** Ends the running sweep at its next point (it answers a 'cancelled' error). */
  cancel(): void {
    this.generation++;
  }

  /** Until this time (performance.now() of this worker), a running sweep waits at its next point. */
  private pausedUntil = 0;

  /**
   * Holds the running sweep at its next point for `ms` (a lease: renewed while a slider is dragged, it lapses by
   * itself), so that the sweep does not take a core from the page and the live recolour during the drag.
   */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + Math.max(0, Math.min(ms, 5000)));
  }

  /** Ends a pause now. */
  resume(): void {
    this.pausedUntil = 0;
  }

  private matrix(key: string): Matrix {
    if (!this.X || key !== this.key) throw new DataError('data', 'the sweep worker does not hold this data (reload it)');
    return this.X;
  }

  /**
   * A point's metrics, returning to the event loop every ~20 ms (util/steps.ts) to see a pause or a cancel there: a
   * point's silhouette would otherwise run on to its end, even in a terminated worker.
   */
  private pointMetrics(gen: number, X: Matrix, labels: Int32Array, req: { sample_size: number | null; random_state: number }): Promise<ClusterMetrics> {
    return driveSteps(clusterMetricsSteps(X, labels, { sample_size: req.sample_size, random_state: req.random_state }), { between: () => this.checkpoint(gen) });
  }

  /** Yields to the event loop (so cancel() and newer sweeps are seen), then throws if this sweep is no longer current. */
  private async checkpoint(gen: number): Promise<void> {
    await nextTask();
    for (let wait = this.pausedUntil - performance.now(); wait > 0 && gen === this.generation; wait = this.pausedUntil - performance.now()) {
      await new Promise<void>((r) => setTimeout(r, Math.min(wait, 100)));
    }
    if (gen !== this.generation) throw new CancelledError('superseded by a newer sweep');
  }

  kSweep(req: KSweepRequest, on_point?: (p: KSweepPoint) => void, on_progress?: (p: Progress) => void): Promise<Outcome<KSweepPoint[]>> {
    const gen = ++this.generation;
    return outcome(async () => {
      const X = this.matrix(req.key);
      const kParam = K_PARAM[req.name];
      if (!kParam) throw new ParameterError('name', `no k-sweep for ${req.name}`);
      const params: Record<string, unknown> = { ...req.params };
      // an explicit array of initial centres fixes k: the sweep starts each k with k-means++ instead
      if (req.name === 'KMeans' && typeof params.init !== 'string') params.init = 'k-means++';
      if (req.name === 'AgglomerativeClustering') params.distance_threshold = null;
      const points: KSweepPoint[] = [];
      let tree: HierarchyTree | null = null;
      for (let i = 0; i < req.ks.length; i++) {
        const k = req.ks[i];
        on_progress?.({ stage: `${kParam} = ${k}`, fraction: i / req.ks.length });
        await this.checkpoint(gen);
        const t0 = performance.now();
        let p: KSweepPoint;
        try {
          let labels: Int32Array;
          let inertia: number | null = null;
          let bic: number | null = null;
          if (req.name === 'AgglomerativeClustering') {
            const linkage = (params.linkage ?? 'ward') as Linkage;
            const metric = (params.metric ?? 'euclidean') as Metric;
            tree ??= this.cache.get(`agglo|${req.key}|${linkage}|${metric}`, () => buildTree(X, { linkage, metric }));
            labels = cutTree(tree, { n_clusters: k }).labels;
          } else {
            const r = await driveSteps(fitEstimatorSteps(X, { name: req.name, params: { ...params, [kParam]: k } }, {}, this.cache, req.key), {
              between: () => this.checkpoint(gen),
            });
            labels = r.labels;
            inertia = r.inertia;
            bic = r.bic;
          }
          const m = await this.pointMetrics(gen, X, labels, req);
          p = {
            k,
            n_clusters: new Set(labels.filter((l) => l >= 0)).size,
            inertia: inertia ?? withinClusterSS(X, labels),
            silhouette: m.silhouette,
            davies_bouldin: m.davies_bouldin,
            calinski_harabasz: m.calinski_harabasz,
            bic,
            seconds: (performance.now() - t0) / 1000,
            error: null,
          };
        } catch (e) {
          // one k failing (a mixture with a collapsed component …) does not end the sweep; the tree failing does
          if (!(e instanceof ParameterError || e instanceof DataError) || req.name === 'AgglomerativeClustering') throw e;
          p = { k, n_clusters: 0, inertia: null, silhouette: null, davies_bouldin: null, calinski_harabasz: null, bic: null, seconds: 0, error: e.message };
        }
        points.push(p);
        on_point?.(p);
      }
      on_progress?.({ stage: 'done', fraction: 1 });
      return points;
    });
  }

  epsSweep(
    req: EpsSweepRequest,
    on_grid?: (g: EpsGrid) => void,
    on_cell?: (c: EpsCell) => void,
    on_progress?: (p: Progress) => void,
  ): Promise<Outcome<{ grid: EpsGrid; cells: EpsCell[] }>> {
    const gen = ++this.generation;
    return outcome(async () => {
      const X = this.matrix(req.key);
      const ms = req.min_samples.filter((m) => Number.isInteger(m) && m >= 1 && m <= X.n_samples);
      if (!ms.length) throw new ParameterError('min_samples', `no min_samples value fits the ${X.n_samples} rows`);
      const index = (m: number): DbscanIndex =>
        this.cache.get(`dbscan|${req.key}|${m}|${req.metric}`, () => buildDbscanIndex(X, { min_samples: m, metric: req.metric }));
      // the middle min_samples first: its index gives the eps grid when none is given
      const mid = ms[Math.floor((ms.length - 1) / 2)];
      const order = [mid, ...ms.filter((m) => m !== mid)];
      on_progress?.({ stage: `min_samples = ${mid}: neighbours`, fraction: 0 });
      await this.checkpoint(gen);
      const eps = req.eps?.length ? req.eps : epsGrid(suggestEpsRange(index(mid)), req.n_eps ?? 12);
      const grid: EpsGrid = { eps, min_samples: ms };
      on_grid?.(grid);
      const cells: EpsCell[] = [];
      const total = ms.length * eps.length;
      for (const m of order) {
        on_progress?.({ stage: `min_samples = ${m}: neighbours`, fraction: cells.length / total });
        await this.checkpoint(gen);
        const idx = index(m);
        for (const e of eps) {
          await this.checkpoint(gen);
          const r = cutDbscan(idx, e);
          const metrics = await this.pointMetrics(gen, X, r.labels, req);
          const cell: EpsCell = {
            eps: e,
            min_samples: m,
            n_clusters: r.n_clusters,
            n_noise: r.n_noise,
            noise_fraction: r.n_noise / X.n_samples,
            silhouette: metrics.silhouette,
          };
          cells.push(cell);
          on_cell?.(cell);
          on_progress?.({ stage: `min_samples = ${m}, eps = ${e}`, fraction: cells.length / total });
        }
      }
      return { grid, cells };
    });
  }
}
