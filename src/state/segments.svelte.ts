/**
 * From clusters to customer segments, for the primary pane's current labels: profiles and automatic names (which the
 * user may override), the CART rules, the silhouette plot, and scoring new customers. Keyed by the primary pane's
 * result: a labelling is identified by (prepared data, estimator), so names given to k = 4 come back with k = 4.
 * Profiles start once the Segments tab has been opened; the tree and the silhouette run only while it is shown.
 */
import { untrack } from 'svelte';
import type { ClusterAnswer, ErrorInfo, PreparedInfo } from '../jobs/protocol.ts';
import type { EstimatorConfig } from '../../workers/engine/config/config.ts';
import type { PaneState } from './pane.svelte.ts';
import type { DatasetState } from './dataset.svelte.ts';
import type { BatchAnswer, ProfileAnswer, ScoreAnswer, TreeAnswer } from '../../workers/services/segments_service.ts';
import type { SilhouetteGroups } from '../../workers/engine/segments/silhouette_groups.ts';
import { MAX_NAME_LENGTH } from '../../workers/engine/segments/names_config.ts';
import { profileJob, resultId, scoreCsvJob, scoreInputJob, silhouetteJob, treeJob } from '../jobs/segments_client.ts';
import { inputColumns } from '../../workers/engine/data/preprocess.ts';

export interface Labelling {
  sig: string;
  prepared: PreparedInfo;
  result: ClusterAnswer;
  estimator: EstimatorConfig;
}

export interface ScoredCustomer {
  /** The model's input columns as typed ('' = left empty), and their names. */
  row: string[];
  columns: string[];
  answer: ScoreAnswer;
  estimator: EstimatorConfig;
  sig: string;
}

/** A number for a form field: 6 significant digits, no float noise (110.49000000000001 -> 110.49). */
export function formValue(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6)));
}

export const TREE_LIMITS = { max_depth: { min: 1, max: 8 }, min_samples_leaf: { min: 1, max: 500 } };

/** The labelling's identity: the data it was fitted on and the estimator. */
export function labellingSig(key: string, estimator: EstimatorConfig): string {
  return `${key}|${JSON.stringify(estimator)}`;
}

export class SegmentsState {
  /** Profiles run once the tab has been opened; tree and silhouette while it is shown. */
  active = $state(false);
  visible = $state(false);
  profile = $state.raw<(ProfileAnswer & { sig: string }) | null>(null);
  profileError = $state.raw<ErrorInfo | null>(null);
  tree = $state.raw<(TreeAnswer & { sig: string; params: string }) | null>(null);
  treeError = $state.raw<ErrorInfo | null>(null);
  treeBusy = $state(false);
  treeParams = $state({ max_depth: 3, min_samples_leaf: 1 });
  treeParamErrors = $state<Record<string, string>>({});
  silhouette = $state.raw<(SilhouetteGroups & { sig: string }) | null>(null);
  silhouetteError = $state.raw<ErrorInfo | null>(null);
  silhouetteBusy = $state(false);
  /** User-given names, by labelling, by label. */
  overrides = $state<Record<string, Record<number, string>>>({});
  heatmapValues = $state<'z' | 'mean'>('z');
  /** The score form's text fields by input column, for the data set `formKey`. */
  form = $state<Record<string, string>>({});
  formKey = $state<string | null>(null);
  scored = $state.raw<ScoredCustomer | null>(null);
  scoreError = $state.raw<ErrorInfo | null>(null);
  batch = $state.raw<(BatchAnswer & { name: string }) | null>(null);
  batchError = $state.raw<ErrorInfo | null>(null);
  batchBusy = $state(false);
  readonly dispose: () => void;

  constructor(
    private readonly dataset: DatasetState,
    private readonly pane: () => PaneState,
  ) {
    this.dispose = $effect.root(() => this.connect());
  }

  /** The primary pane's current labelling, when it is for the current data. */
  get current(): Labelling | null {
    const prepared = this.dataset.prepared;
    const pane = this.pane();
    const result = pane?.result;
    const estimator = pane?.resultEstimator;
    if (!prepared || !result || !estimator || pane.resultKey !== prepared.key) return null;
    return { sig: labellingSig(prepared.key, estimator), prepared, result, estimator };
  }

