/**
 * The main thread's handles on the workers: one data worker, one cluster channel per pane, one metrics
 * channel. Every call answers Outcome<T> (or stale, when superseded).
 */
import { Comlink, WorkerChannel, type Answer, type Api } from './channel.ts';
import type { DataService } from '../../workers/services/data_service.ts';
import type { ClusterService, KDistanceInfo, SeriesAnswer } from '../../workers/services/cluster_service.ts';
import type { DendrogramTop } from '../../workers/engine/cluster/dendrogram.ts';
import type { Linkage } from '../../workers/engine/cluster/agglomerative.ts';
import type { Metric } from '../../workers/engine/types.ts';
import type { ClusterAnswer, ClusterJob, MetricsAnswer, Outcome, PreparedInfo } from './protocol.ts';
import type { Progress } from '../../workers/engine/types.ts';
import { markAnswer, markSent } from '../state/latency.ts';
import { matrixCopies } from './matrix_relay.ts';

function dataWorker(): Worker {
  return new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'data' });
}
function clusterWorker(): Worker {
  return new Worker(new URL('../../workers/cluster.worker.ts', import.meta.url), { type: 'module', name: 'cluster' });
}

export const dataChannel = new WorkerChannel<DataService>({ name: 'data', create: dataWorker, graceMs: 100 });

/**
 * The data key each live worker holds (by its comlink handle: a recreated worker has a new one). Every job on a
 * cluster channel goes through ensureData, so a slider's job skips the hasData round trip once the data is there.
 */
const held = new WeakMap<object, string>();

/** Sends the prepared matrix to a cluster worker if it does not hold it yet. */
async function ensureData(api: Api<ClusterService>, p: PreparedInfo): Promise<void> {
  if (held.get(api) === p.key) return;
  if (!(await api.hasData(p.key))) {
    const { X } = await matrixCopies(p, ['X']);
    await api.setData(p.key, Comlink.transfer(X!, [X!.buffer]), p.n_samples, p.n_features);
  }
  held.set(api, p.key);
}

const clusterChannels = new Map<string, WorkerChannel<ClusterService>>();
function clusterChannel(name: string): WorkerChannel<ClusterService> {
  let ch = clusterChannels.get(name);
  if (!ch) {
    ch = new WorkerChannel<ClusterService>({ name, create: clusterWorker, graceMs: 300 });
    clusterChannels.set(name, ch);
  }
  return ch;
}

/** What a fit needs cached (a tree, an index): jobs sharing it do not cancel each other. */
export function heavyKey(job: ClusterJob): string {
  const p = job.estimator.params as Record<string, unknown>;
  switch (job.estimator.name) {
    case 'AgglomerativeClustering':
      return `${job.key}|agglo|${p.linkage}|${p.metric}`;
    case 'DBSCAN':
      return `${job.key}|dbscan|${p.min_samples}|${p.metric}`;
    default:
      return `${job.key}|${job.estimator.name}|${JSON.stringify(p)}`;
  }
}

/** The heavy key of each pane's last finished fit: a fit that shares it is a cheap re-cut of the cached index / tree. */
const lastHeavy = new Map<string, string>();

export function fitCluster(
  pane: string,
  prepared: PreparedInfo,
  job: ClusterJob,
  onProgress?: (p: Progress) => void,
): Promise<Answer<Outcome<ClusterAnswer>>> {
  const heavy = heavyKey(job);
  const ch = clusterChannel(`cluster:${pane}`);
  // a re-cut (an eps or n_clusters slider move on a cached structure, same worker) answers within a frame: no
  // progress port (Comlink.proxy opens a MessageChannel per call) on the slider's path
  const cached = lastHeavy.get(pane) === `${ch.restarts}|${heavy}`;
  const progress = onProgress && !cached ? Comlink.proxy(onProgress) : undefined;
  return ch.run(async (api) => {
    await ensureData(api, prepared);
    const restarts = ch.restarts;
    markSent(`pane${pane}`);
    const r = await api.fit(job, progress);
    markAnswer(`pane${pane}`, r.ok ? r.value.seconds * 1000 : NaN);
    if (r.ok) lastHeavy.set(pane, `${restarts}|${heavy}`);
    return r;
  }, heavy);
}

/**
 * Background work for the slider (SliderLookahead): the pane's estimator at other values of one parameter. Sent only
 * while the pane's channel is idle (a busy one answers stale at once), so it never delays a fit the user asked for by
 * more than one chunk (`budget_ms` of worker time); a fit asked for meanwhile replaces it if it is still queued.
 */
