/**
 * Exploring the data before clustering: the correlation matrix of the chosen features (Pearson or Spearman, original
 * units or as clustered, optionally in clustered order), the distributions of the features (box statistics computed
 * in a worker; over every customer or per cluster of pane 1, linear or log axis), the scatter matrix of a few chosen
 * features coloured by pane 1's clusters, and the missing values. Jobs run while the Explore tab is shown.
 */
import { untrack } from 'svelte';
import type { ClusterAnswer, ErrorInfo, PreparedInfo } from '../jobs/protocol.ts';
import type { DatasetState } from './dataset.svelte.ts';
import type { PaneState } from './pane.svelte.ts';
import type { CorrelationMethod } from '../../workers/engine/data/explore.ts';
import type { CorrelationAnswer, CorrelationSpace, DistributionsAnswer } from '../../workers/services/explore_service.ts';
import { correlationJob, distributionsJob } from '../jobs/explore_client.ts';
import { defaultSplomFeatures, MAX_SPLOM_FEATURES } from './explore_figures.ts';

const ids = new WeakMap<ClusterAnswer, number>();
let nextId = 0;
function resultSig(r: ClusterAnswer): string {
  let id = ids.get(r);
  if (id === undefined) ids.set(r, (id = ++nextId));
  return `r${id}`;
}

export class ExploreState {
  visible = $state(false);
  method = $state<CorrelationMethod>('pearson');
  space = $state<CorrelationSpace>('original');
  clustered = $state(false);
  correlation = $state.raw<(CorrelationAnswer & { sig: string }) | null>(null);
  correlationError = $state.raw<ErrorInfo | null>(null);
  correlationBusy = $state(false);
  logScale = $state(false);
  byCluster = $state(false);
  distributions = $state.raw<(DistributionsAnswer & { sig: string }) | null>(null);
  distributionsError = $state.raw<ErrorInfo | null>(null);
  distributionsBusy = $state(false);
  splomFeatures = $state<string[]>([]);
  splomLog = $state(false);
  /** What the views want now: an answer for anything else (a job overtaken by a cached answer) is dropped. */
  private wantedCorrelation = '';
  private wantedDistributions = '';
  /** The feature list the scatter-matrix choice was made for. */
  private splomFor = '';
  /** Answers by (data, method, values): toggling back is instant. Only the current data's are kept. */
  private corrCache = new Map<string, CorrelationAnswer>();
  readonly dispose: () => void;

  constructor(
    private readonly dataset: DatasetState,
    private readonly pane: () => PaneState,
  ) {
    this.dispose = $effect.root(() => this.connect());
  }

  /** Pane 1's labels when they are for the current data. */
  get labels(): { labels: Int32Array; sig: string; result: ClusterAnswer } | null {
    const prepared = this.dataset.prepared;
    const pane = this.pane();
    const r = pane?.result;
    if (!prepared || !r || pane.resultKey !== prepared.key) return null;
    return { labels: r.labels, sig: resultSig(r), result: r };
  }

  /** Chooses a feature of the scatter matrix (at most MAX_SPLOM_FEATURES; at least two stay, when there are two). */
  toggleSplomFeature(feature: string, on: boolean): void {
    const features = this.dataset.prepared?.fitted.columns ?? [];
    const chosen = new Set(this.splomFeatures);
    if (on && chosen.size < MAX_SPLOM_FEATURES) chosen.add(feature);
    else if (!on && chosen.size > Math.min(2, features.length)) chosen.delete(feature);
    this.splomFeatures = features.filter((f) => chosen.has(f));
  }

  private connect(): void {
    $effect(() => {
      const p = this.dataset.prepared;
      const method = this.method;
      const space = this.space;
      if (!this.visible || !p) return;
      untrack(() => void this.runCorrelation(p, method, space));
    });
    $effect(() => {
      const p = this.dataset.prepared;
      const by = this.byCluster ? this.labels : null;
      if (!this.visible || !p || (this.byCluster && !by)) return;
      untrack(() => void this.runDistributions(p, by));
    });
    // The scatter matrix's features: kept while they are chosen features, else the default.
    $effect(() => {
      const p = this.dataset.prepared;
      const summaries = this.dataset.table?.summaries ?? [];
      if (!p) return;
      const key = p.fitted.columns.join('\u0000');
      untrack(() => {
        if (key === this.splomFor) return;
        this.splomFor = key;
        const kept = this.splomFeatures.filter((f) => p.fitted.columns.includes(f));
        if (kept.length >= Math.min(2, p.fitted.columns.length)) {
          this.splomFeatures = kept;
          return;
        }
        this.splomFeatures = defaultSplomFeatures(p.fitted.columns, summaries);
        // Log axes to start with when most of those features are right-skewed and log(1 + x) applies to all.
        const stats = this.splomFeatures.map((f) => summaries.find((s) => s.name === f));
        const skewed = stats.filter((s) => (s?.skewness ?? 0) > 1).length;
        this.splomLog = skewed * 2 >= stats.length && stats.every((s) => s?.min !== null && s?.min !== undefined && s.min > -1);
      });
    });
  }

  private async runCorrelation(p: PreparedInfo, method: CorrelationMethod, space: CorrelationSpace): Promise<void> {
    const sig = `${p.key}|${method}|${space}`;
    this.wantedCorrelation = sig;
    if (this.correlation?.sig === sig) return;
    const cached = this.corrCache.get(sig);
    if (cached) {
      this.correlation = { ...cached, sig };
      this.correlationError = null;
      this.correlationBusy = false;
      return;
    }
    this.correlationBusy = true;
    const a = await correlationJob(p, method, space);
    if (a.stale) return;
    if (a.value.ok) {
      for (const k of this.corrCache.keys()) if (!k.startsWith(`${p.key}|`)) this.corrCache.delete(k);
      this.corrCache.set(sig, a.value.value);
    }
    if (this.wantedCorrelation !== sig) return;
    this.correlationBusy = false;
    if (!a.value.ok) {
      this.correlationError = a.value.error;
      return;
    }
    this.correlationError = null;
    this.correlation = { ...a.value.value, sig };
  }

  private async runDistributions(p: PreparedInfo, by: { labels: Int32Array; sig: string } | null): Promise<void> {
    const sig = `${p.key}|${by ? by.sig : 'all'}`;
    this.wantedDistributions = sig;
    if (this.distributions?.sig === sig) {
      this.distributionsBusy = false;
      return;
    }
    this.distributionsBusy = true;
    const a = await distributionsJob(p, by ? by.labels : null);
    if (a.stale || this.wantedDistributions !== sig) return;
    this.distributionsBusy = false;
    if (!a.value.ok) {
      this.distributionsError = a.value.error;
      return;
    }
    this.distributionsError = null;
    this.distributions = { ...a.value.value, sig };
  }
}
