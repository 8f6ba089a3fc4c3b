/**
 * The loaded table, the preprocessing choices and the prepared matrix. A failed load or preparation
 * keeps everything that was there before and reports the error beside the control that caused it.
 */
import { dataChannel } from '../jobs/client.ts';
import type { Api } from '../jobs/channel.ts';
import type { ErrorInfo, Outcome, PreparedInfo, TableInfo } from '../jobs/protocol.ts';
import type { DataService, Opened } from '../../workers/services/data_service.ts';
import type { Impute, PreprocessingSpec, Scaler } from '../../workers/engine/data/preprocess.ts';

export const DEFAULT_DATASET = 'demo-credit-cards';

export class DatasetState {
  table = $state.raw<TableInfo | null>(null);
  spec = $state.raw<PreprocessingSpec | null>(null);
  prepared = $state.raw<PreparedInfo | null>(null);
  /** Error of the last load (shown beside Upload data / the data-set menu). */
  loadError = $state.raw<ErrorInfo | null>(null);
  /** Error of the last preparation (shown beside the preprocessing control that caused it). */
  prepareError = $state.raw<ErrorInfo | null>(null);
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

  /** Opens a table; it replaces the current one only if it loads and prepares cleanly. */
  private async load(call: (api: Api<DataService>) => Promise<Outcome<Opened>>): Promise<boolean> {
    this.loading = true;
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
      return true;
    } finally {
      this.loading = false;
    }
  }

  private async prepareSpec(spec: PreprocessingSpec): Promise<Outcome<PreparedInfo>> {
    const a = await dataChannel.run((api) => api.prepare(spec));
    if (a.stale) return { ok: false, error: { kind: 'cancelled', field: '', message: 'superseded' } };
    return a.value;
  }

  /** Changes the preprocessing; on error the previous matrix and results stay. */
  async update(change: Partial<PreprocessingSpec>): Promise<boolean> {
    if (!this.spec) return false;
    const next = { ...this.spec, ...change };
    this.preparing = true;
    try {
      const r = await this.prepareSpec(next);
      if (!r.ok) {
        if (r.error.kind !== 'cancelled') this.prepareError = r.error;
        return false;
      }
      this.spec = next;
      this.prepared = r.value;
      this.prepareError = null;
      return true;
    } finally {
      this.preparing = false;
    }
  }

  /** Applies a complete spec (from an imported configuration) only if it prepares cleanly. */
  async trySpec(spec: PreprocessingSpec): Promise<Outcome<PreparedInfo>> {
    return this.prepareSpec(spec);
  }

  adopt(spec: PreprocessingSpec, prepared: PreparedInfo): void {
    this.spec = spec;
    this.prepared = prepared;
    this.prepareError = null;
  }

  toggleFeature(name: string, on: boolean): Promise<boolean> {
    const f = this.spec?.features ?? [];
    const features = on ? this.table!.columns.filter((c) => c === name || f.includes(c)) : f.filter((c) => c !== name);
    return this.update({ features, log1p: (this.spec?.log1p ?? []).filter((c) => features.includes(c)) });
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

  async labelledCsv(columns: { name: string; labels: Int32Array }[]): Promise<Outcome<string> | null> {
    const p = this.prepared;
    if (!p) return null;
    const a = await dataChannel.run((api) => api.labelledCsv(columns, p.row_index));
    return a.stale ? null : a.value;
  }
}
