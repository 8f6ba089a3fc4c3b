import { describe, it, expect } from 'vitest';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { defaultFeatures, defaultLog1p, numericColumn, parseCell, summarizeColumns, type ColumnSummary } from '../../workers/engine/data/columns.ts';
import { DataError } from '../../workers/engine/errors.ts';
import { HAVE_SHARED, oracle, readSharedText } from '../helpers/shared.ts';

function byName(s: ColumnSummary[]): Record<string, ColumnSummary> {
  return Object.fromEntries(s.map((c) => [c.name, c]));
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.join(',')).join('\n');
}

describe('parseCell', () => {
  it('reads plain decimal and scientific numbers', () => {
    expect(parseCell('12')).toBe(12);
    expect(parseCell('-0.5')).toBe(-0.5);
    expect(parseCell('.25')).toBe(0.25);
    expect(parseCell('1e-3')).toBe(0.001);
    expect(parseCell('+4.')).toBe(4);
    expect(parseCell(' 7 ')).toBe(7);
  });
  it('treats empty, NA, NaN and null as missing', () => {
    for (const s of ['', '  ', 'NA', 'na', 'NaN', 'nan', 'null', 'NULL', 'N/A']) expect(Number.isNaN(parseCell(s))).toBe(true);
  });
  it('marks non-finite numbers and text', () => {
    for (const s of ['Infinity', '-inf', 'INF', '+infinity', '1e999']) expect(parseCell(s)).toBe(Infinity);
    for (const s of ['abc', '1,5', '12-03-2014', '0x10', '1 2', '$5']) expect(parseCell(s)).toBeUndefined();
  });
});

describe('numericColumn', () => {
  const t = parseCsv('a,b,c,d\n1,x,1,\n2.5,y,Infinity,NA\n,z,3,4\n', 't.csv');
  it('gives NaN where missing', () => {
    const a = numericColumn(t, 'a');
    expect(a[0]).toBe(1);
    expect(a[1]).toBe(2.5);
    expect(Number.isNaN(a[2])).toBe(true);
    const d = numericColumn(t, 'd');
    expect(Number.isNaN(d[0]) && Number.isNaN(d[1])).toBe(true);
    expect(d[2]).toBe(4);
  });
  it('names the column, row and value for text', () => {
    try {
      numericColumn(t, 'b');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).field).toBe('b');
      expect((e as DataError).message).toMatch(/column "b" is not numeric: row 1 has the text "x"/);
    }
  });
  it('names the column and row of a non-finite value', () => {
    expect(() => numericColumn(t, 'c')).toThrow(/column "c" has a value that is not a finite number on row 2: "Infinity"/);
  });
  it('rejects an unknown column', () => {
    expect(() => numericColumn(t, 'nope')).toThrow(DataError);
  });
  it('reports the first bad row, text or non-finite, and gives each caller its own copy (columns are parsed once)', () => {
    const u = parseCsv('e,f\n1,1\ninf,2\nx,3\n', 'u.csv');
    expect(() => numericColumn(u, 'e')).toThrow(/row 2: "inf"/);
    const v = parseCsv('e\n1\nx\n-inf\n', 'v.csv');
    expect(() => numericColumn(v, 'e')).toThrow(/row 2 has the text "x"/);
    const f1 = numericColumn(u, 'f');
    f1[0] = 99;
    expect(Array.from(numericColumn(u, 'f'))).toEqual([1, 2, 3]);
    // summaries read the same parsed column and agree with it
    const s = summarizeColumns(u);
    expect(s[0].n_non_numeric).toBe(2);
    expect(s[1]).toMatchObject({ kind: 'numeric', n_unique: 3, min: 1, median: 2, max: 3 });
  });
});

describe('summarizeColumns: kinds', () => {
  const n = 30;
  const rows: (string | number)[][] = [['CUST_ID', 'code', 'seq', 'num', 'cat', 'free', 'const', 'empty', 'mixed', 'inf', 'ID', 'paid']];
  for (let i = 0; i < n; i++) {
    rows.push([
      `C${1000 + i}`,
      String(i + 1).padStart(4, '0'),
      i + 1,
      ((i * 7) % 11) + 0.5,
      ['red', 'green', 'blue'][i % 3],
      `note ${i % 20}`,
      5,
      '',
      i === 3 ? 'oops' : i,
      i === 4 ? 'inf' : i % 5,
      (i * 37) % 101,
      (i * 37) % 101,
    ]);
  }
  const s = byName(summarizeColumns(parseCsv(csv(rows), 'k.csv')));

  it('recognises identifiers: unique text, zero-padded digits, sorted integers, ID-named unique integers', () => {
    expect(s.CUST_ID.kind).toBe('identifier');
    expect(s.code.kind).toBe('identifier');
    expect(s.seq.kind).toBe('identifier');
    expect(s.ID.kind).toBe('identifier');
    expect(s.paid.kind).toBe('numeric'); // same values, the name does not say id and they are not sorted
  });
  it('numeric, categorical, text, constant, empty', () => {
    expect(s.num.kind).toBe('numeric');
    expect(s.cat.kind).toBe('categorical');
    expect(s.cat.n_unique).toBe(3);
    expect(s.free.kind).toBe('text'); // 20 values but not < 50 % of 30 rows
    expect(s.const.kind).toBe('constant');
    expect(s.empty.kind).toBe('empty');
    expect(s.empty.n_missing).toBe(n);
  });
  it('counts non-numeric cells, and keeps a column with Infinity numeric but out of the defaults', () => {
    expect(s.mixed.kind).toBe('text');
    expect(s.mixed.n_non_numeric).toBe(1);
    expect(s.mixed.min).toBeNull();
    expect(s.inf.kind).toBe('numeric');
    expect(s.inf.n_non_numeric).toBe(1);
    expect(defaultFeatures(Object.values(s))).toEqual(['num', 'paid']);
  });
  it('example is the first non-missing cell as written', () => {
    expect(s.code.example).toBe('0001');
    expect(s.empty.example).toBe('');
  });
});

