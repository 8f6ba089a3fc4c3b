import { describe, it, expect } from 'vitest';
import { UMAP, fitUMAP } from '../../workers/engine/manifold/umap.ts';
import { neighborsOf as kNearestNeighbors } from '../../workers/engine/manifold/affinities.ts';
import { ParameterError, CancelledError } from '../../workers/engine/errors.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { HAVE_SHARED, oracle } from '../helpers/shared.ts';

function clusters(k: number, per: number, d: number, seed: number): { X: Matrix; labels: Int32Array } {
  const rs = new RandomState(seed);
  const n = k * per;
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = 8 * rs.normal();
  for (let i = 0; i < n; i++) {
    labels[i] = i % k;
    for (let f = 0; f < d; f++) data[i * d + f] = centres[(i % k) * d + f] + rs.normal();
  }
  return { X: { data, n_samples: n, n_features: d }, labels };
}

function knnLabelAgreement(Y: Float64Array, dim: number, labels: ArrayLike<number>, k = 10): number {
  const n = labels.length;
  const knn = kNearestNeighbors({ data: Y, n_samples: n, n_features: dim }, k);
  let same = 0;
  for (let i = 0; i < n; i++) for (let m = 0; m < k; m++) if (labels[knn.indices[i * k + m]] === labels[i]) same++;
  return same / (n * k);
}

describe('UMAP (umap-js wrapper)', () => {
  const { X, labels } = clusters(3, 40, 6, 3);

  it('gives the same embedding stepwise as fit for the same seed, and differs for another seed', () => {
    const params = { n_neighbors: 10, min_dist: 0.1, random_state: 42, n_epochs: 100 };
    const fit = fitUMAP(X, params);
    const u = new UMAP(X, params);
    const n = u.initializeFit();
    expect(n).toBe(100);
    for (let i = 0; i < n; i++) expect(u.step()).toBe(i + 1);
    expect(u.done).toBe(true);
    expect(u.embedding.length).toBe(X.n_samples * 2);
    expect(Array.from(u.embedding)).toEqual(Array.from(fit.embedding));
    const other = fitUMAP(X, { ...params, random_state: 43 });
    expect(Array.from(other.embedding)).not.toEqual(Array.from(fit.embedding));
  });

  it('keeps separated clusters apart, in 2-D and 3-D', () => {
    const r2 = fitUMAP(X, { n_neighbors: 10, random_state: 0 });
    expect(knnLabelAgreement(r2.embedding, 2, labels)).toBeGreaterThan(0.97);
    const r3 = fitUMAP(X, { n_neighbors: 10, n_components: 3, random_state: 0 });
    expect(r3.embedding.length).toBe(X.n_samples * 3);
    expect(knnLabelAgreement(r3.embedding, 3, labels)).toBeGreaterThan(0.97);
  });

  it('validates its parameters', () => {
    const cases: [object, string][] = [
      [{ n_neighbors: 1 }, 'n_neighbors'],
      [{ n_neighbors: 500 }, 'n_neighbors'],
      [{ min_dist: -0.1 }, 'min_dist'],
      [{ n_components: 0 }, 'n_components'],
      [{ metric: 'cosine' }, 'metric'],
      [{ n_epochs: 0 }, 'n_epochs'],
      [{ random_state: 'x' }, 'random_state'],
    ];
    for (const [params, param] of cases) {
      let err: unknown;
      try {
        new UMAP(X, params as any);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).param).toBe(param);
    }
  });

  it('stops when the signal is aborted', () => {
    const ac = new AbortController();
    const u = new UMAP(X, { n_neighbors: 10, random_state: 0 }, { signal: ac.signal });
    u.initializeFit();
    u.step();
    ac.abort();
    expect(() => u.step()).toThrow(CancelledError);
  });
});

describe.skipIf(!HAVE_SHARED)('UMAP on scikit-learn\'s toy blobs', () => {
  it('keeps the blobs apart (kNN label agreement > 0.95)', () => {
    const blobs = oracle('toy_shapes').datasets.find((s: any) => s.name === 'blobs');
    const n = blobs.X_std.length;
    const X = { data: Float64Array.from(blobs.X_std.flat()), n_samples: n, n_features: 2 };
    const r = fitUMAP(X, { n_neighbors: 15, random_state: 0 });
    expect(knnLabelAgreement(r.embedding, 2, blobs.y)).toBeGreaterThan(0.95);
  });
});
