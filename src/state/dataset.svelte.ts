/**
 * The loaded table, the preprocessing choices and the prepared matrix. A failed load or preparation
 * keeps everything that was there before and reports the error beside the control that caused it.
 */
import { dataChannel } from '../jobs/client.ts';
import type { Api } from '../jobs/channel.ts';
import type { ErrorInfo, Outcome, PreparedInfo, TableInfo } from '../jobs/protocol.ts';
import type { DataService, Opened } from '../../workers/services/data_service.ts';
import type { Impute, PreprocessingSpec, Scaler } from '../../workers/engine/data/preprocess.ts';
import type { DerivedColumn } from '../../workers/engine/data/derived.ts';
import { holdBackground } from './latency.ts';

export const DEFAULT_DATASET = 'demo-credit-cards';

export class DatasetState {
  table = $state.raw<TableInfo | null>(null);
  spec = $state.raw<PreprocessingSpec | null>(null);
  prepared = $state.raw<PreparedInfo | null>(null);
  /** Error of the last load (shown beside Upload data / the data-set menu). */
  loadError = $state.raw<ErrorInfo | null>(null);
  /** Error of the last preparation (shown beside the preprocessing control that caused it). */
  prepareError = $state.raw<ErrorInfo | null>(null);
  /** Error of the last derived-column change (shown beside the Add column form). */
  derivedError = $state.raw<ErrorInfo | null>(null);
  loading = $state(false);
  preparing = $state(false);

  /** Built-in data set id, or null for an uploaded file. */
  get builtinId(): string | null {
    return this.table?.builtin_id ?? null;
  }

  loadBuiltin(id: string, spec?: Partial<PreprocessingSpec>): Promise<boolean> {
    return this.load((api) => api.openBuiltin(id, spec));
  }

  loadFile(file: File, spec?: Partial<PreprocessingSpec>): Promise<boolean> {
    return this.load((api) => api.openFile(file, spec));
  }

  loadText(text: string, name: string, spec?: Partial<PreprocessingSpec>): Promise<boolean> {
    return this.load((api) => api.openText(text, name, spec));
  }

  /** Reads another sheet of the loaded workbook. */
  loadSheet(sheet: string): Promise<boolean> {
    return this.load((api) => api.openSheet(sheet));
  }

  /** Opens a table; it replaces the current one only if it loads and prepares cleanly. */
  private async load(call: (api: Api<DataService>) => Promise<Outcome<Opened>>): Promise<boolean> {
    this.loading = true;
    // the background work of the data on screen (sweeps, lookahead, metrics) is about to be obsolete: it waits, and
    // on 2 cores leaves one to the data worker (a 100,000-row upload right after opening: 2.5 s to prepared, not 3.9-6.4 s)
    const stopHold = holdBackground();
    try {
      const a = await dataChannel.run(call);
      if (a.stale) return false;
      if (!a.value.ok) {
        this.loadError = a.value.error;
        return false;
      }
      const { table, prepared } = a.value.value;
      this.table = table;
      this.spec = prepared.spec;
      this.prepared = prepared;
      this.loadError = null;
      this.prepareError = null;
      this.derivedError = null;
      return true;
    } finally {
      stopHold();
      this.loading = false;
    }
  }

  private async prepareSpec(spec: PreprocessingSpec): Promise<Outcome<PreparedInfo>> {
    const a = await dataChannel.run((api) => api.prepare(spec));
    if (a.stale) return { ok: false, error: { kind: 'cancelled', field: '', message: 'superseded' } };
    return a.value;
  }

  /**
   * Changes the preprocessing; on error the previous matrix and results stay. Errors of a derived-column change go
   * to derivedError (beside the Add column form), the others to prepareError.
   */
  async update(change: Partial<PreprocessingSpec>, errorTo: 'prepare' | 'derived' = 'prepare'): Promise<boolean> {
    if (!this.spec) return false;
    const next = { ...this.spec, ...change };
    this.preparing = true;
    const stopHold = holdBackground(); // (as in load)
    try {
      const r = await this.prepareSpec(next);
      if (!r.ok) {
        if (r.error.kind !== 'cancelled') {
          if (errorTo === 'derived') this.derivedError = r.error;
          else this.prepareError = r.error;
        }
        return false;
      }
      this.adopt(r.value.spec, r.value);
      return true;
    } finally {
      stopHold();
      this.preparing = false;
    }
  }

