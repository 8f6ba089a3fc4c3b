import { describe, it, expect } from 'vitest';
import { parseCsv } from '../../workers/engine/data/csv.ts';
import { columnMedian, defaultFeatures, defaultLog1p, numericColumn, parseCell, sortNumbers, summarizeColumns, type ColumnSummary } from '../../workers/engine/data/columns.ts';
import { DataError } from '../../workers/engine/errors.ts';
import { HAVE_SHARED, oracle, readSharedText } from '../helpers/shared.ts';

function byName(s: ColumnSummary[]): Record<string, ColumnSummary> {
  return Object.fromEntries(s.map((c) => [c.name, c]));
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.join(',')).join('\n');
}

/** A seeded generator in [0, 1) (mulberry32), so that the generated cases are the same on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** parseCell by the documented language alone: the regexes, and Number() for the value (parseCell before its fast path). */
function parseCellByRegex(s: string): number | undefined {
  if (s.length === 0) return NaN;
  if (/^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : Infinity;
  }
  const t = s.trim();
  if (t === '' || ['na', 'n/a', 'nan', 'null'].includes(t.toLowerCase())) return NaN;
  if (/^[+-]?(?:inf|infinity)$/i.test(t)) return Infinity;
  return undefined;
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
  it('keeps to the documented language at the edges of its fast path', () => {
    for (const s of ['0x10', '0X1f', '0b1', '0o7', '1_000', '.', '-', '+', '+-1', '--1', '1.2.3', '1e', 'e5', '1e5.5', '١٢']) expect(parseCell(s)).toBeUndefined();
    expect(parseCell('1e5')).toBe(100000);
    expect(parseCell('.5')).toBe(0.5);
    expect(parseCell('-0.5')).toBe(-0.5);
    expect(parseCell('5.')).toBe(5);
    expect(parseCell(' 12 ')).toBe(12);
    expect(parseCell('\t12')).toBe(12);
    expect(parseCell('0012')).toBe(12);
    expect(parseCell('+.5')).toBe(0.5);
    expect(Object.is(parseCell('-0'), -0)).toBe(true);
    expect(Object.is(parseCell('-0.000'), -0)).toBe(true);
    expect(parseCell('0.1')).toBe(0.1);
    expect(parseCell('123456789012345')).toBe(123456789012345);
    expect(parseCell('9007199254740993')).toBe(9007199254740992); // 16 digits: read by Number(), rounded to even
    expect(parseCell('0.30000000000000004')).toBe(0.1 + 0.2);
    for (const s of ['Infinity', '-inf', '1e999', '-1e400']) expect(parseCell(s)).toBe(Infinity);
    for (const s of ['', 'NA', 'nan', 'null']) expect(parseCell(s)).toBeNaN();
  });
  it('gives exactly what the regex and Number() give, for generated numbers and near-numbers', () => {
    const rand = seeded(7);
    const pick = (chars: string) => chars[Math.floor(rand() * chars.length)];
    const digits = (k: number) => Array.from({ length: k }, () => pick('0123456789')).join('');
    const cases: string[] = [];
    for (let i = 0; i < 20000; i++) {
      // a decimal: sign, up to 18 integer and fraction digits, sometimes an exponent or spaces
      let s = pick('  -+') + digits(Math.floor(rand() * 19));
      if (rand() < 0.7) s += '.' + digits(Math.floor(rand() * 19));
      if (rand() < 0.1) s += pick('eE') + pick(' -+') + digits(Math.floor(rand() * 4));
      if (rand() < 0.05) s = ' ' + s + ' ';
      cases.push(s.replace(/ /g, rand() < 0.5 ? '' : ' '));
      // and any short string of the characters that matter
      cases.push(Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick('0123456789.-+eExbo _')).join(''));
    }
    for (const s of cases) {
      const got = parseCell(s);
      const want = parseCellByRegex(s);
      if (!Object.is(got, want)) expect({ s, got }).toEqual({ s, got: want });
    }
  });
});

describe('sortNumbers', () => {
  const pool = [-0, 0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, 1, -1, 0.1, 2 ** 53, -(2 ** -1022)];
  function numbers(n: number, seed: number): Float64Array {
    const rand = seeded(seed);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rand();
      v[i] = r < 0.2 ? pool[Math.floor(rand() * pool.length)] : r < 0.5 ? Math.round((rand() - 0.5) * 100) : (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
    }
    return v;
  }
  it('sorts in place as Float64Array.prototype.sort does (-0 before +0), below and above the radix sort threshold', () => {
    for (const n of [0, 1, 2, 9999, 10000, 54321]) {
      const v = numbers(n, n);
      const want = v.slice().sort();
      expect(sortNumbers(v)).toBe(v);
      for (let i = 0; i < n; i++) if (!Object.is(v[i], want[i])) expect({ n, i, got: v[i] }).toEqual({ n, i, got: want[i] });
    }
  });
  it('sorts a view without touching the rest of its buffer', () => {
    const all = numbers(30001, 3);
    const before = all.slice();
    const view = all.subarray(7, 25007);
    const want = view.slice().sort();
    sortNumbers(view);
    expect(Array.from(view)).toEqual(Array.from(want));
    expect(Array.from(all.subarray(0, 7))).toEqual(Array.from(before.subarray(0, 7)));
    expect(Array.from(all.subarray(25007))).toEqual(Array.from(before.subarray(25007)));
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
  it('reports the first bad row, text or non-finite, and parses a column once (every caller gets the same array)', () => {
    const u = parseCsv('e,f\n1,1\ninf,2\nx,3\n', 'u.csv');
    expect(() => numericColumn(u, 'e')).toThrow(/row 2: "inf"/);
    const v = parseCsv('e\n1\nx\n-inf\n', 'v.csv');
    expect(() => numericColumn(v, 'e')).toThrow(/row 2 has the text "x"/);
    const f1 = numericColumn(u, 'f');
    expect(numericColumn(u, 'f')).toBe(f1);
    expect(Array.from(f1)).toEqual([1, 2, 3]);
    // summaries read the same parsed column and agree with it
    const s = summarizeColumns(u);
    expect(s[0].n_non_numeric).toBe(2);
    expect(s[1]).toMatchObject({ kind: 'numeric', n_unique: 3, min: 1, median: 2, max: 3 });
  });
});

describe('columnMedian', () => {
  // above sortNumbers' radix sort threshold, with missing and non-finite cells
  const rand = seeded(11);
  const rows: string[] = ['v,w'];
  for (let i = 0; i < 12001; i++) rows.push(`${rand() < 0.05 ? 'NA' : rand() < 0.01 ? 'inf' : (rand() * 100 - 50).toFixed(3)},${i % 7 === 0 ? '' : i % 3}`);
  const text = rows.join('\n');
  function plainMedian(values: number[]): number {
    const s = values.filter(Number.isFinite).sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  }
  it('is the median of the finite numbers, kept from the summary or computed without one', () => {
    const summarized = parseCsv(text, 's.csv');
    const s = byName(summarizeColumns(summarized));
    const fresh = parseCsv(text, 'f.csv');
    for (const name of ['v', 'w']) {
      const want = plainMedian(rows.slice(1).map((r) => Number(r.split(',')[name === 'v' ? 0 : 1] || NaN)));
      expect(s[name].median).toBe(want);
      expect(columnMedian(summarized, name)).toBe(want);
      expect(columnMedian(fresh, name)).toBe(want);
    }
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
