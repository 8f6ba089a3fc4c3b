/**
 * One comparison pane: its algorithm, parameters (scikit-learn names), the last good result and its metrics.
 * A bad value is explained beside its control and never reaches an engine; the last good result stays.
 */
import { untrack } from 'svelte';
import { cancelCluster, cancelExactMetrics, cancelMetrics, computeMetrics, fitCluster } from '../jobs/client.ts';
import type { ClusterAnswer, ErrorInfo, MetricsAnswer, PreparedInfo } from '../jobs/protocol.ts';
import type { EstimatorConfig, EstimatorName } from '../../workers/engine/config/config.ts';
import type { Progress } from '../../workers/engine/types.ts';
import { DEFAULT_PARAMS, sliderBounds, visibleControls } from './controls.ts';
import { SliderLookahead } from './lookahead.svelte.ts';
import { diagnosticsFor } from './diagnostics.svelte.ts';
import { backgroundHoldIn, loadHoldIn, onHoldBackground } from './latency.ts';
import { validateEstimator } from './validate.ts';
import type { DatasetState } from './dataset.svelte.ts';

/** Rows above which the silhouette is first shown from a sample, then refined to the exact value. */
const SILHOUETTE_SAMPLE = 3000;
/** Rows above which only the sampled silhouette is computed (exact is O(n^2)). */
const SILHOUETTE_EXACT_MAX = 20000;


const CUT_PAIR: Record<string, string> = { n_clusters: 'distance_threshold', distance_threshold: 'n_clusters' };
export class PaneState {
  readonly id: string;
  algorithm = $state<EstimatorName>('KMeans');
  params = $state<Record<EstimatorName, Record<string, unknown>>>(structuredClone(DEFAULT_PARAMS));
  /** Messages beside controls, by parameter name. */
  errors = $state<Record<string, string>>({});
  result = $state.raw<ClusterAnswer | null>(null);
  /** The estimator the current result was computed with. */
  resultEstimator = $state.raw<EstimatorConfig | null>(null);
  resultKey = $state.raw<string | null>(null);
  metrics = $state.raw<MetricsAnswer | null>(null);
  jobError = $state.raw<ErrorInfo | null>(null);
  progress = $state.raw<Progress | null>(null);
  busy = $state(false);

  /** The estimator at the slider's other steps, computed ahead by the worker (lookahead.svelte.ts). */
  readonly lookahead = new SliderLookahead();
  private fitSeq = 0;
  /** The data the pane clusters (connect). */
  private dataset: DatasetState | null = null;

  estimator: EstimatorConfig = $derived({ name: this.algorithm, params: $state.snapshot(this.params[this.algorithm]) });

  constructor(id: string) {
    this.id = id;
  }

  /** Sets a parameter after validating it against the data; returns false (and shows why) when it is invalid. */
  set(param: string, value: unknown, n_samples: number | null): boolean {
    const candidate: Record<string, unknown> = { ...$state.snapshot(this.params[this.algorithm]), [param]: value };
    // agglomerative: a number for one of n_clusters / distance_threshold cuts by it, and the other becomes null
    const other = this.algorithm === 'AgglomerativeClustering' && value !== null ? CUT_PAIR[param] : undefined;
    if (other) candidate[other] = null;
    const problem = validateEstimator({ name: this.algorithm, params: candidate }, n_samples);
    if (problem) {
      this.errors = { ...this.errors, [problem.param === param || !(problem.param in candidate) ? param : problem.param]: problem.message };
      return false;
    }
    this.errors = {};
    this.params[this.algorithm][param] = value;
    if (other) this.params[this.algorithm][other] = null;
    return true;
  }

  setAlgorithm(name: EstimatorName): void {
    this.algorithm = name;
    this.errors = {};
  }

  /** Replaces the estimator wholesale (configuration import); params are taken as given, already validated. */
  load(est: EstimatorConfig): void {
    const params: Record<string, unknown> = { ...DEFAULT_PARAMS[est.name], ...est.params };
    if (est.name === 'AgglomerativeClustering' && params.distance_threshold != null && !('n_clusters' in est.params)) params.n_clusters = null;
    this.params[est.name] = params;
    this.algorithm = est.name;
    this.errors = {};
  }

