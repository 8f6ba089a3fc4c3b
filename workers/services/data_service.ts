/**
 * The data worker's state and operations: it holds the parsed table, prepares the matrix
 * (preprocessing, fingerprint, first PCA view) and writes labelled CSVs. Framework-free: runs in Node too.
 */
import Papa from 'papaparse';
import type { Outcome, PreparedInfo, TableInfo } from '../../src/jobs/protocol.ts';
import { parseCsv, type RawTable } from '../engine/data/csv.ts';
import { defaultFeatures, defaultLog1p, summarizeColumns } from '../engine/data/columns.ts';
import { fitPreprocessing, type PreprocessingSpec } from '../engine/data/preprocess.ts';
import { fingerprint } from '../engine/data/fingerprint.ts';
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

/** The matrix, what was learned, a fingerprint and the first PCA view (3 columns, zero-padded). */
export async function prepareTable(table: RawTable, spec: PreprocessingSpec): Promise<PreparedInfo> {
  const p = fitPreprocessing(table, spec);
  const fp = await fingerprint(p.raw);
  const n = p.X.n_samples;
  const n_components = Math.min(3, p.X.n_features, n);
  // PCA needs two rows; a single row is drawn at the origin (and the clustering controls explain the rest).
  const pca = n >= 2 ? fitPCA(p.X, { n_components }) : null;
  const coords = new Float64Array(n * 3);
  if (pca) for (let i = 0; i < n; i++) for (let c = 0; c < n_components; c++) coords[i * 3 + c] = pca.transformed[i * n_components + c];
  return {
    key: await hashKey(`${fp}|${JSON.stringify(p.fitted)}`),
    fingerprint: fp,
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

export class DataService {
  private table: RawTable | null = null;

  private describe(table: RawTable, source: 'builtin' | 'file', builtin_id: string | null): TableInfo {
    const summaries = summarizeColumns(table);
    return {
      name: table.name,
      source,
      builtin_id,
      n_rows: table.n_rows,
      columns: table.columns,
      summaries,
      default_features: defaultFeatures(summaries),
      suggested_log1p: defaultLog1p(summaries),
      delimiter: table.delimiter,
    };
  }

  /**
   * Makes `table` the current one, but only if it can be prepared (with `spec`, or the defaults):
   * on any error the previous table stays and nothing changes.
   */
  private async open(table: RawTable, source: 'builtin' | 'file', builtin_id: string | null, spec?: Partial<PreprocessingSpec>): Promise<Opened> {
    const info = this.describe(table, source, builtin_id);
    const full: PreprocessingSpec = { features: info.default_features, impute: 'median', log1p: [], scaler: 'standard', ...spec };
    const prepared = await prepareTable(table, full);
    this.table = table;
    return { table: info, prepared };
  }

  openBuiltin(id: string, spec?: Partial<PreprocessingSpec>): Promise<Outcome<Opened>> {
    return transferredOutcome(() => this.open(builtinDataset(id), 'builtin', id, spec), (o) => preparedBuffers(o.prepared));
  }

  openText(text: string, name: string, spec?: Partial<PreprocessingSpec>): Promise<Outcome<Opened>> {
    return transferredOutcome(() => this.open(parseCsv(text, name), 'file', null, spec), (o) => preparedBuffers(o.prepared));
  }

  openFile(file: Blob & { name?: string }, spec?: Partial<PreprocessingSpec>): Promise<Outcome<Opened>> {
    return transferredOutcome(async () => {
      const name = file.name ?? 'data.csv';
      if (file.size > MAX_FILE_BYTES) {
        throw new DataError('file', `${name} is ${(file.size / 1e6).toFixed(0)} MB; the limit is ${MAX_FILE_BYTES / 1e6} MB`);
      }
      if (/\.(xlsx|xls|ods|zip|gz|parquet)$/i.test(name)) {
        throw new DataError('file', `${name} is not a text file: save it as CSV (comma-, tab- or semicolon-separated) first`);
      }
      return this.open(parseCsv(await file.text(), name), 'file', null, spec);
    }, (o) => preparedBuffers(o.prepared));
  }

  /** Preprocesses the current table with another spec; the table stays. */
  prepare(spec: PreprocessingSpec): Promise<Outcome<PreparedInfo>> {
    return transferredOutcome(() => {
      if (!this.table) throw new DataError('file', 'no data loaded');
      return prepareTable(this.table, spec);
    }, preparedBuffers);
  }

  /** The original table with one label column per estimator (rows dropped by preprocessing get an empty label). */
  labelledCsv(columns: { name: string; labels: Int32Array; names?: Record<number, string> }[], row_index: Int32Array): Promise<Outcome<string>> {
    return outcome(() => {
      const table = this.table;
      if (!table) throw new DataError('file', 'no data loaded');
      return labelledCsv(table, columns, row_index);
    });
  }

  /** The first rows of the table as text, for a preview. */
  preview(n = 8): string[][] {
    const t = this.table;
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
