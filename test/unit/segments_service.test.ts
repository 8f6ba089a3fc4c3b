/**
 * The segments service end to end in Node: profiles and names on the demo data, the CART job, and scoring new
 * customers with the fitted preprocessing and each estimator's own rule (a training row scores to its own label).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { prepareTable } from '../../workers/services/data_service.ts';
import { SegmentsService, type ScoringFit } from '../../workers/services/segments_service.ts';
import { builtinDataset } from '../../workers/engine/data/datasets.ts';
import { fitEstimator } from '../../workers/engine/cluster/estimators.ts';
import type { EstimatorConfig } from '../../workers/engine/config/config.ts';
import type { PreparedInfo } from '../../src/jobs/protocol.ts';

let svc: SegmentsService;
let p: PreparedInfo;
const mat = () => ({ data: p.X, n_samples: p.n_samples, n_features: p.n_features });

async function setup(id: string, log1p: string[] = []) {
  const table = builtinDataset(id);
  const features = table.columns.filter((c) => c !== 'CUST_ID' && c !== 'label' && c !== 'species');
  p = await prepareTable(table, { features, impute: 'median', log1p, scaler: 'standard' });
  svc = new SegmentsService();
  svc.setData({ key: p.key, X: p.X, raw: p.raw, n_samples: p.n_samples, n_features: p.n_features, features: p.spec.features, fitted: p.fitted });
  return table;
}

function fitOf(est: EstimatorConfig, id: string): ScoringFit & { labels: Int32Array } {
  const r = fitEstimator(mat(), est);
  return { id, estimator: est, labels: r.labels, model: r.model };
}

function rawRows(rows: number[]): Float64Array {
  const d = p.n_features;
  const out = new Float64Array(rows.length * d);
  rows.forEach((i, k) => out.set(p.raw.subarray(i * d, (i + 1) * d), k * d));
  return out;
}

async function value<T>(o: Promise<{ ok: true; value: T } | { ok: false; error: any }>): Promise<T> {
  const r = await o;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('on the credit-card demo (8950 x 17, missing cells, log1p on money columns)', () => {
  beforeAll(async () => {
    await setup('demo-credit-cards', ['BALANCE', 'PURCHASES', 'CASH_ADVANCE', 'CREDIT_LIMIT', 'PAYMENTS', 'MINIMUM_PAYMENTS']);
  });

  it('profiles and names the K-Means segments', async () => {
    const fit = fitOf({ name: 'KMeans', params: { n_clusters: 4, random_state: 0 } }, 'k4');
    const a = await value(svc.profile(p.key, fit.labels));
    expect(a.profile.labels).toEqual([0, 1, 2, 3]);
    expect(a.profile.sizes.reduce((x, y) => x + y, 0)).toBe(8950);
    expect(a.names.length).toBe(4);
    expect(new Set(a.names).size).toBe(4);
    for (const n of a.names) expect(n).toMatch(/^(very )?(high|low|frequent|rare|many|few|long|short|average)/i);
  });

  it('explains the segments with a shallow tree: accurate, fast, rules in original units', async () => {
    const fit = fitOf({ name: 'KMeans', params: { n_clusters: 4, random_state: 0 } }, 'k4');
    const t = await value(svc.tree(p.key, fit.labels, { max_depth: 3 }));
    expect(t.cv.scores.length).toBe(5);
    expect(t.cv.mean).toBeGreaterThan(0.8);
    expect(t.depth).toBeLessThanOrEqual(3);
    expect(t.fit_seconds).toBeLessThan(0.5);
    expect(t.feature_importances_.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // Thresholds are in original units: a money threshold is far above the scaled range.
    const j = p.spec.features.indexOf('CASH_ADVANCE');
    const thresholds = t.rules.flatMap((r) => r.conditions.filter((c) => c.feature === j).flatMap((c) => [c.lower, c.upper])).filter((v) => v !== null) as number[];
    if (thresholds.length) expect(Math.max(...thresholds)).toBeGreaterThan(10);
    expect(new Set(t.rules.map((r) => r.label)).size).toBeGreaterThanOrEqual(3);
  });

  it('K-Means: a training row scores to its own label, at its own place on the scatter', async () => {
    const fit = fitOf({ name: 'KMeans', params: { n_clusters: 4, random_state: 0 } }, 'k4');
    const rows = [0, 1, 2, 100, 4000, 8949];
    const s = await value(svc.score(p.key, fit, rawRows(rows), rows.length));
    expect(s.labels).toEqual(rows.map((i) => fit.labels[i]));
    rows.forEach((i, k) => {
      expect(s.coords[k][0]).toBeCloseTo(p.pca[i * 3], 9);
      expect(s.coords[k][1]).toBeCloseTo(p.pca[i * 3 + 1], 9);
      expect(s.X[k][0]).toBeCloseTo(p.X[i * p.n_features], 12);
      expect(s.distance![k]).toBeGreaterThan(0);
    });
    // Every training row, through the same path.
    const all = Array.from({ length: p.n_samples }, (_, i) => i);
    const s2 = await value(svc.score(p.key, fit, rawRows(all), all.length));
    expect(s2.labels).toEqual(Array.from(fit.labels));
  });

  it('GaussianMixture: a training row scores to its own label, with probabilities', async () => {
    const fit = fitOf({ name: 'GaussianMixture', params: { n_components: 3, covariance_type: 'diag', random_state: 0 } }, 'g3');
    const all = Array.from({ length: p.n_samples }, (_, i) => i);
    const s = await value(svc.score(p.key, fit, rawRows(all), all.length));
    expect(s.labels).toEqual(Array.from(fit.labels));
    expect(s.probabilities![0].length).toBe(3);
    expect(s.probabilities![0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(s.probabilities![0][s.labels[0]]).toBe(Math.max(...s.probabilities![0]));
  });

  it('a missing value is imputed as in training', async () => {
    const fit = fitOf({ name: 'KMeans', params: { n_clusters: 4, random_state: 0 } }, 'k4');
    const row = rawRows([5]);
    const j = p.spec.features.indexOf('MINIMUM_PAYMENTS');
    row[j] = NaN;
    const s = await value(svc.score(p.key, fit, row, 1));
    const filled = rawRows([5]);
    filled[j] = p.fitted.impute_values[j];
    const s2 = await value(svc.score(p.key, fit, filled, 1));
    expect(s.X[0]).toEqual(s2.X[0]);
  });
});

describe('on the blobs data set', () => {
  let table: ReturnType<typeof builtinDataset>;
  beforeAll(async () => {
    table = await setup('blobs');
  });

  it('DBSCAN: core points score to their cluster; a far-away customer is noise', async () => {
    const est: EstimatorConfig = { name: 'DBSCAN', params: { eps: 0.3, min_samples: 5, metric: 'euclidean' } };
    const fit = fitOf(est, 'db');
    const core: number[] = (fit.model as any).core_sample_indices;
    expect(core.length).toBeGreaterThan(10);
    const s = await value(svc.score(p.key, fit, rawRows(core), core.length));
    expect(s.labels).toEqual(core.map((i) => fit.labels[i]));
    expect(s.distance!.every((v) => v === 0)).toBe(true);
    expect(s.nearest_row).toEqual(core);
    const far = rawRows([core[0]]).map((v) => v * 1000 + 1e6);
    const s2 = await value(svc.score(p.key, fit, far, 1));
    expect(s2.labels).toEqual([-1]);
  });

  it('agglomerative: the nearest training row\'s cluster (and which row it is)', async () => {
    const fit = fitOf({ name: 'AgglomerativeClustering', params: { n_clusters: 3, linkage: 'ward' } }, 'ag');
    const rows = [3, 50, 120];
    const s = await value(svc.score(p.key, fit, rawRows(rows), rows.length));
    expect(s.labels).toEqual(rows.map((i) => fit.labels[i]));
    expect(s.nearest_row).toEqual(rows);
  });

  it('scores a CSV of new customers into a labelled CSV with names', async () => {
    const fit = fitOf({ name: 'KMeans', params: { n_clusters: 3, random_state: 0 } }, 'k3');
    const rows = Array.from({ length: 20 }, (_, i) => i * 7);
    const csv = Papa.unparse({ fields: ['note', ...p.spec.features], data: rows.map((i) => [`c${i}`, ...p.spec.features.map((c) => table.cells[table.columns.indexOf(c)][i])]) });
    const names = { 0: 'Alpha', 1: 'Beta', 2: 'Gamma' };
    const b = await value(svc.scoreCsv(p.key, fit, csv, 'new.csv', names));
    expect(b.n_rows).toBe(20);
    const out = Papa.parse<string[]>(b.csv.trim()).data;
    expect(out[0]).toEqual(['note', ...p.spec.features, 'cluster', 'cluster_name']);
    out.slice(1).forEach((r, k) => {
      expect(Number(r.at(-2))).toBe(fit.labels[rows[k]]);
      expect(r.at(-1)).toBe((names as any)[fit.labels[rows[k]]]);
    });
    const bad = await svc.scoreCsv(p.key, fit, 'a,b\n1,2\n', 'bad.csv', names);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/has no column/);
  });

  it('answers an error, not an exception, for data it does not hold', async () => {
    const r = await svc.profile('other', new Int32Array(3));
    expect(r.ok).toBe(false);
  });
});
