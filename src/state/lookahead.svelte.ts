/**
 * Slider lookahead: a pane's estimator at the other steps of its slider (eps, n_clusters, distance_threshold,
 * n_components), computed by the pane's cluster worker in the background once a fit is on screen, nearest steps
 * first. A slider move to a step already computed is answered from this table in the input event itself: no message
 * hop, so the next frame shows the clusters of the value under the hand (issue 5's "every frame" goal; the hop alone
 * costs 5-20 ms here when the main thread is rendering and 2 cores are shared). Everything in the table was computed
 * by the worker with the engine a fit uses (same labels, same model); a value not in it (typed, off the grid, not
 * computed yet) goes to the worker as before.
 *
 * Bounded: at most TABLE_BYTES of labels per pane (a window of steps around the current value at large n), and only
 * while the whole table costs at most TABLE_WORK_S of worker time (so not for a Gaussian mixture of 0.5 s per fit).
 */
import { untrack } from 'svelte';
import type { ClusterAnswer, PreparedInfo } from '../jobs/protocol.ts';
import type { EstimatorConfig } from '../../workers/engine/config/config.ts';
import { fitSeries } from '../jobs/client.ts';
import { sliderValues, type Bounds } from './controls.ts';
import { loadHoldIn } from './latency.ts';

/** Labels the table of one pane may hold. */
export const TABLE_BYTES = 32 * 2 ** 20;
/** Worker time the whole table may cost (estimated from the values computed so far). */
export const TABLE_WORK_S = 6;
/** Worker time of one background job: the longest a fit the user asks for waits behind it. */
export const CHUNK_MS = 8;
/** Values asked per job (the worker computes as many as fit in CHUNK_MS). */
const CHUNK_VALUES = 64;
/** Estimators whose slider moves re-cut a cached structure (the pane's first fit built it: its time says nothing). */
const RECUT = new Set(['DBSCAN', 'AgglomerativeClustering']);
/** A whole fit slower than this (seconds) is not computed ahead. */
const MAX_FIT_S = 1;
/** Values computed before their cost decides whether the rest of the table is worth it (the lower median of them). */
const MIN_COSTS = 5;
/** Wait after a new table is begun before its first job. */
const START_DELAY_MS = 300;
/** Wait before asking again when the pane's worker was busy. */
const RETRY_MS = 60;

/** The parameter the pane's slider moves: the one the table is made along. */
export function sliderParam(est: EstimatorConfig): string {
  switch (est.name) {
    case 'DBSCAN':
      return 'eps';
    case 'GaussianMixture':
      return 'n_components';
    case 'AgglomerativeClustering':
      return (est.params as Record<string, unknown>).distance_threshold != null ? 'distance_threshold' : 'n_clusters';
    default:
      return 'n_clusters';
  }
}

/** Identifies a table: the data and every parameter but the slider's. */
function tableKey(dataKey: string, est: EstimatorConfig, param: string): string {
  const p = est.params as Record<string, unknown>;
  const rest = Object.keys(p)
    .filter((k) => k !== param)
    .sort()
    .map((k) => `${k}=${JSON.stringify(p[k])}`);
  return `${dataKey}|${est.name}|${param}|${rest.join(',')}`;
}

type Entry = { labels: Int32Array; result: Omit<ClusterAnswer, 'labels'> };

interface Target {
  pane: string;
  prepared: PreparedInfo;
  estimator: EstimatorConfig;
  bounds: Bounds;
  /** The worker seconds of the pane's last fit: a whole fit slower than MAX_FIT_S is not computed ahead at all. */
  cost: number | null;
}

export class SliderLookahead {
  private key: string | null = null;
  private entries = new Map<number, Entry>();
  /** Median worker seconds per value, once some were computed. */
  private cost: number | null = null;
  private costs: number[] = [];
  private target: Target | null = null;
  private running = false;
  /** For tests and benchmarks: moves answered from the table. */
  hits = 0;
  get size(): number {
    return this.entries.size;
  }

  /** The answer for this estimator when the table holds it (a copy of the labels: the caller may transfer them). */
  lookup(dataKey: string, est: EstimatorConfig): ClusterAnswer | null {
    const param = sliderParam(est);
    if (this.key !== tableKey(dataKey, est, param)) return null;
    const v = (est.params as Record<string, unknown>)[param];
    const e = typeof v === 'number' ? this.entries.get(v) : undefined;
    if (!e) return null;
    this.hits++;
    return { ...e.result, labels: e.labels.slice() };
  }

