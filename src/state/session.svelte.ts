/**
 * The whole working session: data set, panes, view, and the operations that span them
 * (configuration export/import, labelled CSV). Components read it; it holds the effects.
 */
import { untrack } from 'svelte';
import { parseConfig, ConfigError, datasetMismatch, serializeConfig, type ClusterTuneConfig } from '../../workers/engine/config/config.ts';
import type { ErrorInfo, PreparedInfo } from '../jobs/protocol.ts';
import type { PreprocessingSpec } from '../../workers/engine/data/preprocess.ts';
import { DatasetState, DEFAULT_DATASET } from './dataset.svelte.ts';
import { PaneState } from './pane.svelte.ts';
import { ViewState } from './view.svelte.ts';
import { CompareState } from './compare.svelte.ts';
import { ALGORITHMS } from './controls.ts';
import { buildConfig } from './config_io.ts';
import { preparedFingerprint } from '../jobs/fingerprint_client.ts';
import { SegmentsState } from './segments.svelte.ts';
import { ExploreState } from './explore.svelte.ts';
import { parseSegmentsConfig } from '../../workers/engine/segments/names_config.ts';
import { specFromConfig } from '../../workers/engine/config/spec.ts';
import { baseName, downloadText } from './download.ts';
import { initialState, startPersistence } from './persist.svelte.ts';
import { warmCluster } from '../jobs/client.ts';

export interface ImportPrompt {
  message: string;
  config: ClusterTuneConfig;
  spec: PreprocessingSpec;
  prepared: PreparedInfo;
}

export class Session {
  dataset = new DatasetState();
  panes = $state.raw<PaneState[]>([]);
  view = new ViewState();
  importError = $state.raw<ErrorInfo | null>(null);
  /** A configuration made on other data waits here until the user confirms or cancels. */
  importPrompt = $state.raw<ImportPrompt | null>(null);
  exportError = $state.raw<ErrorInfo | null>(null);
  /** An export under way (at 100,000 rows its fingerprint takes the data worker a few hundred ms). */
  exporting = $state(false);
  compare = new CompareState(() => this.panes, this.dataset);
  segments = new SegmentsState(this.dataset, () => this.primary);
  explore = new ExploreState(this.dataset, () => this.primary);
  private disposers = new Map<PaneState, () => void>();
  private stops: (() => void)[] = [];

  /** At most this many panes side by side. */
  static readonly MAX_PANES = 4;

  constructor() {
    this.addPane();
    // New data: zoom and selection of the old data mean nothing.
    const stop = $effect.root(() => {
      $effect(() => {
        void this.dataset.prepared?.key;
        untrack(() => this.view.reset());
      });
    });
    this.stops.push(stop);
  }

  get primary(): PaneState {
    return this.panes[0];
  }

  /** Adds a pane (up to MAX_PANES) running an algorithm the other panes do not use yet. */
  addPane(): PaneState | null {
    if (this.panes.length >= Session.MAX_PANES) return null;
    const ids = new Set(this.panes.map((p) => p.id));
    let n = 1;
    while (ids.has(String(n))) n++;
    const pane = new PaneState(String(n));
    const used = new Set(this.panes.map((p) => p.algorithm));
    const fresh = ALGORITHMS.find((a) => !used.has(a.name));
    if (fresh) pane.setAlgorithm(fresh.name);
    this.disposers.set(pane, $effect.root(() => pane.connect(this.dataset)));
    this.panes = [...this.panes, pane];
    return pane;
  }

  /** Removes a pane other than the first; its jobs are cancelled. */
  removePane(pane: PaneState): void {
    if (pane === this.panes[0]) return;
    pane.cancel();
    this.disposers.get(pane)?.();
    this.disposers.delete(pane);
    this.panes = this.panes.filter((p) => p !== pane);
  }

  /** Opens the link's (or the last session's) state, else the demo data; then keeps the URL up to date. */
  async start(): Promise<boolean> {
    // the primary pane's cluster worker loads its module while the data worker prepares the data
    warmCluster(this.panes[0].id);
    const { state, error } = initialState();
    let ok = false;
    if (state) {
      const c = state.config;
      ok = await this.dataset.loadBuiltin(state.builtin ?? DEFAULT_DATASET, {
        ...(state.builtin ? { features: c.preprocessing.features, derived: c.preprocessing.derived, one_hot: c.preprocessing.one_hot } : {}),
        impute: c.preprocessing.impute,
        log1p: state.builtin ? c.preprocessing.log1p : [],
        scaler: c.preprocessing.scaler,
      });
      if (ok) this.applyEstimators(c);
      else this.importError = { kind: 'config', field: 'file', message: `the saved state could not be restored: ${this.dataset.loadError?.message ?? ''}` };
    } else if (error) {
      this.importError = { kind: 'config', field: 'file', message: error };
    }
    if (!ok) ok = await this.dataset.loadBuiltin(DEFAULT_DATASET);
    this.stops.push(startPersistence(this));
    return ok;
  }

