import { describe, it, expect } from 'vitest';
import { BUILTIN_DATASETS, builtinDataset } from '../../workers/engine/data/datasets.ts';
import { CC_COLUMNS, DEMO_SEGMENTS, makeDemoCreditCards } from '../../workers/engine/data/demo_credit_cards.ts';
import { toyPoints } from '../../workers/engine/data/toy_shapes.ts';
import { defaultFeatures, defaultLog1p, numericColumn, summarizeColumns } from '../../workers/engine/data/columns.ts';
import { fitPreprocessing } from '../../workers/engine/data/preprocess.ts';
import { DataError } from '../../workers/engine/errors.ts';
import { HAVE_SHARED, oracle } from '../helpers/shared.ts';

/** The 17 numeric columns of CC GENERAL, in file order (../shared/data/README.md). */
const CC_GENERAL_COLUMNS = [
  'BALANCE', 'BALANCE_FREQUENCY', 'PURCHASES', 'ONEOFF_PURCHASES', 'INSTALLMENTS_PURCHASES', 'CASH_ADVANCE',
  'PURCHASES_FREQUENCY', 'ONEOFF_PURCHASES_FREQUENCY', 'PURCHASES_INSTALLMENTS_FREQUENCY', 'CASH_ADVANCE_FREQUENCY',
  'CASH_ADVANCE_TRX', 'PURCHASES_TRX', 'CREDIT_LIMIT', 'PAYMENTS', 'MINIMUM_PAYMENTS', 'PRC_FULL_PAYMENT', 'TENURE',
];

