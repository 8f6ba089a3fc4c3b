import { describe, it, expect } from 'vitest';
import { parseCsv, type RawTable } from '../../workers/engine/data/csv.ts';
import { applyPreprocessing, fitPreprocessing, quantileSorted, rawMatrix, type Impute, type PreprocessingSpec, type Scaler } from '../../workers/engine/data/preprocess.ts';
import { defaultFeatures, summarizeColumns } from '../../workers/engine/data/columns.ts';
import { DataError } from '../../workers/engine/errors.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { HAVE_SHARED, ccStandardized, oracle, readSharedText, relClose } from '../helpers/shared.ts';
import { dataError } from '../helpers/errors.ts';

function spec(features: string[], over: Partial<PreprocessingSpec> = {}): PreprocessingSpec {
  return { features, impute: 'median', log1p: [], scaler: 'standard', ...over };
}

const small = parseCsv('id,a,b,c,k,t\nr1,1,10,,7,x\nr2,2,,5,7,y\nr3,3,30,1,7,z\nr4,10,40,3,7,w\n', 'small.csv');

describe('rawMatrix', () => {
  it('gives the chosen columns row-major with NaN for missing', () => {
    const m = rawMatrix(small, ['b', 'a']);
    expect(m.n_samples).toBe(4);
    expect(m.n_features).toBe(2);
    expect(Array.from(m.data.subarray(0, 4))).toEqual([10, 1, NaN, 2]);
  });
});

describe('fitPreprocessing on a small table', () => {
  it('median imputation, then population standardization', () => {
    const p = fitPreprocessing(small, spec(['a', 'b']));
    // b: median of 10, 30, 40 = 30
    expect(p.fitted.impute_values).toEqual([2.5, 30]);
    expect(p.n_imputed_cells).toBe(1);
    expect(p.missing_per_column).toEqual([0, 1]);
    const b = [10, 30, 30, 40];
    const mean = b.reduce((x, y) => x + y) / 4;
    const std = Math.sqrt(b.reduce((x, y) => x + (y - mean) ** 2, 0) / 4);
    expect(p.fitted.center[1]).toBeCloseTo(mean, 12);
    expect(p.fitted.scale[1]).toBeCloseTo(std, 12);
    expect(p.X.data[1 * 2 + 1]).toBeCloseTo((30 - mean) / std, 12);
    expect(Number.isNaN(p.raw.data[1 * 2 + 1])).toBe(true);
    expect(Array.from(p.row_index)).toEqual([0, 1, 2, 3]);
  });

  it('mean imputation', () => {
    const p = fitPreprocessing(small, spec(['c'], { impute: 'mean', scaler: 'none' }));
    expect(p.fitted.impute_values[0]).toBe(3);
    expect(Array.from(p.X.data)).toEqual([3, 5, 1, 3]);
  });

  it('drop removes rows with any missing feature and reports them', () => {
    const p = fitPreprocessing(small, spec(['a', 'b', 'c'], { impute: 'drop', scaler: 'none' }));
    expect(Array.from(p.row_index)).toEqual([2, 3]);
    expect(p.n_dropped_rows).toBe(2);
    expect(p.n_imputed_cells).toBe(0);
    expect(p.raw.n_samples).toBe(2);
    expect(Array.from(p.X.data)).toEqual([3, 30, 1, 10, 40, 3]);
    expect(p.missing_per_column).toEqual([0, 1, 1]);
  });

  it('minmax and robust scalers (numpy linear percentiles)', () => {
    const mm = fitPreprocessing(small, spec(['a'], { scaler: 'minmax' }));
    expect(mm.fitted.center).toEqual([1]);
    expect(mm.fitted.scale).toEqual([9]);
    expect(Array.from(mm.X.data)).toEqual([0, 1 / 9, 2 / 9, 1]);
    const rb = fitPreprocessing(small, spec(['a'], { scaler: 'robust' }));
    // a = 1, 2, 3, 10: median 2.5; q25 = 1 + 0.75 * 1 = 1.75; q75 = 3 + 0.25 * 7 = 4.75
    expect(rb.fitted.center).toEqual([2.5]);
    expect(rb.fitted.scale[0]).toBeCloseTo(3, 14);
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.25)).toBe(1.75);
    expect(quantileSorted(Float64Array.from([5]), 0.75)).toBe(5);
  });

  it('a constant column gets scale 1 with every scaler (no division by zero)', () => {
    for (const scaler of ['standard', 'minmax', 'robust', 'none'] as const) {
      const p = fitPreprocessing(small, spec(['k', 'a'], { scaler }));
      expect(p.fitted.scale[0]).toBe(1);
      for (let i = 0; i < 4; i++) expect(Number.isFinite(p.X.data[i * 2]) && p.X.data[i * 2] === (scaler === 'none' ? 7 : 0)).toBe(true);
    }
  });

  it('log1p after imputation, before scaling', () => {
    const p = fitPreprocessing(small, spec(['a', 'b'], { log1p: ['b'], scaler: 'none' }));
    expect(p.X.data[1]).toBeCloseTo(Math.log1p(10), 14);
    expect(p.X.data[3]).toBeCloseTo(Math.log1p(30), 14);
    expect(p.X.data[0]).toBe(1);
    expect(p.fitted.log1p).toEqual(['b']);
  });

  it('applyPreprocessing reproduces the training matrix and transforms new rows', () => {
    const p = fitPreprocessing(small, spec(['a', 'b', 'c'], { log1p: ['b'], scaler: 'robust' }));
    const again = applyPreprocessing(p.fitted, p.raw);
    for (let i = 0; i < again.data.length; i++) expect(again.data[i]).toBeCloseTo(p.X.data[i], 14);
    const fresh = applyPreprocessing(p.fitted, { data: Float64Array.from([NaN, 0, 2]), n_samples: 1, n_features: 3 });
    const f = p.fitted;
    expect(fresh.data[0]).toBeCloseTo((f.impute_values[0] - f.center[0]) / f.scale[0], 14);
    expect(fresh.data[1]).toBeCloseTo((Math.log1p(0) - f.center[1]) / f.scale[1], 14);
    expect(() => applyPreprocessing(p.fitted, { data: new Float64Array(2), n_samples: 1, n_features: 2 })).toThrow(DataError);
    expect(() => applyPreprocessing(p.fitted, { data: Float64Array.from([1, -2, 1]), n_samples: 1, n_features: 3 })).toThrow(/log1p needs values > -1/);
  });
});

