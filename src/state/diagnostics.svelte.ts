/**
 * The diagnostics that help choose a pane's parameters, one instance per pane (diagnosticsFor):
 * - from the pane's own cluster worker (its cached index / tree, asked only while that worker is idle):
 *   the k-distance curve and the data-driven eps range (DBSCAN), the top of the tree (agglomerative);
 * - from the pane's sweep worker, in the background while the panel is shown: the k-sweep (K-Means,
 *   agglomerative, Gaussian mixture) and the eps x min_samples grid (DBSCAN). Results stream in, are cached per
 *   (data, parameters other than the swept ones), and a sweep left unfinished resumes where it stopped.
 */
import { untrack } from 'svelte';
import { dbscanIndexInfo, dendrogramTop } from '../jobs/client.ts';
import { cancelSweep, pauseSweep, runEpsSweep, runKSweep } from '../jobs/sweep_client.ts';
import { QUIET_MS, onHoldBackground } from './latency.ts';
import type { PreparedInfo } from '../jobs/protocol.ts';
import type { KDistanceInfo } from '../../workers/services/cluster_service.ts';
import type { DendrogramTop } from '../../workers/engine/cluster/dendrogram.ts';
import type { EpsCell, EpsGrid, KSweepPoint, SweepEstimator } from '../../workers/services/sweep_protocol.ts';
import { K_PARAM, cellKey } from '../../workers/services/sweep_protocol.ts';
import type { EstimatorConfig } from '../../workers/engine/config/config.ts';
import type { Linkage } from '../../workers/engine/cluster/agglomerative.ts';
import type { Metric, Progress } from '../../workers/engine/types.ts';
import type { PaneState } from './pane.svelte.ts';
import type { Bounds } from './controls.ts';
import type { DatasetState } from './dataset.svelte.ts';

export const K_MIN = 2;
export const K_MAX = 15;
/** Silhouettes of the sweeps are computed on a seeded sample (said on the page). */
export const K_SWEEP_SAMPLE = 3000;
export const EPS_SWEEP_SAMPLE = 1000;
export const SWEEP_RANDOM_STATE = 0;
export const MIN_SAMPLES_GRID = [3, 5, 10, 15, 20, 30];
export const N_EPS = 12;
export const DENDROGRAM_TOP = 100;

export interface SweepStatus {
  running: boolean;
  progress: Progress | null;
  error: string | null;
  /** Stopped by the user: it does not restart by itself (resume() does). */
  cancelled: boolean;
}

export interface KSweepView extends SweepStatus {
  key: string;
  name: SweepEstimator;
  kParam: 'n_clusters' | 'n_components';
  ks: number[];
  /** By k (undefined until computed). */
  points: Record<number, KSweepPoint>;
}

export interface EpsSweepView extends SweepStatus {
  key: string;
  metric: Metric;
  grid: EpsGrid | null;
  /** By `${min_samples}|${eps}`. */
  cells: Record<string, EpsCell>;
}

/** A small most-recently-used map. */
class Lru<V> extends Map<string, V> {
  constructor(private capacity: number) {
    super();
  }
  put(k: string, v: V): void {
    this.delete(k);
    this.set(k, v);
    while (this.size > this.capacity) this.delete(this.keys().next().value as string);
  }
}

const IDLE = { running: false, progress: null } as const;
const FRESH: SweepStatus = { ...IDLE, error: null, cancelled: false };

export class PaneDiagnostics {
  kdist = $state.raw<KDistanceInfo | null>(null);
  dendrogram = $state.raw<DendrogramTop | null>(null);
  ksweep = $state.raw<KSweepView | null>(null);
  epsSweep = $state.raw<EpsSweepView | null>(null);
  /** Number of mounted panels showing this pane's diagnostics: sweeps run only while it is > 0. */
  visible = $state(0);
  dataset = $state.raw<DatasetState | null>(null);

  private kdists = new Lru<KDistanceInfo>(24);
  private dendrograms = new Lru<DendrogramTop>(6);
  private kCache = new Lru<KSweepView>(24);
  private epsCache = new Lru<EpsSweepView>(8);
  /** The key of the sweep the sweep worker is running (callbacks of older ones are ignored). */
  private running: string | null = null;
  private dispose: () => void;

