/**
 * Preprocessing: derived columns -> chosen columns (one-hot columns expanded) -> impute -> log1p -> scale, as
 * scikit-learn's ColumnTransformer would do it with, for the numeric columns, SimpleImputer +
 * FunctionTransformer(np.log1p) + StandardScaler / MinMaxScaler / RobustScaler, and for the one-hot columns
 * OneHotEncoder(handle_unknown='ignore') passed through unscaled (center 0, scale 1). The matrix columns are the
 * features in order, each one-hot feature replaced in place by its `column=category` columns. Every scaler is
 * (x - center) / scale; the learned values (FittedPreprocessing) transform new rows exactly as the training rows were
 * (applyPreprocessing on a matrix, transformTable on a table of new rows).
 */
import { DataError } from '../errors.ts';
import type { Matrix } from '../types.ts';
import type { RawTable } from './csv.ts';
import { columnMedian, medianOfSorted, numericColumn, parseCell, sortNumbers } from './columns.ts';
import { addDerivedColumns, computeDerived, type DerivedColumn } from './derived.ts';
import { encodedMatrix, fitCategories } from './encoding.ts';

export type Impute = 'median' | 'mean' | 'drop';
export type Scaler = 'standard' | 'minmax' | 'robust' | 'none';

export interface PreprocessingSpec {
  /** The chosen columns of the (derived) table: numeric columns, derived columns and one-hot columns by their name. */
  features: string[];
  impute: Impute;
  log1p: string[];
  scaler: Scaler;
  /** Columns computed from the loaded table before anything else (appended to it, in order). */
  derived?: DerivedColumn[];
  /** Features encoded one-hot (a subset of features). */
  one_hot?: string[];
}

export interface FittedPreprocessing {
  /** The matrix columns: features with each one-hot feature replaced by its `column=category` columns. */
  columns: string[];
  /** The chosen columns before encoding (absent in old fits: then the same as columns). */
  features?: string[];
  derived?: DerivedColumn[];
  /** Learned categories of each one-hot feature, sorted. */
  categories?: Record<string, string[]>;
  /** Per column, the value that replaces a missing cell (for impute 'drop': the median of the kept rows, used when scoring new rows). */
  impute_values: number[];
  log1p: string[];
  center: number[];
  scale: number[];
}

export interface PreparedData {
  X: Matrix;
  /** The matrix columns in original units (one-hot as 0/1), before imputation, NaN = missing; kept rows only. */
  raw: Matrix;
  /** Which table rows are in X (drop removes some). */
  row_index: Int32Array;
  fitted: FittedPreprocessing;
  n_imputed_cells: number;
  n_dropped_rows: number;
  /** Missing cells per matrix column, over all table rows (one-hot columns: 0, a missing category is all zeros). */
  missing_per_column: number[];
}

export const IMPUTES: readonly Impute[] = ['median', 'mean', 'drop'];
export const SCALERS: readonly Scaler[] = ['standard', 'minmax', 'robust', 'none'];

/** The chosen columns as numbers (row-major), NaN = missing. DataError for no columns, unknown, text or Infinity cells. */
export function rawMatrix(table: RawTable, columns: string[]): Matrix {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new DataError('features', 'no feature columns are chosen; choose at least one numeric column');
  }
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new DataError(c, `the column "${c}" is chosen twice as a feature`);
    seen.add(c);
  }
  const n = table.n_rows;
  const d = columns.length;
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = numericColumn(table, columns[j]);
    for (let i = 0; i < n; i++) data[i * d + j] = col[i];
  }
  return { data, n_samples: n, n_features: d };
}

/**
 * Fits the preprocessing on the loaded table (derived columns are computed here from spec.derived) and returns the
 * prepared matrix with everything learned.
 */
