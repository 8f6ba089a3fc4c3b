/**
 * Derived columns, computed from the loaded table's numeric columns before anything else and then treated as
 * ordinary columns (summaries, features, log1p). Recorded in a configuration as `preprocessing.derived`:
 *   sum   — columns[0] + columns[1] + … (missing when any part is missing, as `a + b` in pandas);
 *   ratio — columns[0] / columns[1]; missing when either is missing or the divisor is 0 (the missing cell is then
 *           imputed like any other);
 *   age   — reference_year - columns[0] (a birth year); reference_year defaults to the current year when the column
 *           is added in the app and is always written to the configuration.
 * A definition may use columns defined before it in the list. Values are stored as text (String(v) round-trips a
 * double exactly, '' = missing) so that the derived table is a RawTable like the loaded one.
 */
import { DataError } from '../errors.ts';
import type { RawTable } from './csv.ts';
import { parseCell } from './columns.ts';

export type DerivedKind = 'sum' | 'ratio' | 'age';
export const DERIVED_KINDS: readonly DerivedKind[] = ['sum', 'ratio', 'age'];

export interface DerivedColumn {
  name: string;
  kind: DerivedKind;
  columns: string[];
  /** age only: the year the age is computed at. */
  reference_year?: number;
}

/** How many columns each kind takes: [min, max]. */
export const DERIVED_ARITY: Record<DerivedKind, [number, number]> = { sum: [2, Infinity], ratio: [2, 2], age: [1, 1] };

/** A sentence for the form: what the column computes. */
export function describeDerived(d: DerivedColumn): string {
  if (d.kind === 'sum') return d.columns.join(' + ');
  if (d.kind === 'ratio') return `${d.columns[0]} / ${d.columns[1]}`;
  return `${d.reference_year ?? '?'} - ${d.columns[0]}`;
}

/**
 * Checks one definition against the columns it may use (`available`: name -> its cells, or null for a column known
 * only by name). Throws DataError whose field is 'derived.<part>' (name, kind, columns, reference_year).
 */
export function checkDerived(d: DerivedColumn, available: Map<string, string[] | null>): void {
  const name = typeof d?.name === 'string' ? d.name.trim() : '';
  if (name === '') throw new DataError('derived.name', 'the new column needs a name');
  if (name !== d.name) throw new DataError('derived.name', `the name "${d.name}" starts or ends with spaces; remove them`);
  if (available.has(name)) throw new DataError('derived.name', `a column named "${name}" already exists; choose another name`);
  if (!DERIVED_KINDS.includes(d.kind)) throw new DataError('derived.kind', `kind must be one of ${DERIVED_KINDS.map((k) => `"${k}"`).join(', ')} (got ${JSON.stringify(d.kind)})`);
  const cols = Array.isArray(d.columns) ? d.columns : [];
  const [lo, hi] = DERIVED_ARITY[d.kind];
  const need =
    d.kind === 'sum' ? 'a sum needs at least 2 columns' : d.kind === 'ratio' ? 'a ratio needs exactly 2 columns (numerator, denominator)' : 'an age needs exactly 1 column (the birth year)';
  if (cols.length < lo || cols.length > hi) throw new DataError('derived.columns', `${need} (got ${cols.length})`);
  const seen = new Set<string>();
  for (const c of cols) {
    if (!available.has(c)) throw new DataError('derived.columns', `there is no column named "${c}"`);
    if (seen.has(c)) throw new DataError('derived.columns', `the column "${c}" is chosen twice`);
    seen.add(c);
    const cells = available.get(c);
    if (cells) {
      for (let i = 0; i < cells.length; i++) {
        const v = parseCell(cells[i]);
        if (v === undefined || v === Infinity) {
          throw new DataError(
            'derived.columns',
            `"${c}" is not a numeric column (row ${i + 1} has ${JSON.stringify(cells[i].slice(0, 30))}); derived columns are computed from numeric columns`,
          );
        }
      }
    }
  }
  if (d.kind === 'age') {
    const y = d.reference_year;
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 1000 || y > 9999) {
      throw new DataError('derived.reference_year', `reference_year must be a year such as 2024 (got ${JSON.stringify(y)})`);
    }
  } else if (d.reference_year !== undefined) {
    throw new DataError('derived.reference_year', `reference_year applies only to kind "age"`);
  }
}

function numbers(cells: string[]): Float64Array {
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = parseCell(cells[i]);
    out[i] = v === undefined ? NaN : v;
  }
  return out;
}

/** The values of one (valid) derived column, NaN = missing. */
export function computeDerived(d: DerivedColumn, column: (name: string) => string[], n: number): Float64Array {
  const parts = d.columns.map((c) => numbers(column(c)));
  const out = new Float64Array(n);
  if (d.kind === 'sum') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const p of parts) s += p[i];
      out[i] = s;
    }
  } else if (d.kind === 'ratio') {
    const [a, b] = parts;
    for (let i = 0; i < n; i++) out[i] = b[i] === 0 ? NaN : a[i] / b[i];
  } else {
    const y = d.reference_year as number;
    const [b] = parts;
    for (let i = 0; i < n; i++) out[i] = y - b[i];
  }
  return out;
}

/** A number as a cell: String(v) (exact), '' for missing or non-finite. */
function cellText(v: number): string {
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : '';
}

/**
 * The table with the derived columns appended (in order), or the table itself when there are none. Every
 * definition is checked first (DataError naming the definition: field 'derived[i].<part>').
 */
export function addDerivedColumns(table: RawTable, defs: readonly DerivedColumn[] | undefined): RawTable {
  if (!defs || defs.length === 0) return table;
  const columns = [...table.columns];
  const cells = [...table.cells];
  const available = new Map<string, string[] | null>(columns.map((c, j) => [c, cells[j]]));
  defs.forEach((d, k) => {
    try {
      checkDerived(d, available);
    } catch (e) {
      if (e instanceof DataError) throw new DataError(e.field.replace(/^derived/, `derived[${k}]`), `derived column ${k + 1} ("${d?.name ?? ''}"): ${e.message}`);
      throw e;
    }
    const v = computeDerived(d, (c) => available.get(c) as string[], table.n_rows);
    const text = Array.from(v, cellText);
    columns.push(d.name);
    cells.push(text);
    available.set(d.name, text);
  });
  return { ...table, columns, cells };
}
