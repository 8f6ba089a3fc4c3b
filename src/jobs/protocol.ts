/**
 * Types shared by the main thread and the worker services (type-only imports on the worker side).
 * Services never throw across comlink (it would drop the error's fields): they answer Outcome<T>.
 */
import type { ColumnSummary } from '../../workers/engine/data/columns.ts';
import type { FittedPreprocessing, PreprocessingSpec } from '../../workers/engine/data/preprocess.ts';
import type { EstimatorConfig } from '../../workers/engine/config/config.ts';
import type { DerivedColumn } from '../../workers/engine/data/derived.ts';

export type ErrorKind = 'parameter' | 'data' | 'config' | 'cancelled' | 'internal';
export interface ErrorInfo {
  kind: ErrorKind;
  /** The parameter, column or config field that caused it ('file' for the whole file). */
  field: string;
  message: string;
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** What the UI needs to know about a loaded table (the cells stay in the data worker). */
export interface TableInfo {
  name: string;
  source: 'builtin' | 'file';
  builtin_id: string | null;
  n_rows: number;
  /** The loaded columns, then the derived ones. */
  columns: string[];
  /** The columns of the table as loaded (without derived columns). */
  loaded_columns: string[];
  /** The derived columns' definitions (the spec's), appended to `columns` in this order. */
  derived: DerivedColumn[];
  summaries: ColumnSummary[];
  default_features: string[];
  suggested_log1p: string[];
  /** ',', '\t', ';' or 'xlsx'. */
  delimiter: string;
  /** Excel: the sheet read (null for a CSV) and every worksheet's name. */
  sheet: string | null;
  sheets: string[];
}

/** The prepared matrix and everything derived from it that the views need. */
export interface PreparedInfo {
  /** Identifies (data, preprocessing): workers cache by it. */
  key: string;
  spec: PreprocessingSpec;
  fitted: FittedPreprocessing;
  n_samples: number;
  n_features: number;
  X: Float64Array;
  /** The matrix columns (fitted.columns) in original units (NaN = missing; one-hot as 0/1), rows kept. */
  raw: Float64Array;
  row_index: Int32Array;
  n_imputed_cells: number;
  n_dropped_rows: number;
  missing_per_column: number[];
  /** PCA (3 components) of X, for the first view; row-major n x 3. */
  pca: Float64Array;
  pca_explained_variance_ratio: number[];
  /** Present when this preparation changed the table's derived columns: the new table description. */
  table?: TableInfo;
}

export interface ClusterJob {
  key: string;
  estimator: EstimatorConfig;
}

export interface ClusterAnswer {
  labels: Int32Array;
  n_clusters: number;
  n_noise: number;
  sizes: number[];
  inertia: number | null;
  bic: number | null;
  seconds: number;
  /** Fitted state a new row needs to be scored / reproduced (centres, GMM parameters …). */
  model: Record<string, unknown>;
}

export interface MetricsAnswer {
  silhouette: number | null;
  /** null = exact; otherwise the number of rows sampled. */
  silhouette_sample_size: number | null;
  davies_bouldin: number | null;
  calinski_harabasz: number | null;
  /** Metrics exclude noise (-1); how many rows were left out for it. */
  n_excluded_noise: number;
  seconds: number;
}

/**
 * From this many matrix values on (4 MB), the data worker keeps a copy of the prepared matrix and makes the other
 * workers' copies itself (src/jobs/matrix_relay.ts, DataService.matrixCopies): at 100,000 x 17 each copy made on the
 * main thread costs it ~100 ms (13.6 MB allocated and copied), and up to ten workers need one.
 */
export const RELAY_MIN_VALUES = 500_000;

/** Which arrays of the prepared matrix a worker asks for. */
export type MatrixPart = 'X' | 'raw';