  /** Starts the effect that refits whenever the data or the estimator changes. Call inside an effect root. */
  connect(dataset: DatasetState): void {
    this.dataset = dataset;
    $effect(() => {
      const prepared = dataset.prepared;
      const estimator = this.estimator;
      if (!prepared) return;
      untrack(() => void this.fit(prepared, estimator));
    });
    // a drag or a load needs the cores: an exact silhouette still running ends, and on a load any metrics job (the
    // labels shown get theirs later)
    $effect(() => onHoldBackground(() => (loadHoldIn() > 0 ? cancelMetrics(this.id) : cancelExactMetrics(this.id))));
    this.lookahead.connect(this.id, () => ({
      prepared: dataset.prepared,
      estimator: this.resultEstimator,
      resultKey: this.resultKey,
      // the slider's own bounds; for eps and distance_threshold only once they come from the data (the k-distance
      // curve of this min_samples, the tree): the spec's placeholder bounds would give other steps
      bounds: (param) => {
        const spec = visibleControls(this.algorithm, this.params[this.algorithm]).find((c) => c.param === param);
        const diag = diagnosticsFor(this);
        const range = diag.rangeOf(param);
        const dbscan = this.params.DBSCAN;
        if (param === 'eps' && (diag.kdist?.min_samples !== dbscan.min_samples || diag.kdist?.metric !== (dbscan.metric ?? 'euclidean'))) return null;
        if ((param === 'eps' || param === 'distance_threshold') && !range) return null;
        return spec && dataset.prepared ? sliderBounds(spec, dataset.prepared.n_samples, range) : null;
      },
      cost: this.result?.seconds ?? null,
    }));
  }

  cancel(): void {
    cancelCluster(this.id);
    this.busy = false;
    this.progress = null;
  }

  async fit(prepared: PreparedInfo, estimator: EstimatorConfig): Promise<void> {
    const seq = ++this.fitSeq;
    // a slider step the worker has already computed: shown now, in the input event (an older job's answer is dropped)
    const ahead = this.lookahead.lookup(prepared.key, estimator);
    if (ahead) {
      this.busy = false;
      this.progress = null;
      this.accept(prepared, estimator, ahead);
      return;
    }
    this.busy = true;
    const a = await fitCluster(this.id, prepared, { key: prepared.key, estimator }, (p) => (this.progress = p));
    if (a.stale || seq !== this.fitSeq) return;
    this.busy = false;
    this.progress = null;
    if (!a.value.ok) {
      const e = a.value.error;
      this.jobError = e;
      if (e.kind === 'parameter' && e.field) this.errors = { ...this.errors, [e.field]: e.message };
      return;
    }
    this.accept(prepared, estimator, a.value.value);
  }

  private accept(prepared: PreparedInfo, estimator: EstimatorConfig, answer: ClusterAnswer): void {
    this.jobError = null;
    this.result = answer;
    this.resultEstimator = estimator;
    this.resultKey = prepared.key;
    this.metrics = null;
    void this.refreshMetrics(prepared, answer.labels);
  }

  /** Counts metrics refreshes: only the newest goes on (a lookahead hit can bring back the very same labels). */
  private metricsSeq = 0;

  private async refreshMetrics(prepared: PreparedInfo, labels: Int32Array): Promise<void> {
    const seq = ++this.metricsSeq;
    // the labels shown, of the data shown: after a load the old labels stay until the new fit answers, and their
    // metrics (up to a second of a core at 8950 rows) would run beside that fit
    const current = () => seq === this.metricsSeq && this.result?.labels === labels && (this.dataset?.prepared ?? prepared).key === prepared.key;
    const n = prepared.n_samples;
    const steps: (number | null)[] = n > SILHOUETTE_SAMPLE ? [SILHOUETTE_SAMPLE] : [null];
    if (n > SILHOUETTE_SAMPLE && n <= SILHOUETTE_EXACT_MAX) steps.push(null);
    for (const sample of steps) {
      for (;;) {
        // Labels first, metrics after: while a slider is dragged (or new data loads), the metrics wait for it to pause
        // (their jobs and answers would otherwise share the main thread and the 2 cores with the live recolour).
        for (let wait = backgroundHoldIn(); wait > 0; wait = backgroundHoldIn()) {
          await new Promise((r) => setTimeout(r, wait + 5));
          if (!current()) return;
        }
        const a = await computeMetrics(this.id, prepared, labels, sample);
        if (!current()) return;
        if (a.stale) continue; // ended by a drag (an exact silhouette) or a load (any): again once it pauses
        if (!a.value.ok) return;
        this.metrics = a.value.value;
        break;
      }
    }
  }
}
