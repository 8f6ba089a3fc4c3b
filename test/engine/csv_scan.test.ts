/**
 * The fast path of CSV reading (csv_scan.ts) against the general one: on generated files of every shape the scan
 * accepts, parseCsv gives the same cells as papaparse read row by row, and the same summaries and numbers as a table
 * whose columns are plain arrays (nothing remembered from the scan).
 */
import { describe, it, expect } from 'vitest';
import Papa from 'papaparse';
import { parseCsv, type RawTable } from '../../workers/engine/data/csv.ts';
import { scanPlainCsv } from '../../workers/engine/data/csv_scan.ts';
import { numericColumn, summarizeColumns } from '../../workers/engine/data/columns.ts';

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cells of every kind a numeric export holds, and the odd ones that make a column fall back to strings. */
const PLAIN = ['0', '12', '-5.6022', '+3', '.5', '3.', '007', '-0', '123456789012345', '1.00', '40000'];
const ODD = ['1e-3', ' 7', '8 ', 'NA', 'inf', 'abc', '-', '.', '1234567890123456', '0.1234567890123456', '.1234567890123456', '<b>x</b>', '1_000'];

function column(kind: 'plain' | 'missing' | 'odd' | 'digits' | 'padded', n: number, r: () => number): string[] {
  const width = 2 + Math.floor(r() * 4);
  const order = Array.from({ length: n }, (_, i) => i).sort(() => r() - 0.5);
  return Array.from({ length: n }, (_, i) => {
    if (kind === 'digits') return String(1000 + i);
    // zero-padded ids in no order, a few signed: identifier or not depends on the digits-only and leading-zero tests
    if (kind === 'padded') return (r() < 0.05 ? (r() < 0.5 ? '+' : '-') : '') + String(order[i] + 1).padStart(width, '0');
    if (kind === 'missing' && r() < 0.2) return '';
    if (kind === 'odd' && r() < 0.15) return ODD[Math.floor(r() * ODD.length)];
    return r() < 0.5 ? PLAIN[Math.floor(r() * PLAIN.length)] : (r() * 2000 - 1000).toFixed(Math.floor(r() * 6));
  });
}

function generated(seed: number): { text: string } {
  const r = rng(seed);
  const delimiter = [',', ';', '\t'][seed % 3];
  const d = 1 + Math.floor(r() * 5);
  const n = 1 + Math.floor(r() * 40);
  const kinds = ['plain', 'missing', 'odd', 'digits', 'padded'] as const;
  const cols = Array.from({ length: d }, () => column(kinds[Math.floor(r() * kinds.length)], n, r));
  const eol = seed % 2 === 0 ? '\n' : '\r\n';
  const lines = [Array.from({ length: d }, (_, j) => ` col ${j} `).join(delimiter)];
  for (let i = 0; i < n; i++) {
    if (r() < 0.1) lines.push(r() < 0.5 ? '' : '   ');
    // a row of empty cells only: a single empty cell is a blank line for one column, which both readers skip
    lines.push(cols.map((c) => c[i]).join(delimiter));
  }
  const end = r() < 0.5 ? eol : r() < 0.5 ? '' : eol + eol;
  return { text: (r() < 0.2 ? eol : '') + lines.join(eol) + end };
}

/** What papaparse reads, blank rows skipped, as columns of plain arrays. */
function byPapaparse(text: string, delimiter: string): { columns: string[]; cells: string[][] } {
  const rows = Papa.parse<string[]>(text, { delimiter, header: false, skipEmptyLines: false }).data.filter(
    (row) => !(row.length === 0 || (row.length === 1 && row[0].trim() === '')),
  );
  const [header, ...data] = rows;
  return { columns: header.map((c) => c.trim()), cells: header.map((_, j) => data.map((row) => row[j])) };
}

describe('parseCsv on a quote-free file (the scan) gives what papaparse gives', () => {
  it('the same cells, summaries and numbers on 300 generated files', () => {
    let scanned = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { text } = generated(seed);
      // the delimiter is guessed before either reader runs (a one-column file may guess another): both use the guess
      const t = parseCsv(text, 'g.csv');
      const delimiter = t.delimiter;
      const ref = byPapaparse(text, delimiter);
      if (scanPlainCsv(text, delimiter)) scanned++;
      expect(t.columns, `seed ${seed}`).toEqual(ref.columns);
      expect(t.n_rows, `seed ${seed}`).toBe(ref.cells[0].length);
      expect(t.cells.map((c) => [...c]), `seed ${seed}`).toEqual(ref.cells);

      const plain: RawTable = { name: 'g.csv', columns: ref.columns, cells: ref.cells, n_rows: ref.cells[0].length, delimiter };
      expect(summarizeColumns(t), `seed ${seed}`).toEqual(summarizeColumns(plain));
      for (const c of t.columns) {
        let a: Float64Array | string;
        let b: Float64Array | string;
        try {
          a = numericColumn(t, c);
        } catch (e) {
          a = String(e);
        }
        try {
          b = numericColumn(plain, c);
        } catch (e) {
          b = String(e);
        }
        expect(a, `seed ${seed} column ${c}`).toEqual(b);
      }
    }
    // nearly every generated file is of the scan's shape: the comparison is of the scan, not of the fallback
    expect(scanned).toBeGreaterThan(280);
  });

  it('falls back to papaparse for quotes, a lone CR and ragged rows, with the same messages as before', () => {
    expect(scanPlainCsv('a,b\n"1",2\n', ',')).toBeNull();
    expect(scanPlainCsv('a,b\r1,2\r', ',')).toBeNull();
    expect(scanPlainCsv('a,b\r\n1,2\n3,4\n', ',')).toBeNull();
    expect(scanPlainCsv('a,b\n1,2\n3\n', ',')).toBeNull();
    expect(scanPlainCsv('a,b\n1,2\n3,4,5\n', ',')).toBeNull();
    expect(() => parseCsv('a,b\n1,2\n3\n', 'r.csv')).toThrow(/line 3 has 1 field but the header has 2 columns/);
    expect(() => parseCsv('a,b\n1,2\n3,4,5\n', 'r.csv')).toThrow(/line 3 has 3 fields but the header has 2 columns/);
  });

  it("a numeric column's cells are made when read and behave as an array of strings", () => {
    const t = parseCsv('x,y\n1.50,a\n-2,b\n,c\n', 'l.csv');
    const col = t.cells[0];
    expect(col.length).toBe(3);
    expect(col[0]).toBe('1.50');
    expect(col[2]).toBe('');
    expect(col[3]).toBeUndefined();
    expect(Array.isArray(col)).toBe(true);
    expect([...col]).toEqual(['1.50', '-2', '']);
    expect(col.map((s) => s.length)).toEqual([4, 2, 0]);
    expect(JSON.stringify(col)).toBe('["1.50","-2",""]');
    expect(Object.keys(col)).toEqual(['0', '1', '2']);
    expect(1 in col).toBe(true);
    expect(numericColumn(t, 'x')).toEqual(new Float64Array([1.5, -2, NaN]));
  });
});
