/**
 * The data worker's state and operations: it holds the parsed table, prepares the matrix
 * (preprocessing, first PCA view) and writes labelled CSVs. Framework-free: runs in Node too.
 */
import Papa from 'papaparse';
import * as Comlink from 'comlink';
import { RELAY_MIN_VALUES, type MatrixPart, type Outcome, type PreparedInfo, type TableInfo } from '../../src/jobs/protocol.ts';
import { parseCsv, type RawTable } from '../engine/data/csv.ts';
import { parseXlsx } from '../engine/data/xlsx.ts';
import { addDerivedColumns, type DerivedColumn } from '../engine/data/derived.ts';
import { defaultFeatures, defaultLog1p, summarizeColumns } from '../engine/data/columns.ts';
import { fitPreprocessing, type PreprocessingSpec } from '../engine/data/preprocess.ts';
import { fingerprint } from '../engine/data/fingerprint.ts';
import { contentHash } from '../engine/data/content_hash.ts';
import { builtinDataset } from '../engine/data/datasets.ts';
import { fitPCA } from '../engine/decomposition/pca.ts';
import { DataError } from '../engine/errors.ts';
import { outcome, transferredOutcome } from './outcome.ts';

/** Largest file we accept (the browser holds it in memory as text). */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

export interface Opened {
  table: TableInfo;
  prepared: PreparedInfo;
}

/** A spec with its optional lists present only when they are not empty (so that equal specs compare equal). */
export function normaliseSpec(spec: PreprocessingSpec): PreprocessingSpec {
  const { derived, one_hot, ...rest } = spec;
  return { ...rest, ...(derived?.length ? { derived } : {}), ...(one_hot?.length ? { one_hot } : {}) };
}

/**
 * The matrix, what was learned and the first PCA view (3 columns, zero-padded). `table` is the loaded table: the
 * spec's derived columns are computed from it. The configuration file's fingerprint is not made here: it is needed
 * only to export or check a configuration (DataService.fingerprintOf), and at 100,000 x 17 it cost a fifth of a load.
 */
export async function prepareTable(table: RawTable, spec: PreprocessingSpec): Promise<PreparedInfo> {
  spec = normaliseSpec(spec);
  const p = fitPreprocessing(table, spec);
  const n = p.X.n_samples;
  const n_components = Math.min(3, p.X.n_features, n);
  // PCA needs two rows; a single row is drawn at the origin (and the clustering controls explain the rest).
  const pca = n >= 2 ? fitPCA(p.X, { n_components }) : null;
  const coords = new Float64Array(n * 3);
  if (pca) for (let i = 0; i < n; i++) for (let c = 0; c < n_components; c++) coords[i * 3 + c] = pca.transformed[i * n_components + c];
  return {
    // X is raw transformed by what was fitted
    key: await hashKey(`${contentHash(p.raw.data)}|${n}x${p.X.n_features}|${JSON.stringify(p.fitted)}`),
    spec,
    fitted: p.fitted,
    n_samples: n,
    n_features: p.X.n_features,
    X: p.X.data,
    raw: p.raw.data,
    row_index: p.row_index,
    n_imputed_cells: p.n_imputed_cells,
    n_dropped_rows: p.n_dropped_rows,
    missing_per_column: p.missing_per_column,
    pca: coords,
    pca_explained_variance_ratio: pca ? Array.from(pca.explained_variance_ratio) : [],
  };
}

function preparedBuffers(p: PreparedInfo): ArrayBufferLike[] {
  return [p.X.buffer, p.raw.buffer, p.row_index.buffer, p.pca.buffer];
}

/** A large prepared matrix the data worker keeps: its arrays are made when first needed (DataService.keep). */
interface Kept {
  key: string;
  n_samples: number;
  n_features: number;
  made: Record<MatrixPart, Float64Array> | null;
  make: () => Record<MatrixPart, Float64Array>;
  fingerprint?: Promise<string>;
}

function keptArrays(k: Kept): Record<MatrixPart, Float64Array> {
  return (k.made ??= k.make());
}

export class DataService {
  /** The table as loaded. */
  private table: RawTable | null = null;
  private source: { kind: 'builtin' | 'file'; builtin_id: string | null } = { kind: 'builtin', builtin_id: null };
  /** The loaded table with the current derived columns, and its description. */
  private current: { derived: string; table: RawTable; info: TableInfo } | null = null;
  /** An .xlsx file's bytes, to read another of its sheets. */
  private workbook: { bytes: Uint8Array; name: string } | null = null;
  /** The last prepared matrix, kept when it is large, to copy for the other workers. */
  private kept: Kept | null = null;