  /** Profile of the current labelling (null while it is computed). */
  get currentProfile(): (ProfileAnswer & { sig: string }) | null {
    const c = this.current;
    return c && this.profile?.sig === c.sig ? this.profile : null;
  }

  /** Every segment's name (automatic unless renamed), by label; null before the profile is known. */
  get names(): Record<number, string> | null {
    const c = this.current;
    const p = this.currentProfile;
    if (!c || !p) return null;
    const own = this.overrides[c.sig] ?? {};
    const out: Record<number, string> = {};
    p.profile.labels.forEach((l, i) => (out[l] = own[l] ?? p.names[i]));
    return out;
  }

  autoName(label: number): string {
    const p = this.currentProfile;
    const i = p ? p.profile.labels.indexOf(label) : -1;
    return i >= 0 ? p!.names[i] : `segment ${label}`;
  }

  nameOf(label: number): string {
    if (label < 0) return 'unusual customer (noise)';
    return this.names?.[label] ?? this.overrides[this.current?.sig ?? '']?.[label] ?? `segment ${label}`;
  }

  isRenamed(label: number): boolean {
    const c = this.current;
    return !!c && this.overrides[c.sig]?.[label] !== undefined;
  }

  /** Renames a segment of the current labelling; an empty name brings the automatic one back. */
  rename(label: number, name: string): void {
    const c = this.current;
    if (!c) return;
    const t = name.trim().slice(0, MAX_NAME_LENGTH);
    const own = { ...(this.overrides[c.sig] ?? {}) };
    if (t === '' || t === this.autoName(label)) delete own[label];
    else own[label] = t;
    this.overrides = { ...this.overrides, [c.sig]: own };
  }

  /** Names for export: every segment's when the profile is known, else only the user's own. */
  exportNames(): Record<number, string> | null {
    const names = this.names ?? this.overrides[this.current?.sig ?? ''] ?? null;
    return names && Object.keys(names).length ? { ...names } : null;
  }

  /** Names from an imported configuration, for the labelling (data key, estimator) it will produce; none: nothing changes. */
  importNames(names: Record<number, string> | null, key: string, estimator: EstimatorConfig): void {
    if (!names || Object.keys(names).length === 0) return;
    this.overrides = { ...this.overrides, [labellingSig(key, estimator)]: { ...names } };
  }