export function fitSeries(
  pane: string,
  prepared: PreparedInfo,
  job: ClusterJob,
  param: string,
  values: number[],
  budget_ms: number,
): Promise<Answer<Outcome<SeriesAnswer>>> {
  const ch = clusterChannel(`cluster:${pane}`);
  if (ch.busy) return Promise.resolve({ stale: true });
  return ch.run(
    async (api) => {
      await ensureData(api, prepared);
      return api.fitSeries(job, param, values, budget_ms);
    },
    heavyKey(job),
    true,
  );
}

/** Starts a pane's cluster worker ahead of its first fit (at startup, while the data worker prepares the data). */
export function warmCluster(pane: string): void {
  clusterChannel(`cluster:${pane}`).warm();
}

export function cancelCluster(pane: string): void {
  lastHeavy.delete(pane);
  clusterChannel(`cluster:${pane}`).cancel();
}

/**
 * Diagnostics read from the pane's cluster worker (its cached DBSCAN index / tree). They are sent only while that
 * channel has no fit running or queued (lookahead work does not count), so they never displace a fit; a channel busy
 * with a fit answers stale at once (ask again after the fit).
 * The heavy key is the fit's, so a fit needing the same index waits for them instead of restarting the worker.
 */
function whenIdle<T>(pane: string, key: string, heavy: string, task: (api: Api<ClusterService>) => Promise<T>): Promise<Answer<T | null>> {
  const ch = clusterChannel(`cluster:${pane}`);
  if (ch.busyForeground) return Promise.resolve({ stale: true });
  return ch.run(async (api) => ((await api.hasData(key)) ? task(api) : null), heavy);
}

/** The k-distance curve and eps range of the pane's DBSCAN index; value null when the worker does not hold the data. */
export function dbscanIndexInfo(pane: string, key: string, min_samples: number, metric: Metric): Promise<Answer<Outcome<KDistanceInfo> | null>> {
  return whenIdle(pane, key, `${key}|dbscan|${min_samples}|${metric}`, (api) => api.dbscanIndexInfo(key, min_samples, metric));
}

/** The top of the pane's agglomerative tree; value null when the worker does not hold the data. */
export function dendrogramTop(pane: string, key: string, linkage: Linkage, metric: Metric, top = 100): Promise<Answer<Outcome<DendrogramTop> | null>> {
  return whenIdle(pane, key, `${key}|agglo|${linkage}|${metric}`, (api) => api.dendrogram(key, linkage, metric, top));
}

/** Panes whose metrics worker is computing an exact silhouette. */
const exactRunning = new Set<string>();

export function computeMetrics(
  pane: string,
  prepared: PreparedInfo,
  labels: Int32Array,
  sample_size: number | null,
): Promise<Answer<Outcome<MetricsAnswer>>> {
  return clusterChannel(`metrics:${pane}`).run(async (api) => {
    await ensureData(api, prepared);
    // (a job ended with its worker never settles: the next job or the cancel clears the mark)
    if (sample_size === null) exactRunning.add(pane);
    else exactRunning.delete(pane);
    try {
      return await api.metrics(prepared.key, labels, sample_size);
    } finally {
      exactRunning.delete(pane);
    }
    // jobs of one kind replace each other (latest wins, no restart); an exact silhouette (O(n^2)) still running when a
    // sampled one is asked for is ended after the grace period
  }, `metrics|${prepared.key}|${sample_size}`);
}

/**
 * Ends the pane's metrics job if it is an exact silhouette (O(n^2): about a second of a core at 8950 rows), so that a
 * drag starting meanwhile has both cores; the pane asks again for the labels the drag ends on.
 */
export function cancelExactMetrics(pane: string): void {
  if (!exactRunning.delete(pane)) return;
  clusterChannel(`metrics:${pane}`).cancel();
}

/**
 * Ends the pane's metrics job, sampled or exact, and drops a queued one: while new data loads they are for labels about
 * to be replaced (traced, a 100,000-row upload right after the page opened: a metrics job under way when it began ran
 * on for 0.66 s, beside a sweep point of 0.78 s, on the 2 cores the data worker needed). The pane asks again once the
 * load is over, if its labels are still the ones shown.
 */
export function cancelMetrics(pane: string): void {
  exactRunning.delete(pane);
  const ch = clusterChannels.get(`metrics:${pane}`);
  if (ch?.busy) ch.cancel();
}

export function channelRestarts(): Record<string, number> {
  const out: Record<string, number> = { data: dataChannel.restarts };
  for (const [k, ch] of clusterChannels) out[k] = ch.restarts;
  return out;
}