/**
 * What fitPreprocessing learns, computed column by column as plainly as possible from the raw matrix (imputation
 * values, then center and scale of the imputed columns; one-hot columns are not scaled).
 */
function plainStatistics(raw: Matrix, impute: Impute, scaler: Scaler, oneHot: boolean[]): { impute_values: number[]; center: number[]; scale: number[] } {
  const { data, n_samples: m, n_features: d } = raw;
  const EPS = 2.220446049250313e-16;
  const column = (j: number) => Float64Array.from({ length: m }, (_, i) => data[i * d + j]);
  const sorted = (v: Float64Array) => Float64Array.from(v).sort();
  const median = (v: Float64Array) => {
    const s = sorted(v);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
  const impute_values: number[] = [];
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < d; j++) {
    const present = column(j).filter((v) => !Number.isNaN(v));
    impute_values.push(impute === 'mean' ? sum(present) / present.length : median(present));
    const x = column(j).map((v) => (Number.isNaN(v) ? impute_values[j] : v));
    let c = 0;
    let s = 1;
    if (oneHot[j] || scaler === 'none') {
      // not scaled
    } else if (scaler === 'standard') {
      c = sum(x) / m;
      const ss = sum(x.map((v) => (v - c) * (v - c)));
      const corr = sum(x.map((v) => v - c));
      const variance = Math.max(0, (ss - (corr * corr) / m) / m);
      s = variance <= m * EPS * variance + (m * c * EPS) ** 2 ? 1 : Math.sqrt(variance);
    } else if (scaler === 'minmax') {
      c = Math.min(...x);
      s = Math.max(...x) - c < 10 * EPS ? 1 : Math.max(...x) - c;
    } else {
      const q = sorted(x);
      c = median(x);
      const iqr = quantileSorted(q, 0.75) - quantileSorted(q, 0.25);
      s = iqr < 10 * EPS ? 1 : iqr;
    }
    center.push(c);
    scale.push(s);
  }
  return { impute_values, center, scale };
}