export function fitPreprocessing(loaded: RawTable, spec: PreprocessingSpec): PreparedData {
  const { impute, scaler } = spec;
  const log1p = spec.log1p ?? [];
  const oneHot = spec.one_hot ?? [];
  const derived = spec.derived ?? [];
  if (!IMPUTES.includes(impute)) throw new DataError('impute', `impute must be one of ${IMPUTES.map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(impute)})`);
  if (!SCALERS.includes(scaler)) throw new DataError('scaler', `scaler must be one of ${SCALERS.map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(scaler)})`);
  const features = spec.features;
  for (const c of log1p) {
    if (!features.includes(c)) throw new DataError(c, `log1p is asked for "${c}", which is not a chosen feature`);
    if (oneHot.includes(c)) throw new DataError(c, `"${c}" is one-hot encoded: log1p does not apply to it`);
  }
  for (const c of oneHot) {
    if (!features.includes(c)) throw new DataError(c, `one-hot encoding is asked for "${c}", which is not a chosen feature`);
  }
  const table = addDerivedColumns(loaded, derived);
  const categories: Record<string, string[]> = {};
  for (const c of oneHot) categories[c] = fitCategories(table, c);

  const enc = encodedMatrix(table, features, categories);
  const all = enc.matrix;
  const columns = enc.columns;
  const n = all.n_samples;
  const d = all.n_features;
  const A = all.data;
  const passthrough = new Uint8Array(d);
  for (let j = 0, k = 0; k < features.length; k++) {
    const cats = categories[features[k]];
    if (cats) for (let c = 0; c < cats.length; c++) passthrough[j++] = 1;
    else j++;
  }

  const missing_per_column = new Array<number>(d).fill(0);
  const rowHasMissing = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      if (Number.isNaN(A[o + j])) {
        missing_per_column[j]++;
        rowHasMissing[i] = 1;
      }
    }
  }
  for (let j = 0; j < d; j++) {
    if (missing_per_column[j] === n) throw new DataError(columns[j], `column "${columns[j]}" has no values: every row is missing`);
  }

  // Rows kept
  let row_index: Int32Array;
  let raw: Matrix;
  if (impute === 'drop') {
    let kept = 0;
    for (let i = 0; i < n; i++) if (!rowHasMissing[i]) kept++;
    if (kept === 0) {
      let worst = 0;
      for (let j = 1; j < d; j++) if (missing_per_column[j] > missing_per_column[worst]) worst = j;
      throw new DataError(
        columns[worst],
        `dropping rows with missing values leaves no rows (every row misses at least one chosen feature; "${columns[worst]}" misses ${missing_per_column[worst]}); impute instead, or leave that column out`,
      );
    }
    row_index = new Int32Array(kept);
    const data = new Float64Array(kept * d);
    for (let i = 0, k = 0; i < n; i++) {
      if (rowHasMissing[i]) continue;
      row_index[k] = i;
      data.set(A.subarray(i * d, (i + 1) * d), k * d);
      k++;
    }
    raw = { data, n_samples: kept, n_features: d };
  } else {
    row_index = new Int32Array(n);
    for (let i = 0; i < n; i++) row_index[i] = i;
    raw = all;
  }
  const m = raw.n_samples;
  const R = raw.data;

  // Impute values: statistics of the non-missing values of each column (of the kept rows). When no row is dropped, the
  // median of a numeric column is the one its summary found (columnMedian), which saves sorting the column again.
  const impute_values = new Array<number>(d);
  if (impute === 'mean') {
    // the sums row by row for all columns at once (each column's in row order)
    const sum = new Float64Array(d);
    const count = new Int32Array(d);
    for (let i = 0; i < m; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const v = R[o + j];
        if (!Number.isNaN(v)) {
          sum[j] += v;
          count[j]++;
        }
      }
    }
    for (let j = 0; j < d; j++) impute_values[j] = sum[j] / count[j];
  } else {
    let colBuf: Float64Array | null = null;
    for (let j = 0; j < d; j++) {
      if (m === n && !passthrough[j]) {
        impute_values[j] = columnMedian(table, columns[j]);
        continue;
      }
      colBuf ??= new Float64Array(m);
      let k = 0;
      for (let i = 0; i < m; i++) {
        const v = R[i * d + j];
        if (!Number.isNaN(v)) colBuf[k++] = v;
      }
      impute_values[j] = medianOfSorted(sortNumbers(colBuf.subarray(0, k)));
    }
  }

  // Impute + log1p
  const X = new Float64Array(m * d);
  let n_imputed_cells = 0;
  const logMask = columns.map((c) => log1p.includes(c));
  for (let i = 0; i < m; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      let v = R[o + j];
      if (Number.isNaN(v)) {
        v = impute_values[j];
        n_imputed_cells++;
      }
      if (logMask[j]) {
        if (!(v > -1)) {
          throw new DataError(columns[j], `log1p needs values > -1, but column "${columns[j]}" has ${v} on row ${row_index[i] + 1}`);
        }
        v = Math.log1p(v);
      }
      X[o + j] = v;
    }
  }

  // Scale (not the one-hot 0/1 columns)
  const { center, scale } = fitScalers(scaler, X, m, d, passthrough);
  if (scaler !== 'none') {
    for (let i = 0; i < m; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) X[o + j] = (X[o + j] - center[j]) / scale[j];
    }
  }

  return {
    X: { data: X, n_samples: m, n_features: d },
    raw,
    row_index,
    fitted: {
      columns,
      impute_values,
      log1p: log1p.slice(),
      center,
      scale,
      ...(oneHot.length || derived.length ? { features: features.slice() } : {}),
      ...(derived.length ? { derived: structuredClone(derived) } : {}),
      ...(oneHot.length ? { categories } : {}),
    },
    n_imputed_cells,
    n_dropped_rows: n - m,
    missing_per_column,
  };
}