  setTreeParam(param: 'max_depth' | 'min_samples_leaf', value: unknown): boolean {
    const { min, max } = TREE_LIMITS[param];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.treeParamErrors = { ...this.treeParamErrors, [param]: `${param} must be a whole number from ${min} to ${max} (got ${String(value)})` };
      return false;
    }
    this.treeParamErrors = { ...this.treeParamErrors, [param]: '' };
    this.treeParams[param] = value;
    return true;
  }

  private connect(): void {
    // Profiles and names.
    $effect(() => {
      const c = this.current;
      if (!this.active || !c) return;
      untrack(() => void this.runProfile(c));
    });
    // The tree, while the tab is shown.
    $effect(() => {
      const c = this.current;
      const params = { ...this.treeParams };
      if (!this.visible || !c) return;
      untrack(() => void this.runTree(c, params));
    });
    // The silhouette plot, while the tab is shown.
    $effect(() => {
      const c = this.current;
      if (!this.visible || !c) return;
      untrack(() => void this.runSilhouette(c));
    });
    // The form: medians of the data (the most frequent category of a one-hot column), once per data set.
    $effect(() => {
      const prepared = this.dataset.prepared;
      const table = this.dataset.table;
      if (!prepared || !table) return;
      const columns = this.inputColumns;
      const key = columns.join('\u0000') + '|' + JSON.stringify(prepared.fitted.categories ?? {}) + '|' + table.name;
      if (untrack(() => this.formKey) === key) return;
      const form: Record<string, string> = {};
      for (const f of columns) {
        const cats = prepared.fitted.categories?.[f];
        const s = table.summaries.find((x) => x.name === f);
        form[f] = cats ? (untrack(() => this.form[f]) ?? cats[0]) : formValue(s?.median);
        if (cats && !cats.includes(form[f])) form[f] = cats[0];
      }
      untrack(() => {
        this.form = form;
        this.formKey = key;
        this.scored = null;
        this.batch = null;
      });
    });
    // A scored customer is scored again when the labelling changes (and the model still takes the same columns).
    $effect(() => {
      const c = this.current;
      const s = untrack(() => this.scored);
      if (c && s && s.sig !== c.sig && s.columns.join('\u0000') === inputColumns(c.prepared.fitted).join('\u0000')) untrack(() => void this.scoreRow(s.row));
    });
  }

  private async runProfile(c: Labelling): Promise<void> {
    const a = await profileJob(c.prepared, c.result.labels);
    if (a.stale) return;
    if (!a.value.ok) {
      this.profileError = a.value.error;
      return;
    }
    this.profileError = null;
    this.profile = { ...a.value.value, sig: c.sig };
  }

  private async runTree(c: Labelling, params: { max_depth: number; min_samples_leaf: number }): Promise<void> {
    if (this.tree?.sig === c.sig && this.tree.params === JSON.stringify(params) && !this.treeBusy) return; // reopened tab: known
    this.treeBusy = true;
    const a = await treeJob(c.prepared, c.result.labels, params);
    if (a.stale) return;
    this.treeBusy = false;
    if (!a.value.ok) {
      this.treeError = a.value.error;
      return;
    }
    this.treeError = null;
    this.tree = { ...a.value.value, sig: c.sig, params: JSON.stringify(params) };
  }

  private async runSilhouette(c: Labelling): Promise<void> {
    if (this.silhouette?.sig === c.sig && !this.silhouetteBusy) return; // reopened tab: known
    this.silhouetteBusy = true;
    const a = await silhouetteJob(c.prepared, c.result.labels, resultId(c.result));
    if (a.stale) return;
    this.silhouetteBusy = false;
    if (!a.value.ok) {
      this.silhouetteError = a.value.error;
      this.silhouette = null;
      return;
    }
    this.silhouetteError = null;
    this.silhouette = { ...a.value.value, sig: c.sig };
  }

  setField(feature: string, text: string): void {
    this.form = { ...this.form, [feature]: text };
  }

  /**
   * The columns a new customer is described by: the loaded columns the model uses, those its derived columns are
   * computed from, and one-hot columns (a category each).
   */
  get inputColumns(): string[] {
    const p = this.dataset.prepared;
    return p ? inputColumns(p.fitted) : [];
  }

  /** Reads the form: numbers (empty = missing, imputed as in training) and categories, or the first field that is not a number. */
  formRow(): { row: string[] } | { error: ErrorInfo } {
    const p = this.dataset.prepared;
    const cats = p?.fitted.categories ?? {};
    const row: string[] = [];
    for (const f of this.inputColumns) {
      if (Object.hasOwn(cats, f)) {
        row.push(this.form[f] ?? '');
        continue;
      }
      const t = (this.form[f] ?? '').trim().replace(/,/g, '');
      if (t === '') row.push('');
      else if (Number.isFinite(Number(t))) row.push(String(Number(t)));
      else return { error: { kind: 'data', field: f, message: `${f} must be a number (got "${this.form[f]}")` } };
    }
    return { row };
  }

  async scoreForm(): Promise<void> {
    const r = this.formRow();
    if ('error' in r) {
      this.scoreError = r.error;
      return;
    }
    await this.scoreRow(r.row);
  }

  private async scoreRow(row: string[]): Promise<void> {
    const c = this.current;
    if (!c) return;
    const columns = inputColumns(c.prepared.fitted);
    const a = await scoreInputJob(c.prepared, c.estimator, c.result, [row]);
    if (a.stale) return;
    if (!a.value.ok) {
      this.scoreError = a.value.error;
      return;
    }
    this.scoreError = null;
    this.scored = { row, columns, answer: a.value.value, estimator: c.estimator, sig: c.sig };
  }

  async scoreFile(file: File): Promise<void> {
    const c = this.current;
    if (!c) return;
    this.batchBusy = true;
    try {
      const a = await scoreCsvJob(c.prepared, c.estimator, c.result, await file.text(), file.name, { ...(this.names ?? {}) });
      if (a.stale) return;
      if (!a.value.ok) {
        this.batchError = a.value.error;
        this.batch = null;
        return;
      }
      this.batchError = null;
      this.batch = { ...a.value.value, name: file.name };
    } finally {
      this.batchBusy = false;
    }
  }
}
