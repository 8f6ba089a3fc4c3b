/** Small helpers for building RawTables from generated numbers (demo data sets). */
import type { RawTable } from './csv.ts';

/** A number as CSV text with at most `decimals` decimals and no trailing zeros ('40.900749', '1000', '0'). */
export function formatNumber(v: number, decimals = 6): string {
  if (Number.isNaN(v)) return '';
  const f = 10 ** decimals;
  const r = Math.round(v * f) / f;
  return String(r === 0 ? 0 : r);
}

/** A RawTable from named numeric columns (NaN -> '' missing) plus optional text columns, in the order given. */
export function tableFromColumns(
  name: string,
  columns: { name: string; values: ArrayLike<number> | string[]; decimals?: number }[],
): RawTable {
  const n_rows = columns.length ? columns[0].values.length : 0;
  const cells = columns.map((c) => {
    if (c.values.length !== n_rows) throw new RangeError(`column ${c.name} has ${c.values.length} values, expected ${n_rows}`);
    const out = new Array<string>(n_rows);
    const vals = c.values;
    for (let i = 0; i < n_rows; i++) {
      const v = vals[i];
      out[i] = typeof v === 'string' ? v : formatNumber(v, c.decimals ?? 6);
    }
    return out;
  });
  return { name, columns: columns.map((c) => c.name), cells, n_rows, delimiter: ',' };
}