describe('summarizeColumns: statistics', () => {
  it('min, median, max, mean, sample std and adjusted skewness, ignoring missing cells', () => {
    const t = parseCsv('v\n1\n2\nNA\n3\n4\n100\n', 'v.csv');
    const [c] = summarizeColumns(t);
    const v = [1, 2, 3, 4, 100];
    const n = v.length;
    const mean = v.reduce((a, b) => a + b) / n;
    const m2 = v.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const m3 = v.reduce((a, b) => a + (b - mean) ** 3, 0) / n;
    const g1 = m3 / m2 ** 1.5;
    expect(c.n_missing).toBe(1);
    expect(c.min).toBe(1);
    expect(c.max).toBe(100);
    expect(c.median).toBe(3);
    expect(c.mean).toBeCloseTo(mean, 12);
    expect(c.std).toBeCloseTo(Math.sqrt((m2 * n) / (n - 1)), 12);
    expect(c.skewness).toBeCloseTo((g1 * Math.sqrt(n * (n - 1))) / (n - 2), 12);
    // pandas: pd.Series([1, 2, 3, 4, 100]).skew() = 2.2324...
    expect(c.skewness!).toBeGreaterThan(2.2);
    expect(c.skewness!).toBeLessThan(2.25);
  });
  it('median of an even count averages the middle pair', () => {
    const [c] = summarizeColumns(parseCsv('v\n4\n1\n3\n2\n', 'v.csv'));
    expect(c.median).toBe(2.5);
  });
  it('defaultLog1p suggests skewed non-negative columns with many values only', () => {
    const rows: (string | number)[][] = [['money', 'neg', 'flag', 'flat']];
    for (let i = 0; i < 200; i++) rows.push([Math.round(Math.exp(i / 20)), -Math.exp(i / 20), i % 40 === 0 ? 1 : 0, i]);
    const s = summarizeColumns(parseCsv(csv(rows), 'l.csv'));
    const m = byName(s);
    expect(m.money.skewness!).toBeGreaterThan(2);
    expect(m.flag.skewness!).toBeGreaterThan(2);
    expect(defaultLog1p(s)).toEqual(['money']);
  });
});

describe.skipIf(!HAVE_SHARED)('summarizeColumns on the real files', () => {
  it('cc_general.csv: CUST_ID identifier, the oracle 17 columns as default features, README skewness', () => {
    const s = summarizeColumns(parseCsv(readSharedText('data', 'cc_general.csv'), 'cc_general.csv'));
    const m = byName(s);
    expect(m.CUST_ID.kind).toBe('identifier');
    expect(defaultFeatures(s)).toEqual(oracle('cc_general').preprocessing.columns);
    expect(m.MINIMUM_PAYMENTS.n_missing).toBe(313);
    expect(m.CREDIT_LIMIT.n_missing).toBe(1);
    expect(m.TENURE.min).toBe(6);
    expect(m.TENURE.max).toBe(12);
    expect(m.MINIMUM_PAYMENTS.median).toBe(oracle('cc_general').preprocessing.medians[14]);
    // README: skewness MINIMUM_PAYMENTS 13.6, ONEOFF_PURCHASES 10.0, PURCHASES 8.1 (pandas)
    expect(m.MINIMUM_PAYMENTS.skewness!).toBeCloseTo(13.6, 1);
    expect(m.ONEOFF_PURCHASES.skewness!).toBeCloseTo(10.0, 1);
    expect(m.PURCHASES.skewness!).toBeCloseTo(8.1, 1);
    expect(defaultLog1p(s)).toContain('MINIMUM_PAYMENTS');
    expect(defaultLog1p(s)).not.toContain('TENURE');
  });

  it('mall_customers.csv: zero-padded CustomerID is an identifier, Genre categorical', () => {
    const s = summarizeColumns(parseCsv(readSharedText('data', 'mall_customers.csv'), 'mall_customers.csv'));
    const m = byName(s);
    expect(m.CustomerID.kind).toBe('identifier');
    expect(m.CustomerID.example).toBe('0001');
    expect(m.Genre.kind).toBe('categorical');
    expect(m.Genre.n_unique).toBe(2);
    expect(defaultFeatures(s)).toEqual(['Age', 'Annual Income (k$)', 'Spending Score (1-100)']);
  });

  it('marketing_campaign.csv: categorical, text, constant columns and 24 missing incomes', () => {
    const s = summarizeColumns(parseCsv(readSharedText('data', 'marketing_campaign.csv'), 'marketing_campaign.csv'));
    const m = byName(s);
    expect(m.ID.kind).toBe('identifier');
    expect(m.Education.kind).toBe('categorical');
    expect(m.Education.n_unique).toBe(5);
    expect(m.Marital_Status.kind).toBe('categorical');
    expect(m.Dt_Customer.kind).toBe('text');
    expect(m.Z_CostContact.kind).toBe('constant');
    expect(m.Z_Revenue.kind).toBe('constant');
    expect(m.Income.kind).toBe('numeric');
    expect(m.Income.n_missing).toBe(24);
    expect(m.Income.max).toBe(666666);
    expect(m.Year_Birth.min).toBe(1893);
    const f = defaultFeatures(s);
    for (const c of ['ID', 'Education', 'Marital_Status', 'Dt_Customer', 'Z_CostContact', 'Z_Revenue']) expect(f).not.toContain(c);
    expect(f).toContain('Income');
    expect(f.length).toBe(23);
  });
});
