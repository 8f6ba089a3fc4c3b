/** Segment profiles: sizes, shares, means and medians in original units, z-scores, noise kept apart. */
import { describe, expect, it } from 'vitest';
import { profileSegments } from '../../workers/engine/segments/profiles.ts';
import { silhouetteGroups, thin } from '../../workers/engine/segments/silhouette_groups.ts';
import { silhouetteSamples } from '../../workers/engine/metrics/silhouette.ts';

const raw = {
  // BALANCE, FREQ (row-major), one missing BALANCE on row 3
  data: Float64Array.from([100, 0.1, 300, 0.2, 200, 0.9, NaN, 1.0, 1000, 0.5, 50, 0.0]),
  n_samples: 6,
  n_features: 2,
};
const labels = Int32Array.from([0, 0, 1, 1, -1, 0]);

describe('profileSegments', () => {
  const p = profileSegments(raw, labels, ['BALANCE', 'FREQ']);

  it('counts sizes and shares, noise apart', () => {
    expect(p.labels).toEqual([0, 1]);
    expect(p.sizes).toEqual([3, 2]);
    expect(p.shares[0]).toBeCloseTo(0.5, 12);
    expect(p.shares[1]).toBeCloseTo(1 / 3, 12);
    expect(p.noise?.size).toBe(1);
    expect(p.noise?.mean[0]).toBe(1000);
  });

  it('means and medians skip missing cells, in original units', () => {
    expect(p.mean[0]).toBeCloseTo(150, 12); // (100 + 300 + 50) / 3
    expect(p.median[0]).toBe(100);
    expect(p.mean[1]).toBeCloseTo(0.1, 12);
    expect(p.mean[2]).toBe(200); // segment 1 BALANCE: the missing cell is skipped
    expect(p.median[2]).toBe(200);
    expect(p.median[3]).toBeCloseTo(0.95, 12);
    expect(p.population.mean[0]).toBeCloseTo(330, 12); // (100 + 300 + 200 + 1000 + 50) / 5
    expect(p.population.median[0]).toBe(200);
  });

  it('z-scores are (segment mean - population mean) / population std', () => {
    const vals = [100, 300, 200, 1000, 50];
    const mu = 330;
    const sd = Math.sqrt(vals.reduce((a, v) => a + (v - mu) ** 2, 0) / vals.length);
    expect(p.population.std[0]).toBeCloseTo(sd, 9);
    expect(p.z[0]).toBeCloseTo((150 - mu) / sd, 9);
    expect(p.z[2]).toBeCloseTo((200 - mu) / sd, 9);
    expect(p.z[3]).toBeGreaterThan(1); // segment 1 is frequent
  });

  it('leaves out labels no row has (an empty Gaussian component)', () => {
    const q = profileSegments(raw, Int32Array.from([0, 0, 2, 2, 2, 0]), ['BALANCE', 'FREQ']);
    expect(q.labels).toEqual([0, 2]);
    expect(q.noise).toBeNull();
  });

  it('rejects labels of the wrong length', () => {
    expect(() => profileSegments(raw, Int32Array.from([0]), ['a', 'b'])).toThrow(/1 labels for 6 rows/);
  });
});

describe('silhouetteGroups', () => {
  it('groups scikit-learn silhouette values by cluster, sorted, noise left out', () => {
    const X = { data: Float64Array.from([0, 0.1, 0.2, 5, 5.1, 9, 20]), n_samples: 7, n_features: 1 };
    const l = Int32Array.from([0, 0, 0, 1, 1, 1, -1]);
    const g = silhouetteGroups(X, l);
    const clean = { data: X.data.subarray(0, 6), n_samples: 6, n_features: 1 };
    const s = silhouetteSamples(clean, l.subarray(0, 6));
    expect(g.n_noise_excluded).toBe(1);
    expect(g.sample_size).toBeNull();
    expect(g.groups.map((x) => x.label)).toEqual([0, 1]);
    expect(Array.from(g.groups[0].values)).toEqual(Array.from(s.subarray(0, 3)).sort((a, b) => b - a));
    expect(g.mean).toBeCloseTo(s.reduce((a, b) => a + b, 0) / 6, 12);
    expect(g.groups[1].mean).toBeCloseTo((s[3] + s[4] + s[5]) / 3, 12);
  });

  it('samples above exact_max and thins long clusters to max_points values', () => {
    const n = 300;
    const X = { data: Float64Array.from({ length: n }, (_, i) => (i % 2) * 10 + (i % 7) / 10), n_samples: n, n_features: 1 };
    const l = Int32Array.from({ length: n }, (_, i) => i % 2);
    const g = silhouetteGroups(X, l, { exact_max: 100, sample_size: 120, max_points: 20 });
    expect(g.sample_size).toBe(120);
    expect(g.groups.reduce((a, x) => a + x.size, 0)).toBe(120);
    expect(g.groups[0].values.length).toBe(20);
    const v = Float64Array.from([5, 4, 3, 2, 1]);
    expect(Array.from(thin(v, 3))).toEqual([5, 3, 1]);
  });
});