  /**
   * Keeps a large prepared matrix (its arrays are transferred to the main thread with the answer). The kept arrays are
   * made again right after the answer, by the same computation, which gives the same values: copying them before the
   * answer made the first draw of 100,000 x 17 wait ~130 ms (two fresh 13.6 MB buffers: page faults).
   */
  private keep(p: PreparedInfo, table: RawTable): void {
    if (p.X.length < RELAY_MIN_VALUES) {
      this.kept = null;
      return;
    }
    const kept: Kept = {
      key: p.key,
      n_samples: p.n_samples,
      n_features: p.n_features,
      made: null,
      make: () => {
        const q = fitPreprocessing(table, p.spec);
        return { X: q.X.data, raw: q.raw.data };
      },
    };
    this.kept = kept;
    // after the answer is posted (this task's microtasks), unless other data came first
    setTimeout(() => this.kept === kept && keptArrays(kept), 0);
  }

  /**
   * The configuration file's fingerprint of the kept matrix of `key` (made once, when first asked for); null when the
   * data worker does not keep it (small data: the main thread makes it from its own copy, in a few ms).
   */
  fingerprintOf(key: string): Promise<string> | null {
    const k = this.kept;
    if (!k || k.key !== key) return null;
    return (k.fingerprint ??= fingerprint({ data: keptArrays(k).raw, n_samples: k.n_samples, n_features: k.n_features }));
  }

  /**
   * Fresh copies of the kept matrix's arrays, transferred (the caller passes them on to another worker without a
   * copy); null when the data worker does not keep the matrix of `key` (small data, or another preparation since).
   */
  matrixCopies(key: string, parts: MatrixPart[]): Partial<Record<MatrixPart, Float64Array>> | null {
    const k = this.kept;
    if (!k || k.key !== key) return null;
    const arrays = keptArrays(k);
    const out: Partial<Record<MatrixPart, Float64Array>> = {};
    for (const part of parts) out[part] = arrays[part].slice();
    return Comlink.transfer(out, Object.values(out).map((a) => a.buffer));
  }

  private describe(loaded: RawTable, table: RawTable, source: 'builtin' | 'file', builtin_id: string | null, derived: DerivedColumn[]): TableInfo {
    const summaries = summarizeColumns(table);
    const derivedNames = new Set(derived.map((d) => d.name));
    const loadedSummaries = summaries.filter((s) => !derivedNames.has(s.name));
    return {
      name: table.name,
      source,
      builtin_id,
      n_rows: table.n_rows,
      columns: table.columns,
      loaded_columns: loaded.columns,
      derived: structuredClone(derived),
      summaries,
      default_features: defaultFeatures(loadedSummaries),
      suggested_log1p: defaultLog1p(summaries),
      delimiter: table.delimiter,
      sheet: table.sheet ?? null,
      sheets: table.sheets ?? [],
    };
  }

  /** The loaded table with `derived` computed, described (cached for the current derived columns). */
  private derivedView(loaded: RawTable, derived: DerivedColumn[], source = this.source): { table: RawTable; info: TableInfo } {
    const key = JSON.stringify(derived);
    if (this.current && this.table === loaded && this.current.derived === key) return this.current;
    const table = addDerivedColumns(loaded, derived);
    return { table, info: this.describe(loaded, table, source.kind, source.builtin_id, derived) };
  }

  /**
   * Makes `table` the current one, but only if it can be prepared (with `spec`, or the defaults):
   * on any error the previous table stays and nothing changes.
   */
  private async open(table: RawTable, source: 'builtin' | 'file', builtin_id: string | null, spec?: Partial<PreprocessingSpec>): Promise<Opened> {
    const derived = spec?.derived ?? [];
    const view = this.derivedView(table, derived, { kind: source, builtin_id });
    const full: PreprocessingSpec = { features: [...view.info.default_features, ...derived.map((d) => d.name)], impute: 'median', log1p: [], scaler: 'standard', ...spec };
    const prepared = await prepareTable(table, full);
    this.keep(prepared, table);
    this.table = table;
    this.source = { kind: source, builtin_id };
    this.current = { derived: JSON.stringify(derived), ...view };
    return { table: view.info, prepared };
  }

  openBuiltin(id: string, spec?: Partial<PreprocessingSpec>): Promise<Outcome<Opened>> {
    return transferredOutcome(async () => {
      const o = await this.open(builtinDataset(id), 'builtin', id, spec);
      this.workbook = null;
      return o;
    }, (o) => preparedBuffers(o.prepared));
  }

  openText(text: string, name: string, spec?: Partial<PreprocessingSpec>): Promise<Outcome<Opened>> {
    return transferredOutcome(async () => {
      const o = await this.open(parseCsv(text, name), 'file', null, spec);
      this.workbook = null;
      return o;
    }, (o) => preparedBuffers(o.prepared));
  }

