// Generators run to the end at once (runSteps) or in slices that return to the event loop (driveSteps).
import { describe, expect, it } from 'vitest';
import { driveSteps, nextTask, runSteps, type Steps } from '../../workers/engine/util/steps.ts';
import { silhouetteScore, silhouetteScoreSteps } from '../../workers/engine/metrics/silhouette.ts';
import { clusterMetrics, clusterMetricsSteps } from '../../workers/engine/metrics/summary.ts';
import { EngineCache, fitEstimator, fitEstimatorSteps } from '../../workers/engine/cluster/estimators.ts';

/** n steps of about `ms` of busy work each; answers how many ran. */
function* busy(n: number, ms: number): Steps<number> {
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    while (performance.now() - t < ms);
    yield;
  }
  return n;
}

describe('runSteps / driveSteps', () => {
  it('runSteps runs every step and answers the return value', () => {
    expect(runSteps(busy(5, 0))).toBe(5);
  });

  it('driveSteps lets other tasks run between slices, and only after a slice of work', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      // 40 steps of 2 ms in slices of 10 ms: the event loop is reached about 8 times
      let seen = 0;
      const between = async () => {
        seen++;
        await nextTask();
        await new Promise((r) => setTimeout(r, 1));
      };
      expect(await driveSteps(busy(40, 2), { sliceMs: 10, between })).toBe(40);
      expect(seen).toBeGreaterThanOrEqual(5);
      expect(seen).toBeLessThanOrEqual(16);
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  });

  it('a `between` that throws ends the steps there', async () => {
    let ran = 0;
    function* counted(): Steps<string> {
      for (let i = 0; i < 100; i++) {
        ran++;
        yield;
      }
      return 'done';
    }
    await expect(driveSteps(counted(), { sliceMs: 0, between: async () => { if (ran >= 3) throw new Error('cancelled'); } })).rejects.toThrow('cancelled');
    expect(ran).toBe(3);
  });

  it('the silhouette and the metrics give the same numbers driven in slices as at once', async () => {
    const n = 600;
    const d = 3;
    const data = Float64Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.7) + ((i / d) | 0) % 3);
    const labels = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 && i % 7 === 0 ? -1 : i % 3));
    const X = { data, n_samples: n, n_features: d };
    const clean = labels.map((l) => (l < 0 ? 0 : l));
    expect(await driveSteps(silhouetteScoreSteps(X, clean, { metric: 'manhattan' }), { sliceMs: 0 })).toBe(silhouetteScore(X, clean, { metric: 'manhattan' }));
    const driven = await driveSteps(clusterMetricsSteps(X, labels, { sample_size: 200 }), { sliceMs: 0 });
    const once = clusterMetrics(X, labels, { sample_size: 200 });
    expect({ ...driven, seconds: 0 }).toEqual({ ...once, seconds: 0 });
  });

  it('K-Means in steps (one per Lloyd iteration) gives the same fit, and a cached fit comes back without steps', async () => {
    const n = 900;
    const d = 4;
    const data = Float64Array.from({ length: n * d }, (_, i) => Math.cos(i * 1.3) + 4 * (((i / d) | 0) % 5));
    const X = { data, n_samples: n, n_features: d };
    const est = { name: 'KMeans' as const, params: { n_clusters: 5, init: 'random', n_init: 3, random_state: 1 } };
    let steps = 0;
    const counted = function* <T>(g: Generator<void, T, void>): Generator<void, T, void> {
      for (;;) {
        const r = g.next();
        if (r.done) return r.value;
        steps++;
        yield;
      }
    };
    const cache = new EngineCache();
    const driven = await driveSteps(counted(fitEstimatorSteps(X, est, {}, cache, 'k')), { sliceMs: 0 });
    const once = fitEstimator(X, est);
    expect(steps).toBeGreaterThan(3);
    expect(driven.labels).toEqual(once.labels);
    expect(driven.inertia).toBe(once.inertia);
    steps = 0;
    expect(await driveSteps(counted(fitEstimatorSteps(X, est, {}, cache, 'k')), { sliceMs: 0 })).toBe(driven);
    expect(steps).toBe(0);
  });
});