/** Transforms new rows (original units, NaN = missing) with fitted values: impute, log1p, (x - center) / scale. */
export function applyPreprocessing(fitted: FittedPreprocessing, raw: Matrix): Matrix {
  const d = fitted.columns.length;
  if (raw.n_features !== d) {
    throw new DataError('columns', `the data has ${raw.n_features} feature columns but the preprocessing was fitted on ${d} (${fitted.columns.join(', ')})`);
  }
  for (const key of ['impute_values', 'center', 'scale'] as const) {
    if (fitted[key].length !== d) throw new DataError(key, `fitted ${key} has ${fitted[key].length} values, expected ${d}`);
  }
  const logMask = fitted.columns.map((c) => fitted.log1p.includes(c));
  const n = raw.n_samples;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      let v = raw.data[o + j];
      if (Number.isNaN(v)) v = fitted.impute_values[j];
      else if (!Number.isFinite(v)) {
        throw new DataError(fitted.columns[j], `column "${fitted.columns[j]}" has a value that is not a finite number on row ${i + 1}: ${v}`);
      }
      if (logMask[j]) {
        if (!(v > -1)) throw new DataError(fitted.columns[j], `log1p needs values > -1, but column "${fitted.columns[j]}" has ${v} on row ${i + 1}`);
        v = Math.log1p(v);
      }
      out[o + j] = (v - fitted.center[j]) / fitted.scale[j];
    }
  }
  return { data: out, n_samples: n, n_features: d };
}

/**
 * New rows as a table (the loaded table's columns, or at least those the model needs) -> the preprocessed matrix:
 * derived columns (deriveForScoring), one-hot with the learned categories, then applyPreprocessing.
 */
export function transformTable(fitted: FittedPreprocessing, table: RawTable): { X: Matrix; raw: Matrix; table: RawTable } {
  const t = deriveForScoring(table, fitted.derived ?? []);
  const features = fitted.features ?? fitted.columns;
  const missing = features.filter((c) => !t.columns.includes(c));
  if (missing.length) {
    throw new DataError(missing[0], `${t.name ? `"${t.name}"` : 'the data'} has no column ${missing.map((c) => `"${c}"`).join(', ')}; the model needs ${inputColumns(fitted).join(', ')}`);
  }
  const enc = encodedMatrix(t, features, fitted.categories ?? {});
  return { X: applyPreprocessing(fitted, enc.matrix), raw: enc.matrix, table: t };
}

/**
 * The derived columns for new rows: computed when their source columns are present (replacing a column of the same
 * name), else a column of that name given with the rows is used as it is.
 */