  openFile(file: Blob & { name?: string }, spec?: Partial<PreprocessingSpec>): Promise<Outcome<Opened>> {
    return transferredOutcome(async () => {
      const name = file.name ?? 'data.csv';
      if (file.size > MAX_FILE_BYTES) {
        throw new DataError('file', `${name} is ${(file.size / 1e6).toFixed(0)} MB; the limit is ${MAX_FILE_BYTES / 1e6} MB`);
      }
      if (/\.xlsx$/i.test(name)) {
        // The first sheet; when it holds nothing to cluster (a cover or notes sheet), the first one that does.
        const bytes = new Uint8Array(await file.arrayBuffer());
        const first = parseXlsx(bytes, name);
        let opened: Opened | null = null;
        let error: unknown = null;
        for (const sheet of first.sheets) {
          try {
            opened = await this.open(sheet === first.table.sheet ? first.table : parseXlsx(bytes, name, sheet).table, 'file', null, spec);
            break;
          } catch (e) {
            if (!(e instanceof DataError)) throw e;
            error ??= e;
          }
        }
        if (!opened) throw error;
        this.workbook = { bytes, name };
        return opened;
      }
      if (/\.(xls|xlsm|xlsb|ods|numbers|zip|gz|parquet)$/i.test(name)) {
        throw new DataError('file', `${name} cannot be read here: save it as CSV (comma-, tab- or semicolon-separated) or as an Excel .xlsx workbook first`);
      }
      const opened = await this.open(parseCsv(await file.text(), name), 'file', null, spec);
      this.workbook = null;
      return opened;
    }, (o) => preparedBuffers(o.prepared));
  }

  /** Reads another sheet of the loaded .xlsx workbook (with the default preprocessing). */
  openSheet(sheet: string): Promise<Outcome<Opened>> {
    return transferredOutcome(async () => {
      const wb = this.workbook;
      if (!wb) throw new DataError('sheet', 'the loaded data is not an Excel workbook');
      return this.open(parseXlsx(wb.bytes, wb.name, sheet).table, 'file', null);
    }, (o) => preparedBuffers(o.prepared));
  }

  /**
   * Preprocesses the current table with another spec; the table stays. When the spec's derived columns differ from
   * the current ones, the answer carries the new table description (`table`) too.
   */
  prepare(spec: PreprocessingSpec): Promise<Outcome<PreparedInfo>> {
    return transferredOutcome(async () => {
      const loaded = this.table;
      if (!loaded) throw new DataError('file', 'no data loaded');
      const derived = spec.derived ?? [];
      const view = this.derivedView(loaded, derived);
      const prepared = await prepareTable(loaded, spec);
      this.keep(prepared, loaded);
      if (this.current?.table !== view.table) {
        this.current = { derived: JSON.stringify(derived), ...view };
        prepared.table = view.info;
      }
      return prepared;
    }, preparedBuffers);
  }

  /**
   * The table (its own columns, then the derived ones) with one label column per estimator (rows dropped by
   * preprocessing get an empty label).
   */
  labelledCsv(
    columns: { name: string; labels: Int32Array; names?: Record<number, string> }[],
    row_index: Int32Array,
    derived: DerivedColumn[] = [],
  ): Promise<Outcome<string>> {
    return outcome(() => {
      if (!this.table) throw new DataError('file', 'no data loaded');
      return labelledCsv(this.derivedView(this.table, derived).table, columns, row_index);
    });
  }

  /** The first rows of the table as text, for a preview. */
  preview(n = 8): string[][] {
    const t = this.current?.table ?? this.table;
    if (!t) return [];
    const rows: string[][] = [];
    for (let i = 0; i < Math.min(n, t.n_rows); i++) rows.push(t.columns.map((_, j) => t.cells[j][i]));
    return rows;
  }
}

export function labelledCsv(
  table: RawTable,
  columns: { name: string; labels: Int32Array; names?: Record<number, string> }[],
  row_index: Int32Array,
): string {
  const n = table.n_rows;
  const extra = columns.map(() => new Array<string>(n).fill(''));
  const nameCols = columns.map((c) => (c.names ? new Array<string>(n).fill('') : null));
  columns.forEach((c, k) => {
    for (let r = 0; r < row_index.length; r++) {
      const label = c.labels[r];
      extra[k][row_index[r]] = String(label);
      const nc = nameCols[k];
      if (nc && c.names) nc[row_index[r]] = label < 0 ? 'noise' : (c.names[label] ?? '');
    }
  });
  const header = [...table.columns];
  columns.forEach((c, k) => {
    header.push(c.name);
    if (nameCols[k]) header.push(`${c.name}_name`);
  });
  const rows: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = table.columns.map((_, j) => table.cells[j][i]);
    columns.forEach((_, k) => {
      row.push(extra[k][i]);
      const nc = nameCols[k];
      if (nc) row.push(nc[i]);
    });
    rows[i] = row;
  }
  return Papa.unparse({ fields: header, data: rows }, { newline: '\n' });
}

async function hashKey(s: string): Promise<string> {
  const d = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return Array.from(new Uint8Array(d).slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}
