/**
 * The slider lookahead's pieces in Node: the grid of values a range input takes (decimal, as the browser computes it),
 * the parameter a table is made along, and the cluster service's fitSeries (each value's answer equals a fit of the
 * estimator at that value; the worker stops after its time budget, at least one value done).
 */
import { describe, expect, it } from 'vitest';
import { sliderValues, sliderBounds, CONTROLS } from '../../src/state/controls.ts';
import { sliderParam } from '../../src/state/lookahead.svelte.ts';
import { ClusterService } from '../../workers/services/cluster_service.ts';
import { fitEstimator } from '../../workers/engine/cluster/estimators.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { EstimatorConfig } from '../../workers/engine/config/config.ts';

function blobs(n: number, d: number, seed: number) {
  const rs = new RandomState(seed);
  const c = Array.from({ length: 4 }, () => Array.from({ length: d }, () => rs.normal() * 4));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) data[i * d + f] = c[i % 4][f] + rs.normal() * (0.5 + (i % 3) * 0.3);
  return { data, n_samples: n, n_features: d };
}

describe('sliderValues', () => {
  it('gives min + i * step in decimal, up to max', () => {
    const v = sliderValues({ min: 0.14, max: 5.38, step: 0.02 })!;
    expect(v.length).toBe(263);
    expect(v[0]).toBe(0.14);
    expect(v[3]).toBe(0.2); // not 0.19999999999999998
    expect(v[262]).toBe(5.38);
    expect(v.every((x) => String(x).length <= 4)).toBe(true);
    expect(sliderValues({ min: 0.05, max: 0.2, step: 0.01 })![7]).toBe(0.12); // 0.05 + 0.07 in binary is 0.12000000000000001
  });
  it('keeps a current value with more decimals than the step as the base, as a range input does', () => {
    const v = sliderValues({ min: 0.123, max: 1, step: 0.05 })!;
    expect(v[1]).toBe(0.173);
    expect(v[v.length - 1]).toBeLessThanOrEqual(1);
  });
  it('integer sliders and refusals', () => {
    expect(sliderValues(sliderBounds(CONTROLS.KMeans[0], 8950)!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(sliderValues({ min: 0, max: 1, step: 0 })).toBeNull();
    expect(sliderValues({ min: 0, max: 1000, step: 0.01 })).toBeNull(); // more than 5000 steps: no table
  });
});

describe('sliderParam', () => {
  it('is the parameter each algorithm slides', () => {
    expect(sliderParam({ name: 'DBSCAN', params: { eps: 1, min_samples: 5 } })).toBe('eps');
    expect(sliderParam({ name: 'KMeans', params: { n_clusters: 3 } })).toBe('n_clusters');
    expect(sliderParam({ name: 'GaussianMixture', params: { n_components: 3 } })).toBe('n_components');
    expect(sliderParam({ name: 'AgglomerativeClustering', params: { n_clusters: 3, distance_threshold: null } })).toBe('n_clusters');
    expect(sliderParam({ name: 'AgglomerativeClustering', params: { n_clusters: null, distance_threshold: 2 } })).toBe('distance_threshold');
  });
});

describe('ClusterService.fitSeries', () => {
  const X = blobs(500, 5, 11);
  const cases: [EstimatorConfig, string, number[]][] = [
    [{ name: 'DBSCAN', params: { eps: 1, min_samples: 5, metric: 'euclidean' } }, 'eps', [0.6, 0.8, 1.2, 1.6, 2.4]],
    [{ name: 'AgglomerativeClustering', params: { n_clusters: 2, distance_threshold: null, linkage: 'ward', metric: 'euclidean' } }, 'n_clusters', [2, 3, 4, 7]],
    [{ name: 'KMeans', params: { n_clusters: 2, init: 'k-means++', n_init: 'auto', random_state: 0 } }, 'n_clusters', [3, 4, 5]],
  ];
  for (const [est, param, values] of cases) {
    it(`${est.name}: each value's labels and counts equal a fit at that value`, async () => {
      const s = new ClusterService();
      s.setData('k', X.data.slice(), X.n_samples, X.n_features);
      const o = await s.fitSeries({ key: 'k', estimator: est }, param, values, 60_000);
      expect(o.ok).toBe(true);
      if (!o.ok) return;
      const a = o.value;
      expect(a.values).toEqual(values);
      expect(a.labels.length).toBe(values.length * X.n_samples);
      values.forEach((v, i) => {
        const direct = fitEstimator(X, { name: est.name, params: { ...est.params, [param]: v } });
        expect(Array.from(a.labels.subarray(i * X.n_samples, (i + 1) * X.n_samples))).toEqual(Array.from(direct.labels));
        expect(a.results[i].n_clusters).toBe(direct.n_clusters);
        expect(a.results[i].n_noise).toBe(direct.n_noise);
        expect(a.results[i].model).toEqual(direct.model);
      });
    });
  }
  it('stops after its time budget with at least one value', async () => {
    const s = new ClusterService();
    s.setData('k', X.data.slice(), X.n_samples, X.n_features);
    const est: EstimatorConfig = { name: 'KMeans', params: { n_clusters: 2, init: 'k-means++', n_init: 10, random_state: 0 } };
    const o = await s.fitSeries({ key: 'k', estimator: est }, 'n_clusters', [3, 4, 5, 6, 7, 8, 9, 10], 0);
    expect(o.ok && o.value.values).toEqual([3]);
  });
  it('a bad value answers the parameter error', async () => {
    const s = new ClusterService();
    s.setData('k', X.data.slice(), X.n_samples, X.n_features);
    const o = await s.fitSeries({ key: 'k', estimator: { name: 'DBSCAN', params: { eps: 1, min_samples: 5 } } }, 'eps', [-1], 10);
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error.field).toBe('eps');
  });
});