export function deriveForScoring(table: RawTable, defs: readonly DerivedColumn[]): RawTable {
  if (!defs.length) return table;
  const columns = [...table.columns];
  const cells = [...table.cells];
  for (const d of defs) {
    const have = d.columns.every((c) => columns.includes(c));
    const at = columns.indexOf(d.name);
    if (!have) {
      if (at >= 0) continue;
      const lack = d.columns.filter((c) => !columns.includes(c));
      throw new DataError(lack[0], `${table.name ? `"${table.name}"` : 'the data'} has no column ${lack.map((c) => `"${c}"`).join(', ')}, needed to compute "${d.name}"`);
    }
    for (const c of d.columns) {
      const col = cells[columns.indexOf(c)];
      for (let i = 0; i < table.n_rows; i++) {
        const s = col[i];
        const v = parseCell(s);
        if (v === undefined || v === Infinity) {
          throw new DataError(c, `column "${c}" is not numeric: row ${i + 1} has the text ${JSON.stringify(s)}; "${d.name}" is computed from it`);
        }
      }
    }
    const v = computeDerived(d, (c) => cells[columns.indexOf(c)], table.n_rows);
    const text = Array.from(v, (x) => (Number.isFinite(x) ? String(x === 0 ? 0 : x) : ''));
    if (at >= 0) cells[at] = text;
    else {
      columns.push(d.name);
      cells.push(text);
    }
  }
  return { ...table, columns, cells };
}

/**
 * The columns a new row must give (in the order the model uses them): the features that are not derived, and the
 * columns the derived features are computed from (recursively).
 */
export function inputColumns(fitted: Pick<FittedPreprocessing, 'columns' | 'features' | 'derived'>): string[] {
  const features = fitted.features ?? fitted.columns;
  const defs = new Map((fitted.derived ?? []).map((d) => [d.name, d]));
  const out: string[] = [];
  const visit = (c: string, depth: number) => {
    const d = defs.get(c);
    if (d && depth < 50) d.columns.forEach((x) => visit(x, depth + 1));
    else if (!out.includes(c)) out.push(c);
  };
  features.forEach((f) => visit(f, 0));
  return out;
}

const EPS = 2.220446049250313e-16;

/**
 * Center and scale of each column of X (m x d, row-major), 0 and 1 for the skipped columns and with scaler 'none'; a
 * zero (or round-off) scale becomes 1, as scikit-learn's _handle_zeros_in_scale. The sums and extremes are taken row by
 * row for all columns at once (each column's still in row order): a strided pass per column takes twice as long.
 */
function fitScalers(scaler: Scaler, X: Float64Array, m: number, d: number, skip: Uint8Array): { center: number[]; scale: number[] } {
  const center = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(1);
  if (scaler === 'standard') {
    const sum = new Float64Array(d);
    for (let i = 0; i < m; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) sum[j] += X[o + j];
    }
    const mu = sum.map((s) => s / m);
    const ss = new Float64Array(d);
    const corr = new Float64Array(d);
    for (let i = 0; i < m; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const t = X[o + j] - mu[j];
        ss[j] += t * t;
        corr[j] += t;
      }
    }
    for (let j = 0; j < d; j++) {
      if (skip[j]) continue;
      // scikit-learn's _incremental_mean_and_var: sum of squares minus the correction term
      const variance = Math.max(0, (ss[j] - (corr[j] * corr[j]) / m) / m);
      // scikit-learn's _is_constant_feature
      const bound = m * EPS * variance + (m * mu[j] * EPS) ** 2;
      center[j] = mu[j];
      scale[j] = variance <= bound ? 1 : Math.sqrt(variance);
    }
  } else if (scaler === 'minmax') {
    const lo = new Float64Array(d).fill(Infinity);
    const hi = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < m; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) {
        const v = X[o + j];
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    }
    for (let j = 0; j < d; j++) {
      if (skip[j]) continue;
      const r = hi[j] - lo[j];
      center[j] = lo[j];
      scale[j] = r < 10 * EPS ? 1 : r;
    }
  } else if (scaler === 'robust') {
    const col = new Float64Array(m);
    for (let j = 0; j < d; j++) {
      if (skip[j]) continue;
      for (let i = 0; i < m; i++) col[i] = X[i * d + j];
      const sorted = sortNumbers(col);
      const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
      center[j] = medianOfSorted(sorted);
      scale[j] = iqr < 10 * EPS ? 1 : iqr;
    }
  }
  return { center, scale };
}

/** numpy.percentile's default 'linear' method on an ascending array (q in [0, 1]). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  // numpy's _lerp: a + diff * t, computed from the upper end when t >= 0.5
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