  /**
   * Keeps the table filled around the pane's current result while the data, the estimator and the slider's bounds
   * hold. `state` reads them (tracked); call inside an effect root.
   */
  connect(pane: string, state: () => { prepared: PreparedInfo | null; estimator: EstimatorConfig | null; resultKey: string | null; bounds: (param: string) => Bounds | null; cost: number | null }): void {
    $effect(() => {
      const s = state();
      const est = s.estimator;
      const bounds = est ? s.bounds(sliderParam(est)) : null;
      untrack(() => {
        if (!s.prepared || !est || s.resultKey !== s.prepared.key || !bounds) {
          this.target = null;
          return;
        }
        this.target = { pane, prepared: s.prepared, estimator: est, bounds, cost: s.cost };
        void this.fill();
      });
    });
  }

  /** The steps wanted now: nearest the current value first, as many as TABLE_BYTES holds; drops the others. */
  private wanted(t: Target, param: string): number[] {
    const values = sliderValues(t.bounds);
    if (!values) return [];
    const current = Number((t.estimator.params as Record<string, unknown>)[param]);
    const window = Math.max(1, Math.floor(TABLE_BYTES / (4 * t.prepared.n_samples)));
    const near = values.sort((a, b) => Math.abs(a - current) - Math.abs(b - current)).slice(0, window);
    if (this.entries.size > window) {
      const keep = new Set(near);
      for (const v of this.entries.keys()) if (!keep.has(v)) this.entries.delete(v);
    }
    return near.filter((v) => v !== current && !this.entries.has(v));
  }

  private async fill(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const t = this.target;
        if (!t) return;
        const param = sliderParam(t.estimator);
        const key = tableKey(t.prepared.key, t.estimator, param);
        if (key !== this.key) {
          this.key = key;
          this.entries.clear();
          this.cost = null;
          this.costs = [];
          // the new result is drawn first (2 cores: the page's first draw of it should not share them)
          await new Promise((r) => setTimeout(r, START_DELAY_MS));
          continue;
        }
        const want = this.wanted(t, param);
        // the table's cost per value. A whole fit per value: the cheapest so far, the lower median once MIN_COSTS
        // values tell it. A re-cut: none until MIN_COSTS values, then the cheapest (its first re-cuts run before the JIT
        // has warmed up, on a loaded machine 10-30x slower than the ~1 ms of the rest: judged on the one value a first
        // 8 ms job computed, or on the median of five, a table of 260 DBSCAN re-cuts looked like 6 s of work and was
        // not filled; a warm re-cut does not get slower)
        const recut = RECUT.has(t.estimator.name);
        const perValue = !recut ? this.cost : this.costs.length >= MIN_COSTS ? Math.min(...this.costs) : null;
        if (!want.length || (perValue !== null && perValue * want.length > TABLE_WORK_S)) return;
        // a whole fit per value (not a re-cut of a cached tree or index) that took over a second: not even one value
        // (a fit the user asks for would wait behind it); otherwise the first values computed tell the cost
        if (this.cost === null && !RECUT.has(t.estimator.name) && t.cost !== null && t.cost > MAX_FIT_S) return;
        // held while new data loads: the cores go to the data worker (the table would be for the old data anyway)
        if (loadHoldIn() > 0) {
          await new Promise((r) => setTimeout(r, loadHoldIn() + 5));
          continue;
        }
        const job = { key: t.prepared.key, estimator: t.estimator };
        const a = await fitSeries(t.pane, t.prepared, job, param, want.slice(0, CHUNK_VALUES), CHUNK_MS);
        if (a.stale) {
          await new Promise((r) => setTimeout(r, RETRY_MS));
          continue;
        }
        if (!a.value.ok) return;
        if (this.key !== key) continue;
        const { values, labels, results } = a.value.value;
        const n = t.prepared.n_samples;
        values.forEach((v, i) => this.entries.set(v, { labels: labels.subarray(i * n, (i + 1) * n), result: results[i] }));
        // the cost per value: the lower median once a few values tell it, the cheapest one before
        for (const r of results) this.costs.push(r.seconds);
        const sorted = [...this.costs].sort((a, b) => a - b);
        this.cost = this.costs.length >= MIN_COSTS ? sorted[(sorted.length - 1) >> 1] : sorted[0];
      }
    } finally {
      this.running = false;
    }
  }
}
