/**
 * One-hot encoding of categorical columns, as scikit-learn's OneHotEncoder(handle_unknown='ignore'): the categories
 * of a column are learned on the training rows (sorted, as OneHotEncoder sorts them), each becomes one 0/1 column
 * named `column=category`, and a row whose category was not seen in training, or is missing, gets 0 in every one of
 * them. Cells are compared with surrounding spaces removed. Off by default: a column is encoded only when chosen.
 */
import { DataError } from '../errors.ts';
import type { Matrix } from '../types.ts';
import type { RawTable } from './csv.ts';
import { isMissingCell, numericColumn } from './columns.ts';

/** A column with more categories than this is not one-hot encoded (it is an identifier or free text). */
export const MAX_CATEGORIES = 50;

/** `Education=PhD` */
export function oneHotName(column: string, category: string): string {
  return `${column}=${category}`;
}

function cellsOf(table: RawTable, name: string): string[] {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new DataError(name, `there is no column named "${name}" in ${table.name ? `"${table.name}"` : 'the data'}`);
  return table.cells[j];
}

/** The sorted distinct categories of a column (missing cells left out). */
export function fitCategories(table: RawTable, column: string): string[] {
  const set = new Set<string>();
  for (const s of cellsOf(table, column)) {
    if (isMissingCell(s)) continue;
    set.add(s.trim());
    if (set.size > MAX_CATEGORIES) {
      throw new DataError(column, `"${column}" has more than ${MAX_CATEGORIES} distinct values: one-hot encoding is for columns with a few categories`);
    }
  }
  if (set.size === 0) throw new DataError(column, `"${column}" has no values to learn categories from`);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The matrix column names of the features: a one-hot feature is replaced in place by its `column=category` columns. */
export function encodedColumns(features: readonly string[], categories: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const f of features) {
    const cats = Object.hasOwn(categories, f) ? categories[f] : null;
    if (cats) for (const c of cats) out.push(oneHotName(f, c));
    else out.push(f);
  }
  return out;
}

/**
 * The features as numbers, row-major, NaN = missing: numeric columns as they are; one-hot columns as 0/1 indicator
 * columns (all 0 for a missing or unseen category). DataError for unknown or text columns that are not one-hot.
 */
export function encodedMatrix(table: RawTable, features: readonly string[], categories: Record<string, string[]>): { matrix: Matrix; columns: string[] } {
  if (!Array.isArray(features) || features.length === 0) {
    throw new DataError('features', 'no feature columns are chosen; choose at least one numeric column');
  }
  const seen = new Set<string>();
  for (const c of features) {
    if (seen.has(c)) throw new DataError(c, `the column "${c}" is chosen twice as a feature`);
    seen.add(c);
  }
  const columns = encodedColumns(features, categories);
  const dupe = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dupe !== undefined) throw new DataError(dupe, `the one-hot column "${dupe}" has the name of another feature; rename one of them`);
  const n = table.n_rows;
  const d = columns.length;
  const data = new Float64Array(n * d);
  let j = 0;
  for (const f of features) {
    const cats = Object.hasOwn(categories, f) ? categories[f] : null;
    if (cats) {
      const index = new Map(cats.map((c, k) => [c, k]));
      const cells = cellsOf(table, f);
      for (let i = 0; i < n; i++) {
        const k = index.get(cells[i].trim());
        if (k !== undefined) data[i * d + j + k] = 1;
      }
      j += cats.length;
    } else {
      let col: Float64Array;
      try {
        col = numericColumn(table, f);
      } catch (e) {
        if (e instanceof DataError && /is not numeric/.test(e.message)) {
          throw new DataError(e.field, `${e.message} (or, for a column of a few categories, switch on one-hot for it)`);
        }
        throw e;
      }
      for (let i = 0; i < n; i++) data[i * d + j] = col[i];
      j++;
    }
  }
  return { matrix: { data, n_samples: n, n_features: d }, columns };
}