  dispose(): void {
    this.disposers.forEach((d) => d());
    this.disposers.clear();
    this.stops.forEach((s) => s());
    this.segments.dispose();
    this.explore.dispose();
  }

  /**
   * The configuration file of the session as it is now (read at once; the fingerprint, made when first asked for,
   * is awaited after).
   */
  async configJson(): Promise<string | null> {
    const { table, prepared } = this.dataset;
    if (!table || !prepared) return null;
    const panes = this.panes.map((p) => ({ estimator: $state.snapshot(p.resultEstimator ?? p.estimator), result: p.result, metrics: p.metrics }));
    const embedding = this.view.embeddingConfig();
    const names = this.segments.exportNames();
    const fingerprint = await preparedFingerprint(prepared);
    return serializeConfig(buildConfig(table, prepared, panes, embedding, fingerprint, names));
  }

  async exportConfig(): Promise<void> {
    const name = this.dataset.table?.name;
    this.exporting = true;
    try {
      const json = await this.configJson();
      if (!json || !name) {
        this.exportError = { kind: 'data', field: 'file', message: 'nothing to export yet: load data first' };
        return;
      }
      this.exportError = null;
      downloadText(json, `${baseName(name)}.clustertune.json`, 'application/json');
    } finally {
      this.exporting = false;
    }
  }

  /** Validates, prepares the data the configuration asks for, and applies it; nothing changes on error. */
  async importConfigText(text: string): Promise<boolean> {
    this.importPrompt = null;
    const table = this.dataset.table;
    let config: ClusterTuneConfig;
    let spec: PreprocessingSpec;
    try {
      config = parseConfig(text);
      if (!table) throw new ConfigError('file', 'load data before importing a configuration');
      // the loaded table's own columns: the configuration brings its own derived columns
      const loaded = table.loaded_columns ?? table.columns;
      spec = specFromConfig(config, { columns: loaded, default_features: table.default_features.filter((c) => loaded.includes(c)) });
      parseSegmentsConfig(config.segments);
    } catch (e) {
      this.importError = e instanceof ConfigError ? { kind: 'config', field: e.field, message: e.message } : { kind: 'internal', field: 'file', message: String(e) };
      return false;
    }
    const r = await this.dataset.trySpec(spec);
    if (!r.ok) {
      this.importError = { ...r.error, message: `the configuration's preprocessing fails on this data: ${r.error.message}` };
      return false;
    }
    this.importError = null;
    const prepared = r.value;
    const mismatch = config.dataset
      ? datasetMismatch(config, { n_samples: prepared.n_samples, n_features: prepared.n_features, columns: prepared.fitted.columns, fingerprint: await preparedFingerprint(prepared) })
      : null;
    if (mismatch) {
      this.importPrompt = { message: mismatch, config, spec, prepared };
      return false;
    }
    this.applyImport(config, spec, prepared);
    return true;
  }

  confirmImport(): void {
    const p = this.importPrompt;
    if (!p) return;
    this.importPrompt = null;
    this.applyImport(p.config, p.spec, p.prepared);
  }

  cancelImport(): void {
    this.importPrompt = null;
  }

  private applyImport(config: ClusterTuneConfig, spec: PreprocessingSpec, prepared: PreparedInfo): void {
    this.applyEstimators(config);
    this.segments.importNames(parseSegmentsConfig(config.segments)?.names ?? null, prepared.key, this.panes[0].estimator);
    this.dataset.adopt(spec, prepared);
  }

  /** One pane per estimator of the configuration, and its embedding. */
  private applyEstimators(config: ClusterTuneConfig): void {
    while (this.panes.length < config.estimators.length) this.addPane();
    while (this.panes.length > config.estimators.length) this.removePane(this.panes[this.panes.length - 1]);
    config.estimators.forEach((est, i) => this.panes[i].load(est));
    if (config.embedding) this.view.loadEmbedding(config.embedding);
  }

  async downloadLabelledCsv(): Promise<void> {
    const cols = this.panes
      .filter((p) => p.result)
      .map((p, i, all) => ({
        name: all.length === 1 ? 'cluster' : `cluster_${i + 1}_${p.estimator.name}`,
        labels: p.result!.labels,
        names: p === this.primary ? (this.segments.exportNames() ?? undefined) : undefined, // a `cluster_name` column
      }));
    const r = await this.dataset.labelledCsv(cols);
    if (!r) return;
    if (!r.ok) {
      this.exportError = r.error;
      return;
    }
    downloadText(r.value, `${baseName(this.dataset.table!.name)}_labelled.csv`, 'text/csv');
  }
}