describe('built-in data sets', () => {
  it('lists the expected ids, demo first', () => {
    expect(BUILTIN_DATASETS.map((d) => d.id)).toEqual(['demo-credit-cards', 'circles', 'moons', 'varied', 'aniso', 'blobs', 'no-structure', 'iris']);
    for (const d of BUILTIN_DATASETS) {
      expect(d.name.length).toBeGreaterThan(0);
      expect(d.description.length).toBeGreaterThan(10);
    }
    expect(BUILTIN_DATASETS[0].name).toBe('Synthetic demo - credit-card customers');
    expect(BUILTIN_DATASETS.find((d) => d.id === 'iris')!.synthetic).toBe(false);
  });

  it('builtinDataset throws DataError for an unknown id', () => {
    expect(() => builtinDataset('nope')).toThrow(DataError);
    expect(() => builtinDataset('nope')).toThrow(/unknown built-in data set "nope"/);
  });

  it('every set parses to numeric default features and preprocesses', () => {
    for (const d of BUILTIN_DATASETS) {
      const t = builtinDataset(d.id);
      const s = summarizeColumns(t);
      const f = defaultFeatures(s);
      expect(f.length).toBeGreaterThan(1);
      const p = fitPreprocessing(t, { features: f, impute: 'median', log1p: [], scaler: 'standard' });
      expect(p.X.data.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('demo-credit-cards', () => {
  const t0 = performance.now();
  const demo = makeDemoCreditCards();
  const ms = performance.now() - t0;
  const t = demo.table;
  const col = (name: string) => numericColumn(t, name);

  it('has CUST_ID and the 17 CC GENERAL columns in order, 8950 rows', () => {
    expect(t.columns).toEqual(['CUST_ID', ...CC_GENERAL_COLUMNS]);
    expect([...CC_COLUMNS]).toEqual(CC_GENERAL_COLUMNS);
    expect(t.n_rows).toBe(8950);
    expect(t.cells[0][0]).toBe('C10001');
    const s = summarizeColumns(t);
    expect(s[0].kind).toBe('identifier');
    expect(defaultFeatures(s)).toEqual(CC_GENERAL_COLUMNS);
  });

  it.skipIf(!HAVE_SHARED)('uses the same column names as the real file', () => {
    expect(t.columns.slice(1)).toEqual(oracle('cc_general').preprocessing.columns);
  });

  it('is deterministic and fast', () => {
    const again = builtinDataset('demo-credit-cards');
    expect(again.cells).toEqual(t.cells);
    expect(makeDemoCreditCards(7).table.cells).not.toEqual(t.cells);
    // the target is < 200 ms; a loose bound keeps a busy machine from failing the test
    expect(ms).toBeLessThan(1500);
  });

  it('has 300 missing MINIMUM_PAYMENTS and 1 missing CREDIT_LIMIT, nothing else missing', () => {
    const s = summarizeColumns(t);
    for (const c of s) {
      const expected = c.name === 'MINIMUM_PAYMENTS' ? 300 : c.name === 'CREDIT_LIMIT' ? 1 : 0;
      expect(c.n_missing).toBe(expected);
      expect(c.n_non_numeric).toBe(c.name === 'CUST_ID' ? 8950 : 0);
    }
  });

  it('frequencies lie in [0, 1]; TENURE is an integer 6..12, mostly 12; counts are integers', () => {
    for (const name of ['BALANCE_FREQUENCY', 'PURCHASES_FREQUENCY', 'ONEOFF_PURCHASES_FREQUENCY', 'PURCHASES_INSTALLMENTS_FREQUENCY', 'CASH_ADVANCE_FREQUENCY', 'PRC_FULL_PAYMENT']) {
      expect(col(name).every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    const tenure = col('TENURE');
    expect(tenure.every((v) => Number.isInteger(v) && v >= 6 && v <= 12)).toBe(true);
    const twelve = tenure.filter((v) => v === 12).length;
    expect(twelve / 8950).toBeGreaterThan(0.75);
    expect(twelve).toBeLessThan(8950);
    for (const name of ['CASH_ADVANCE_TRX', 'PURCHASES_TRX']) expect(col(name).every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
  });

  it('money columns are non-negative and right-skewed; purchases add up', () => {
    const s = Object.fromEntries(summarizeColumns(t).map((c) => [c.name, c]));
    for (const name of ['BALANCE', 'PURCHASES', 'ONEOFF_PURCHASES', 'INSTALLMENTS_PURCHASES', 'CASH_ADVANCE', 'PAYMENTS', 'MINIMUM_PAYMENTS']) {
      expect(s[name].min!).toBeGreaterThanOrEqual(0);
      expect(s[name].skewness!).toBeGreaterThan(2);
      expect(s[name].mean!).toBeGreaterThan(s[name].median!);
    }
    expect(defaultLog1p(summarizeColumns(t))).toContain('PURCHASES');
    const p = col('PURCHASES');
    const o = col('ONEOFF_PURCHASES');
    const i = col('INSTALLMENTS_PURCHASES');
    for (let r = 0; r < 8950; r++) expect(Math.abs(p[r] - o[r] - i[r])).toBeLessThan(0.011);
  });

  it('numbers are written with at most 6 decimals', () => {
    for (let j = 1; j < t.columns.length; j++) {
      for (const cell of t.cells[j]) expect(/^-?\d+(\.\d{1,6})?$/.test(cell) || cell === '').toBe(true);
    }
  });

  it('segments behave differently (revolvers carry cash advance, transactors pay in full)', () => {
    const meanBy = (name: string) => {
      const v = col(name);
      const sum = new Float64Array(DEMO_SEGMENTS.length);
      const cnt = new Float64Array(DEMO_SEGMENTS.length);
      for (let r = 0; r < v.length; r++) {
        if (Number.isNaN(v[r])) continue;
        sum[demo.segment[r]] += v[r];
        cnt[demo.segment[r]]++;
      }
      return Array.from(sum, (s, k) => s / cnt[k]);
    };
    const argmax = (a: number[]) => a.indexOf(Math.max(...a));
    expect(DEMO_SEGMENTS[argmax(meanBy('CASH_ADVANCE'))]).toBe('revolver');
    expect(DEMO_SEGMENTS[argmax(meanBy('PRC_FULL_PAYMENT'))]).toBe('transactor');
    expect(DEMO_SEGMENTS[argmax(meanBy('PURCHASES_INSTALLMENTS_FREQUENCY'))]).toMatch(/instalment|premium/);
    expect(DEMO_SEGMENTS[argmax(meanBy('CREDIT_LIMIT'))]).toBe('premium');
    const counts = new Array(DEMO_SEGMENTS.length).fill(0);
    for (const s of demo.segment) counts[s]++;
    expect(Math.min(...counts)).toBeGreaterThan(500);
  });
});

describe('toy shapes', () => {
  it('each has 500 rows and only the columns x, y; deterministic', () => {
    for (const id of ['circles', 'moons', 'varied', 'aniso', 'blobs', 'no-structure']) {
      const t = builtinDataset(id);
      expect(t.columns).toEqual(['x', 'y']);
      expect(t.n_rows).toBe(500);
      expect(builtinDataset(id).cells).toEqual(t.cells);
    }
  });

  it('circles lie near radius 1 and 0.5, 250 each', () => {
    const p = toyPoints('circles');
    let outer = 0;
    for (let i = 0; i < 500; i++) {
      const r = Math.hypot(p.x[i], p.y[i]);
      if (p.truth[i] === 0) {
        outer++;
        expect(Math.abs(r - 1)).toBeLessThan(0.3);
      } else expect(Math.abs(r - 0.5)).toBeLessThan(0.3);
    }
    expect(outer).toBe(250);
  });

  it('moons: the upper moon above the lower one on average', () => {
    const p = toyPoints('moons');
    let y0 = 0;
    let y1 = 0;
    for (let i = 0; i < 500; i++) (p.truth[i] === 0 ? (y0 += p.y[i]) : (y1 += p.y[i]));
    expect(y0 / 250).toBeGreaterThan(0.4);
    expect(y1 / 250).toBeLessThan(0);
  });

  it('varied blobs have standard deviations near 1.0, 2.5 and 0.5', () => {
    const p = toyPoints('varied');
    const want = [1.0, 2.5, 0.5];
    for (let c = 0; c < 3; c++) {
      const xs: number[] = [];
      for (let i = 0; i < 500; i++) if (p.truth[i] === c) xs.push(p.x[i]);
      const m = xs.reduce((a, b) => a + b) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
      expect(Math.abs(sd - want[c]) / want[c]).toBeLessThan(0.25);
    }
  });

  it('no-structure is uniform in the unit square', () => {
    const p = toyPoints('no-structure');
    expect(p.x.every((v) => v >= 0 && v < 1) && p.y.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('iris', () => {
  it('150 rows, 4 numeric measurement columns and a categorical species', () => {
    const t = builtinDataset('iris');
    expect(t.n_rows).toBe(150);
    const s = summarizeColumns(t);
    expect(s.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'categorical']);
    expect(s[4].n_unique).toBe(3);
    expect(t.cells[4].filter((v) => v === 'setosa').length).toBe(50);
    expect(t.cells[0][0]).toBe('5.1');
    expect(defaultFeatures(s).length).toBe(4);
  });
});