describe('fitPreprocessing on a larger table: the same statistics as computed column by column', () => {
  // 12,000 rows: above the size where the columns are radix sorted; missing cells, -0 and a one-hot column
  let seed = 5;
  const rand = () => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
  const lines = ['x,y,z,c'];
  for (let i = 0; i < 12000; i++) {
    const x = rand() < 0.04 ? 'NA' : ((rand() - 0.3) * 1000).toFixed(4);
    const y = ['-0', '0', '3', '-2.5', '1e-3'][Math.floor(rand() * 5)];
    const z = rand() < 0.01 ? '' : String(Math.floor(rand() * 50));
    const c = ['p', 'q', 'r', ''][Math.floor(rand() * 4)];
    lines.push([x, y, z, c].join(','));
  }
  const text = lines.join('\n');
  const oneHot = [false, false, false, true, true, true];

  it('for every imputation and scaler, with and without the column summaries computed first', () => {
    for (const summarized of [true, false]) {
      for (const impute of ['median', 'mean', 'drop'] as const) {
        for (const scaler of ['standard', 'minmax', 'robust', 'none'] as const) {
          const t = parseCsv(text, 'big.csv');
          if (summarized) summarizeColumns(t);
          const p = fitPreprocessing(t, spec(['x', 'y', 'z', 'c'], { impute, scaler, one_hot: ['c'] }));
          const want = plainStatistics(p.raw, impute, scaler, oneHot);
          const got = { impute_values: p.fitted.impute_values, center: p.fitted.center, scale: p.fitted.scale };
          expect({ summarized, impute, scaler, ...got }).toEqual({ summarized, impute, scaler, ...want });
        }
      }
    }
  });
});

describe('fitPreprocessing errors name the column', () => {
  it('no features', () => {
    const e = dataError(() => fitPreprocessing(small, spec([])));
    expect(e.field).toBe('features');
    expect(e.message).toMatch(/choose at least one/);
  });
  it('a text feature: first bad row and value', () => {
    const e = dataError(() => fitPreprocessing(small, spec(['a', 't'])));
    expect(e.field).toBe('t');
    expect(e.message).toMatch(/row 1 has the text "x"/);
    expect(dataError(() => fitPreprocessing(small, spec(['id']))).field).toBe('id');
  });
  it('Infinity and other non-finite values', () => {
    const t = parseCsv('a,b\n1,2\n2,-inf\n3,4\n', 'i.csv');
    const e = dataError(() => fitPreprocessing(t, spec(['a', 'b'])));
    expect(e.field).toBe('b');
    expect(e.message).toMatch(/not a finite number on row 2: "-inf"/);
  });
  it('NaN / NA / empty cells are missing, not errors', () => {
    const t = parseCsv('a,b\n1,NaN\n2,NA\n3,\n4,8\n', 'n.csv');
    const p = fitPreprocessing(t, spec(['a', 'b'], { scaler: 'none' }));
    expect(p.n_imputed_cells).toBe(3);
    expect(Array.from(p.X.data)).toEqual([1, 8, 2, 8, 3, 8, 4, 8]);
  });
  it('a feature column that is entirely missing', () => {
    const t = parseCsv('a,b\n1,\n2,NA\n', 'e.csv');
    const e = dataError(() => fitPreprocessing(t, spec(['a', 'b'])));
    expect(e.field).toBe('b');
    expect(e.message).toMatch(/every row is missing/);
  });
  it('all rows dropped', () => {
    const t = parseCsv('a,b\n1,\n,2\n', 'd.csv');
    const e = dataError(() => fitPreprocessing(t, spec(['a', 'b'], { impute: 'drop' })));
    expect(['a', 'b']).toContain(e.field);
    expect(e.message).toMatch(/leaves no rows/);
  });
  it('log1p of a value <= -1, and log1p of a column that is not a feature', () => {
    const t = parseCsv('a\n1\n-1\n', 'l.csv');
    const e = dataError(() => fitPreprocessing(t, spec(['a'], { log1p: ['a'] })));
    expect(e.field).toBe('a');
    expect(e.message).toMatch(/log1p needs values > -1.*row 2/);
    expect(dataError(() => fitPreprocessing(small, spec(['a'], { log1p: ['b'] }))).field).toBe('b');
  });
  it('unknown and duplicate columns', () => {
    expect(dataError(() => fitPreprocessing(small, spec(['zzz']))).field).toBe('zzz');
    expect(dataError(() => fitPreprocessing(small, spec(['a', 'a']))).field).toBe('a');
  });
});