  constructor(readonly pane: PaneState) {
    this.dispose = $effect.root(() => {
      $effect(() => {
        const key = this.pane.resultKey;
        const est = this.pane.resultEstimator;
        void this.pane.result; // asked again after every fit (the worker may have been busy before)
        if (key && est) untrack(() => this.loadFromClusterWorker(key, est));
      });
      $effect(() => {
        const prepared = this.visible > 0 ? this.dataset?.prepared : null;
        const est = this.pane.estimator;
        // a new sweep waits for the pane's own fit (2 cores: the live clustering goes first); a running one goes on,
        // except while new data loads: a point under way (one fit and its metrics, up to ~0.7 s) would not see a pause
        // and took a core from the load; what is missing is swept once it is over, for the data then shown
        const busy = this.pane.busy;
        const loading = !!(this.dataset?.loading || this.dataset?.preparing);
        untrack(() => (!prepared || loading ? this.stopSweeps() : !busy ? this.startSweep(prepared, est) : undefined));
      });
    });
  }

  destroy(): void {
    this.stopSweeps();
    this.dispose();
    this.unlisten();
  }

  /** The sweep waits at its next point while a slider is dragged (a lease renewed by the inputs). */
  private unlisten = onHoldBackground(() => pauseSweep(this.pane.id, QUIET_MS + 100));

  /** The eps slider's bounds from the data (the k-distance curve), widened to hold the current value. */
  get epsRange(): { min: number; max: number; step: number } | null {
    const info = this.kdist;
    if (!info) return null;
    const eps = Number(this.pane.params.DBSCAN.eps);
    const { min, max, step } = info.range;
    const ok = Number.isFinite(eps) && eps > 0;
    return { min: ok ? Math.min(min, eps) : min, max: ok ? Math.max(max, eps) : max, step };
  }

  /** The data's bounds for a parameter's slider (eps, distance_threshold), null for the others or while unknown. */
  rangeOf(param: string): Bounds | null {
    return param === 'eps' ? this.epsRange : param === 'distance_threshold' ? this.thresholdRange : null;
  }

  /** The distance_threshold slider's bounds: 0 to a little above the root merge, widened to hold the current value. */
  get thresholdRange(): { min: number; max: number; step: number } | null {
    const d = this.dendrogram;
    if (!d || !d.n_merges) return null;
    const root = d.height[d.n_merges - 1];
    const t = Number(this.pane.params.AgglomerativeClustering.distance_threshold);
    const top = Math.max(root * 1.05, Number.isFinite(t) ? t : 0);
    const step = niceStep(top / 1000);
    const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return { min: step, max: Number((Math.ceil(top / step) * step).toFixed(digits)), step };
  }

  private async loadFromClusterWorker(key: string, est: EstimatorConfig): Promise<void> {
    const p = est.params as Record<string, any>;
    if (est.name === 'DBSCAN') {
      const min_samples = Number(p.min_samples ?? 5);
      const metric = (p.metric ?? 'euclidean') as Metric;
      const id = `${key}|${min_samples}|${metric}`;
      const hit = this.kdists.get(id);
      if (hit) {
        this.kdist = hit;
        return;
      }
      const a = await dbscanIndexInfo(this.pane.id, key, min_samples, metric);
      if (a.stale || !a.value || !a.value.ok) return;
      this.kdists.put(id, a.value.value);
      const now = this.pane.resultEstimator?.params as Record<string, any> | undefined;
      if (this.pane.resultKey === key && now?.min_samples === min_samples && (now?.metric ?? 'euclidean') === metric) this.kdist = a.value.value;
    } else if (est.name === 'AgglomerativeClustering') {
      const linkage = (p.linkage ?? 'ward') as Linkage;
      const metric = (p.metric ?? 'euclidean') as Metric;
      const id = `${key}|${linkage}|${metric}`;
      const hit = this.dendrograms.get(id);
      if (hit) {
        this.dendrogram = hit;
        return;
      }
      const a = await dendrogramTop(this.pane.id, key, linkage, metric, DENDROGRAM_TOP);
      if (a.stale || !a.value || !a.value.ok) return;
      this.dendrograms.put(id, a.value.value);
      const now = this.pane.resultEstimator?.params as Record<string, any> | undefined;
      if (this.pane.resultKey === key && now?.linkage === linkage && (now?.metric ?? 'euclidean') === metric) this.dendrogram = a.value.value;
    }
  }