  /** Applies a complete spec (from an imported configuration) only if it prepares cleanly. */
  async trySpec(spec: PreprocessingSpec): Promise<Outcome<PreparedInfo>> {
    return this.prepareSpec(spec);
  }

  adopt(spec: PreprocessingSpec, prepared: PreparedInfo): void {
    if (prepared.table) this.table = prepared.table;
    this.spec = prepared.spec ?? spec;
    this.prepared = prepared;
    this.prepareError = null;
    this.derivedError = null;
  }

  toggleFeature(name: string, on: boolean): Promise<boolean> {
    const f = this.spec?.features ?? [];
    const features = on ? this.table!.columns.filter((c) => c === name || f.includes(c)) : f.filter((c) => c !== name);
    return this.update({
      features,
      log1p: (this.spec?.log1p ?? []).filter((c) => features.includes(c)),
      one_hot: (this.spec?.one_hot ?? []).filter((c) => features.includes(c)),
    });
  }

  /** One-hot encodes a (categorical) column, which also makes it a feature; off: it is no longer a feature. */
  toggleOneHot(name: string, on: boolean): Promise<boolean> {
    const spec = this.spec;
    if (!spec) return Promise.resolve(false);
    const oh = spec.one_hot ?? [];
    if (!on) {
      return this.update({ one_hot: oh.filter((c) => c !== name), features: spec.features.filter((c) => c !== name) });
    }
    const features = this.table!.columns.filter((c) => c === name || spec.features.includes(c));
    return this.update({
      features,
      one_hot: this.table!.columns.filter((c) => c === name || oh.includes(c)),
      log1p: spec.log1p.filter((c) => c !== name),
    });
  }

  /** Adds a derived column (used as a feature); an invalid definition changes nothing and is explained. */
  addDerived(def: DerivedColumn): Promise<boolean> {
    const spec = this.spec;
    if (!spec) return Promise.resolve(false);
    return this.update({ derived: [...(spec.derived ?? []), def], features: [...spec.features, def.name] }, 'derived');
  }

  /** Removes a derived column (refused, with a reason, while another derived column uses it). */
  removeDerived(name: string): Promise<boolean> {
    const spec = this.spec;
    if (!spec) return Promise.resolve(false);
    const derived = spec.derived ?? [];
    const user = derived.find((d) => d.columns.includes(name));
    if (user) {
      this.derivedError = { kind: 'data', field: 'derived.columns', message: `"${name}" is used by the derived column "${user.name}": remove that one first` };
      return Promise.resolve(false);
    }
    const keep = (c: string) => c !== name;
    return this.update(
      {
        derived: derived.filter((d) => d.name !== name),
        features: spec.features.filter(keep),
        log1p: spec.log1p.filter(keep),
        one_hot: (spec.one_hot ?? []).filter(keep),
      },
      'derived',
    );
  }

  clearDerivedError(): void {
    this.derivedError = null;
  }

  toggleLog1p(name: string, on: boolean): Promise<boolean> {
    const l = this.spec?.log1p ?? [];
    return this.update({ log1p: on ? this.table!.columns.filter((c) => c === name || l.includes(c)) : l.filter((c) => c !== name) });
  }

  setImpute(impute: Impute): Promise<boolean> {
    return this.update({ impute });
  }

  setScaler(scaler: Scaler): Promise<boolean> {
    return this.update({ scaler });
  }

  async labelledCsv(columns: { name: string; labels: Int32Array; names?: Record<number, string> }[]): Promise<Outcome<string> | null> {
    const p = this.prepared;
    if (!p) return null;
    const derived = p.spec.derived ?? [];
    const a = await dataChannel.run((api) => api.labelledCsv(columns, p.row_index, derived));
    return a.stale ? null : a.value;
  }
}