describe.skipIf(!HAVE_SHARED)('fitPreprocessing matches scikit-learn on cc_general.csv', () => {
  let table: RawTable;
  const getTable = () => (table ??= parseCsv(readSharedText('data', 'cc_general.csv'), 'cc_general.csv'));

  it('median imputation + StandardScaler: medians, means, scales, first rows, column sums', () => {
    const o = oracle('cc_general').preprocessing;
    const t = getTable();
    const features = defaultFeatures(summarizeColumns(t));
    expect(features).toEqual(o.columns);
    const p = fitPreprocessing(t, spec(features));
    expect(p.X.n_samples).toBe(8950);
    expect(p.X.n_features).toBe(17);
    expect(p.n_imputed_cells).toBe(314);
    expect(p.missing_per_column).toEqual(o.columns.map((c: string) => o.missing_counts[c]));
    for (let j = 0; j < 17; j++) {
      expect(relClose(p.fitted.impute_values[j], o.medians[j], 1e-12) || (o.medians[j] === 0 && p.fitted.impute_values[j] === 0)).toBe(true);
      expect(relClose(p.fitted.center[j], o.means[j], 1e-9)).toBe(true);
      expect(relClose(p.fitted.scale[j], o.scales[j], 1e-9)).toBe(true);
    }
    o.first_rows_standardized.forEach((row: number[], i: number) => {
      row.forEach((v, j) => expect(Math.abs(p.X.data[i * 17 + j] - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
    });
    for (let j = 0; j < 17; j++) {
      let s = 0;
      for (let i = 0; i < 8950; i++) s += p.X.data[i * 17 + j];
      // the sums are round-off around 0 (|s| ~ 1e-12); compare absolutely
      expect(Math.abs(s - o.column_sums_standardized[j])).toBeLessThan(1e-9);
    }
    const ref = ccStandardized();
    let worst = 0;
    for (let k = 0; k < ref.data.length; k++) worst = Math.max(worst, Math.abs(ref.data[k] - p.X.data[k]) / Math.max(1, Math.abs(ref.data[k])));
    expect(worst).toBeLessThan(1e-9);
  });

  it('drop: 8950 rows minus the rows with a gap', () => {
    const t = getTable();
    const o = oracle('cc_general').preprocessing;
    const mp = t.cells[t.columns.indexOf('MINIMUM_PAYMENTS')];
    const cl = t.cells[t.columns.indexOf('CREDIT_LIMIT')];
    let gaps = 0;
    for (let i = 0; i < t.n_rows; i++) if (mp[i] === '' || cl[i] === '') gaps++;
    const p = fitPreprocessing(t, spec(o.columns, { impute: 'drop' }));
    expect(p.n_dropped_rows).toBe(gaps);
    expect(p.X.n_samples).toBe(8950 - gaps);
    expect(p.row_index.length).toBe(8950 - gaps);
    expect(p.n_imputed_cells).toBe(0);
  });

  it('log1p + robust scaling then applyPreprocessing round trip', () => {
    const t = getTable();
    const o = oracle('cc_general').preprocessing;
    const p = fitPreprocessing(t, spec(o.columns, { log1p: ['BALANCE', 'MINIMUM_PAYMENTS'], scaler: 'robust' }));
    const again = applyPreprocessing(p.fitted, p.raw);
    let worst = 0;
    for (let k = 0; k < again.data.length; k++) worst = Math.max(worst, Math.abs(again.data[k] - p.X.data[k]));
    expect(worst).toBe(0);
  });
});

describe.skipIf(!HAVE_SHARED)('fitPreprocessing on the other real files', () => {
  it('mall_customers.csv default features', () => {
    const t = parseCsv(readSharedText('data', 'mall_customers.csv'), 'mall_customers.csv');
    const p = fitPreprocessing(t, spec(defaultFeatures(summarizeColumns(t))));
    expect(p.X.n_samples).toBe(200);
    expect(p.X.n_features).toBe(3);
    expect(p.fitted.columns).toEqual(['Age', 'Annual Income (k$)', 'Spending Score (1-100)']);
    expect(dataError(() => fitPreprocessing(t, spec(['Genre']))).message).toMatch(/row 1 has the text "Male"/);
  });
  it('marketing_campaign.csv: 24 incomes imputed, constant columns keep scale 1', () => {
    const t = parseCsv(readSharedText('data', 'marketing_campaign.csv'), 'marketing_campaign.csv');
    const p = fitPreprocessing(t, spec(['Income', 'Z_CostContact', 'Z_Revenue', 'Recency']));
    expect(p.n_imputed_cells).toBe(24);
    expect(p.fitted.scale[1]).toBe(1);
    expect(p.fitted.scale[2]).toBe(1);
    expect(p.X.data.every((v) => Number.isFinite(v))).toBe(true);
    const d = fitPreprocessing(t, spec(['Income'], { impute: 'drop' }));
    expect(d.n_dropped_rows).toBe(24);
  });
});