  private patchK(key: string, change: Partial<KSweepView>): void {
    const cur = this.kCache.get(key);
    if (!cur) return;
    const next = { ...cur, ...change };
    this.kCache.put(key, next);
    if (this.ksweep?.key === key) this.ksweep = next;
  }

  private patchEps(key: string, change: Partial<EpsSweepView>): void {
    const cur = this.epsCache.get(key);
    if (!cur) return;
    const next = { ...cur, ...change };
    this.epsCache.put(key, next);
    if (this.epsSweep?.key === key) this.epsSweep = next;
  }

  /** Ends the running sweep (kept: what streamed in so far). */
  private stopSweeps(change: Partial<SweepStatus> = {}): void {
    const key = this.running;
    if (!key) return;
    cancelSweep(this.pane.id);
    this.running = null;
    this.patchK(key, { ...IDLE, ...change });
    this.patchEps(key, { ...IDLE, ...change });
  }

  /** The Cancel button: stops the running sweep until resume(). */
  cancel(): void {
    this.stopSweeps({ cancelled: true });
  }

  /** Runs the sweep the current algorithm needs, unless it is running, done, failed or cancelled. */
  private startSweep(prepared: PreparedInfo, est: EstimatorConfig): void {
    if (est.name === 'DBSCAN') this.startEpsSweep(prepared, (est.params.metric ?? 'euclidean') as Metric);
    else this.startKSweep(prepared, est);
  }

  /** Restarts the shown sweep after a cancel or an error. */
  resume(): void {
    const prepared = this.dataset?.prepared;
    if (!prepared) return;
    const est = this.pane.estimator;
    if (est.name === 'DBSCAN' && this.epsSweep) this.patchEps(this.epsSweep.key, { error: null, cancelled: false });
    if (est.name !== 'DBSCAN' && this.ksweep) this.patchK(this.ksweep.key, { error: null, cancelled: false });
    this.startSweep(prepared, est);
  }

  private startKSweep(prepared: PreparedInfo, est: EstimatorConfig): void {
    const name = est.name as SweepEstimator;
    const kParam = K_PARAM[name];
    const rest: Record<string, unknown> = { ...est.params };
    delete rest[kParam];
    delete rest.distance_threshold;
    const key = `${prepared.key}|${name}|${JSON.stringify(Object.entries(rest).sort())}`;
    if (this.running === key) return;
    const maxK = Math.min(K_MAX, prepared.n_samples - 1);
    const ks: number[] = [];
    for (let k = K_MIN; k <= maxK; k++) ks.push(k);
    const view = this.kCache.get(key) ?? { key, name, kParam, ks, points: {}, ...FRESH };
    const missing = ks.filter((k) => !view.points[k]);
    this.ksweep = view;
    this.kCache.put(key, view);
    if (!missing.length || view.error || view.cancelled) return;
    this.stopSweeps();
    this.running = key;
    const update = (change: Partial<KSweepView>) => this.patchK(key, change);
    update({ running: true, progress: { stage: 'starting', fraction: 0 }, error: null });
    const done = ks.length - missing.length;
    void runKSweep(
      this.pane.id,
      prepared,
      { key: prepared.key, name, params: rest, ks: missing, sample_size: K_SWEEP_SAMPLE, random_state: SWEEP_RANDOM_STATE },
      (p) => {
        if (this.running === key) update({ points: { ...this.kCache.get(key)?.points, [p.k]: p } });
      },
      (p) => {
        if (this.running === key) update({ progress: { stage: p.stage, fraction: (done + p.fraction * missing.length) / ks.length } });
      },
      key,
    ).then((a) => {
      if (this.running !== key) return;
      this.running = null;
      if (a.stale) return update(IDLE);
      const r = a.value;
      // the answer holds every point (the last streamed ones may arrive after it: another message port)
      const points = { ...this.kCache.get(key)?.points };
      if (r.ok) for (const p of r.value) points[p.k] = p;
      update({ ...IDLE, points, error: r.ok || r.error.kind === 'cancelled' ? null : r.error.message });
    });
  }

