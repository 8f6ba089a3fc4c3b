/**
 * The explore service in Node on the credit-card demo (8950 x 17, 300 missing MINIMUM_PAYMENTS, 1 missing CREDIT_LIMIT):
 * correlation matrices (Pearson / Spearman, original units / as clustered) with their clustered order, box statistics
 * over every row and per cluster, and errors for data it does not hold.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareTable } from '../../workers/services/data_service.ts';
import { ExploreService } from '../../workers/services/explore_service.ts';
import { builtinDataset } from '../../workers/engine/data/datasets.ts';
import { fitEstimator } from '../../workers/engine/cluster/estimators.ts';
import { pearson, spearman } from '../../workers/engine/data/explore.ts';
import type { PreparedInfo } from '../../src/jobs/protocol.ts';

let svc: ExploreService;
let p: PreparedInfo;

async function value<T>(o: Promise<{ ok: true; value: T } | { ok: false; error: any }>): Promise<T> {
  const r = await o;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Column j of the raw matrix, and the rows where both j and k are present. */
function pair(j: number, k: number): [number[], number[]] {
  const d = p.n_features;
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < p.n_samples; i++) {
    const a = p.raw[i * d + j];
    const b = p.raw[i * d + k];
    if (!Number.isNaN(a) && !Number.isNaN(b)) {
      x.push(a);
      y.push(b);
    }
  }
  return [x, y];
}

beforeAll(async () => {
  const table = builtinDataset('demo-credit-cards');
  const features = table.columns.filter((c) => c !== 'CUST_ID');
  p = await prepareTable(table, { features, impute: 'median', log1p: ['BALANCE', 'PURCHASES', 'CASH_ADVANCE', 'MINIMUM_PAYMENTS'], scaler: 'standard' });
  svc = new ExploreService();
  svc.setData({ key: p.key, X: p.X, raw: p.raw, n_samples: p.n_samples, n_features: p.n_features, features: p.spec.features });
});

describe('correlation', () => {
  it('answers a symmetric d x d matrix with 1 on the diagonal, equal to the pairwise Pearson r', async () => {
    const a = await value(svc.correlation(p.key, 'pearson', 'original'));
    const d = p.n_features;
    expect(a.features).toEqual(p.spec.features);
    expect(a.r.length).toBe(d * d);
    for (let j = 0; j < d; j++) {
      expect(a.r[j * d + j]).toBe(1);
      for (let k = 0; k < d; k++) expect(a.r[j * d + k]).toBe(a.r[k * d + j]);
    }
    const mp = p.spec.features.indexOf('MINIMUM_PAYMENTS');
    const bal = p.spec.features.indexOf('BALANCE');
    expect(a.n_pairs[mp * d + bal]).toBe(8950 - 300);
    expect(a.r[mp * d + bal]).toBeCloseTo(pearson(...pair(mp, bal)), 12);
    expect([...a.order].sort((x, y) => x - y)).toEqual(Array.from({ length: d }, (_, i) => i));
    expect(a.seconds).toBeLessThan(2);
  });

  it('Spearman differs from Pearson on skewed columns and equals Pearson of the ranks', async () => {
    const pe = await value(svc.correlation(p.key, 'pearson', 'original'));
    const sp = await value(svc.correlation(p.key, 'spearman', 'original'));
    const d = p.n_features;
    const j = p.spec.features.indexOf('PURCHASES');
    const k = p.spec.features.indexOf('PAYMENTS');
    expect(sp.r[j * d + k]).toBeCloseTo(spearman(...pair(j, k)), 12);
    let maxDiff = 0;
    for (let i = 0; i < d * d; i++) maxDiff = Math.max(maxDiff, Math.abs(sp.r[i] - pe.r[i]));
    expect(maxDiff).toBeGreaterThan(0.05);
  });

  it('as clustered: log1p changes Pearson (not Spearman, a monotone map) on the preprocessed values', async () => {
    const d = p.n_features;
    const j = p.spec.features.indexOf('BALANCE');
    const k = p.spec.features.indexOf('PURCHASES'); // both log1p, neither missing
    const po = await value(svc.correlation(p.key, 'pearson', 'original'));
    const pp = await value(svc.correlation(p.key, 'pearson', 'preprocessed'));
    const so = await value(svc.correlation(p.key, 'spearman', 'original'));
    const sp = await value(svc.correlation(p.key, 'spearman', 'preprocessed'));
    expect(Math.abs(po.r[j * d + k] - pp.r[j * d + k])).toBeGreaterThan(0.01);
    expect(sp.r[j * d + k]).toBeCloseTo(so.r[j * d + k], 10);
    expect(pp.n_pairs[0]).toBe(8950);
  });

  it('reports a bad method or values as a parameter error, and data it does not hold', async () => {
    const bad = await svc.correlation(p.key, 'kendall' as any, 'original');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ kind: 'parameter', field: 'method' });
    const other = await svc.correlation('nope', 'pearson', 'original');
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error.kind).toBe('data');
  });
});

describe('distributions', () => {
  it('one box per feature in original units, missing cells skipped', async () => {
    const a = await value(svc.distributions(p.key, null));
    expect(a.by_cluster).toBe(false);
    expect(a.features.map((f) => f.feature)).toEqual(p.spec.features);
    const mp = a.features.find((f) => f.feature === 'MINIMUM_PAYMENTS')!;
    expect(mp.n_missing).toBe(300);
    expect(mp.boxes.length).toBe(1);
    const b = mp.boxes[0];
    expect(b.n).toBe(8650);
    expect(b.q1).toBeLessThanOrEqual(b.median);
    expect(b.median).toBeLessThanOrEqual(b.q3);
    expect(b.lowerfence).toBeGreaterThanOrEqual(b.min);
    expect(b.upperfence).toBeLessThanOrEqual(b.max);
    expect(b.outliers.length).toBeLessThanOrEqual(100);
    // Money columns are right-skewed; log1p makes them much less so.
    const bal = a.features.find((f) => f.feature === 'BALANCE')!;
    expect(bal.skewness!).toBeGreaterThan(1);
    expect(Math.abs(bal.skewness_log1p!)).toBeLessThan(bal.skewness!);
    expect(a.seconds).toBeLessThan(2);
  });

  it('per cluster: one box per label, sizes adding up to the rows with a value', async () => {
    const r = fitEstimator({ data: p.X, n_samples: p.n_samples, n_features: p.n_features }, { name: 'KMeans', params: { n_clusters: 4, random_state: 0 } });
    const a = await value(svc.distributions(p.key, r.labels));
    expect(a.by_cluster).toBe(true);
    for (const f of a.features) {
      expect(f.boxes.map((b) => b.label)).toEqual([0, 1, 2, 3]);
      expect(f.boxes.reduce((s, b) => s + b.n, 0)).toBe(8950 - f.n_missing);
    }
    const bad = await svc.distributions(p.key, new Int32Array(3));
    expect(bad.ok).toBe(false);
  });
});