  private startEpsSweep(prepared: PreparedInfo, metric: Metric): void {
    const key = `${prepared.key}|${metric}`;
    if (this.running === key) return;
    const ms = MIN_SAMPLES_GRID.filter((m) => m <= prepared.n_samples);
    const view = this.epsCache.get(key) ?? { key, metric, grid: null, cells: {}, ...FRESH };
    const missing = view.grid ? ms.filter((m) => view.grid!.eps.some((e) => !view.cells[cellKey(m, e)])) : ms;
    this.epsSweep = view;
    this.epsCache.put(key, view);
    if (!missing.length || view.error || view.cancelled) return;
    this.stopSweeps();
    this.running = key;
    const update = (change: Partial<EpsSweepView>) => this.patchEps(key, change);
    update({ running: true, progress: { stage: 'starting', fraction: 0 }, error: null });
    const total = ms.length;
    const done = total - missing.length;
    // cells arrive every few ms: the heatmap is redrawn with them a few times a second
    let buffer: EpsCell[] = [];
    const batch = throttled(() => {
      if (!buffer.length) return;
      const cells = { ...this.epsCache.get(key)?.cells };
      for (const c of buffer) cells[cellKey(c.min_samples, c.eps)] = c;
      buffer = [];
      update({ cells });
    }, 300);
    void runEpsSweep(
      this.pane.id,
      prepared,
      {
        key: prepared.key,
        metric,
        min_samples: view.grid ? missing : ms,
        eps: view.grid?.eps,
        n_eps: N_EPS,
        sample_size: EPS_SWEEP_SAMPLE,
        random_state: SWEEP_RANDOM_STATE,
      },
      (g) => {
        if (this.running === key && !this.epsCache.get(key)?.grid) update({ grid: { eps: g.eps, min_samples: ms } });
      },
      (c) => {
        if (this.running !== key) return;
        buffer.push(c);
        batch.poke();
      },
      (p) => {
        if (this.running === key) update({ progress: { stage: p.stage, fraction: (done + p.fraction * missing.length) / total } });
      },
      key,
    ).then((a) => {
      if (this.running !== key) return;
      this.running = null;
      batch.now();
      if (a.stale) return update(IDLE);
      const r = a.value;
      const cells = { ...this.epsCache.get(key)?.cells };
      if (r.ok) for (const c of r.value.cells) cells[cellKey(c.min_samples, c.eps)] = c;
      const grid = this.epsCache.get(key)?.grid ?? (r.ok ? { eps: r.value.grid.eps, min_samples: ms } : null);
      update({ ...IDLE, grid, cells, error: r.ok || r.error.kind === 'cancelled' ? null : r.error.message });
    });
  }
}

/**
 * A value that follows get() when the main thread is idle (requestIdleCallback, at most `timeout` ms late): the
 * diagnostic plots mark the current parameter with it, so redrawing them never competes with the live recolour
 * of the scatter during a drag. Call during component initialisation.
 */
export function idleFollow<T>(get: () => T, timeout = 250): { readonly value: T } {
  let value = $state.raw(untrack(get));
  let latest = value;
  let pending = false;
  $effect(() => {
    latest = get();
    if (pending) return;
    pending = true;
    const apply = () => {
      pending = false;
      value = latest;
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(apply, { timeout });
    else setTimeout(apply, 16);
  });
  return {
    get value() {
      return value;
    },
  };
}

/** Calls flush at most every `ms` (trailing), for streams that would otherwise redraw a plot per message. */
function throttled(flush: () => void, ms: number): { poke: () => void; now: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    poke() {
      timer ??= setTimeout(() => {
        timer = null;
        flush();
      }, ms);
    },
    now() {
      if (timer) clearTimeout(timer);
      timer = null;
      flush();
    },
  };
}

const registry = new WeakMap<PaneState, PaneDiagnostics>();

/** The pane's diagnostics (made on first use; it fetches the eps range from then on). Pass the data set to allow sweeps. */
export function diagnosticsFor(pane: PaneState, dataset?: DatasetState): PaneDiagnostics {
  let d = registry.get(pane);
  if (!d) {
    d = untrack(() => new PaneDiagnostics(pane));
    registry.set(pane, d);
  }
  if (dataset && d.dataset !== dataset) {
    const dd = d;
    untrack(() => (dd.dataset = dataset));
  }
  return d;
}

/** 1, 2 or 5 times a power of ten, at least x. */
function niceStep(x: number): number {
  if (!(x > 0)) return 0.01;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= x * (1 - 1e-9))!;
}
