import { describe, it, expect } from 'vitest';
import { TSNE, fitTSNE } from '../../workers/engine/manifold/tsne.ts';
import {
  binarySearchPerplexity,
  jointProbabilitiesNN,
  symmetrizeJoint,
  tsneNeighbors,
  type CSR,
} from '../../workers/engine/manifold/affinities.ts';
import { neighborsOf as kNearestNeighbors } from '../../workers/engine/manifold/affinities.ts';
import { bhGradient, gradientWork } from '../../workers/engine/manifold/space_tree.ts';
import { trustworthiness } from '../../workers/engine/metrics/trustworthiness.ts';
import { CancelledError, ParameterError, DataError } from '../../workers/engine/errors.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { HAVE_SHARED, oracle, ccStandardized } from '../helpers/shared.ts';
// @ts-expect-error tsne-js ships no types
import TsneJs from 'tsne-js';

/** Gaussian clusters: `k` centres 8 apart in d dimensions, `per` points each. */
function clusters(k: number, per: number, d: number, seed: number): { X: Matrix; labels: Int32Array } {
  const rs = new RandomState(seed);
  const n = k * per;
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  const centres = new Float64Array(k * d);
  for (let i = 0; i < centres.length; i++) centres[i] = 8 * rs.normal();
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = c;
    for (let f = 0; f < d; f++) data[i * d + f] = centres[c * d + f] + rs.normal();
  }
  return { X: { data, n_samples: n, n_features: d }, labels };
}

/** Share of each point's `k` nearest embedded neighbours that carry its label. */
function knnLabelAgreement(Y: Float64Array, dim: number, labels: ArrayLike<number>, k = 10): number {
  const n = labels.length;
  const knn = kNearestNeighbors({ data: Y, n_samples: n, n_features: dim }, k);
  let same = 0;
  for (let i = 0; i < n; i++) for (let m = 0; m < k; m++) if (labels[knn.indices[i * k + m]] === labels[i]) same++;
  return same / (n * k);
}

function dense(P: CSR): Float64Array {
  const D = new Float64Array(P.n * P.n);
  for (let i = 0; i < P.n; i++) for (let m = P.indptr[i]; m < P.indptr[i + 1]; m++) D[i * P.n + P.indices[m]] = P.data[m];
  return D;
}

/** scikit-learn's exact `_kl_divergence` (dense), as a reference for the Barnes-Hut gradient. */
function exactGradient(P: CSR, Y: Float64Array, dim: number): { kl: number; grad: Float64Array } {
  const n = P.n;
  const dof = Math.max(dim - 1, 1);
  const Pd = dense(P);
  const W = new Float64Array(n * n);
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let d2 = 0;
      for (let a = 0; a < dim; a++) d2 += (Y[i * dim + a] - Y[j * dim + a]) ** 2;
      const w = Math.pow(1 + d2 / dof, -(dof + 1) / 2);
      W[i * n + j] = w;
      sumW += w;
    }
  }
  const grad = new Float64Array(n * dim);
  let kl = 0;
  const c = (2 * (dof + 1)) / dof;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const p = Pd[i * n + j];
      const q = W[i * n + j] / sumW;
      if (p > 0) kl += p * Math.log(p / q);
      const f = (p - q) * W[i * n + j];
      for (let a = 0; a < dim; a++) grad[i * dim + a] += c * f * (Y[i * dim + a] - Y[j * dim + a]);
    }
  }
  return { kl, grad };
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / scale;
}

describe('t-SNE affinities', () => {
  const { X } = clusters(3, 60, 5, 1);
  const n = X.n_samples;

  it('finds each row\'s precision so that its entropy is log(perplexity)', () => {
    for (const perplexity of [5, 30]) {
      const k = tsneNeighbors(n, perplexity);
      expect(k).toBe(Math.min(n - 1, Math.floor(3 * perplexity + 1)));
      const knn = kNearestNeighbors(X, k);
      const betas = new Float64Array(n);
      const C = binarySearchPerplexity(knn.distances, n, k, perplexity, betas);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        let H = 0;
        for (let m = 0; m < k; m++) {
          const p = C[i * k + m];
          sum += p;
          if (p > 0) H -= p * Math.log(p);
        }
        expect(sum).toBeCloseTo(1, 12);
        expect(Math.abs(H - Math.log(perplexity))).toBeLessThan(1e-4);
        expect(betas[i]).toBeGreaterThan(0);
      }
    }
  });

  it('symmetrises P: sums to 1, P_ij = P_ji = (p_j|i + p_i|j) / (2n)', () => {
    const perplexity = 10;
    const { P, k, neighbors } = jointProbabilitiesNN(X, perplexity);
    const D = dense(P);
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        total += D[i * n + j];
        expect(D[i * n + j]).toBe(D[j * n + i]);
      }
      for (let m = P.indptr[i] + 1; m < P.indptr[i + 1]; m++) expect(P.indices[m]).toBeGreaterThan(P.indices[m - 1]);
    }
    expect(total).toBeCloseTo(1, 12);
    const knn = kNearestNeighbors(X, k);
    const C = binarySearchPerplexity(knn.distances, n, k, perplexity);
    const cond = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let m = 0; m < k; m++) cond[i * n + neighbors[i * k + m]] = C[i * k + m];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(D[i * n + j]).toBeCloseTo((cond[i * n + j] + cond[j * n + i]) / (2 * n), 14);
      }
    }
    const again = symmetrizeJoint(knn.indices, C, n, k);
    expect(Array.from(again.data)).toEqual(Array.from(P.data));
  });

  it('finds the exact nearest neighbours (kd-tree vs brute force), nearest first, self excluded', () => {
    const { X: Z } = clusters(4, 100, 17, 5);
    const k = 20;
    const r = kNearestNeighbors(Z, k);
    const d = Z.n_features;
    for (let i = 0; i < Z.n_samples; i += 7) {
      const all: number[] = [];
      for (let j = 0; j < Z.n_samples; j++) {
        if (j === i) continue;
        let s = 0;
        for (let f = 0; f < d; f++) s += (Z.data[i * d + f] - Z.data[j * d + f]) ** 2;
        all.push(s);
      }
      all.sort((a, b) => a - b);
      for (let m = 0; m < k; m++) {
        expect(r.distances[i * k + m]).toBeCloseTo(all[m], 9);
        expect(r.indices[i * k + m]).not.toBe(i);
      }
    }
  });
});

describe('Barnes-Hut gradient', () => {
  for (const dim of [2, 3] as const) {
    it(`equals the exact gradient and KL with angle 0, and is close with angle 0.5 (${dim}-D)`, () => {
      const { X } = clusters(3, 40, 6, 2);
      const n = X.n_samples;
      const { P } = jointProbabilitiesNN(X, 10);
      const rs = new RandomState(9);
      const Y = new Float64Array(n * dim);
      for (let i = 0; i < Y.length; i++) Y[i] = 3 * rs.normal();
      const ref = exactGradient(P, Y, dim);
      const grad = new Float64Array(n * dim);
      const dof = Math.max(dim - 1, 1);
      const kl = bhGradient(P, Y, dim, 0, dof, grad, gradientWork(n, dim), true);
      expect(maxRelDiff(grad, ref.grad)).toBeLessThan(1e-10);
      expect(kl).toBeCloseTo(ref.kl, 10);
      const approx = new Float64Array(n * dim);
      const klApprox = bhGradient(P, Y, dim, 0.5, dof, approx, gradientWork(n, dim), true);
      expect(maxRelDiff(approx, ref.grad)).toBeLessThan(0.05);
      expect(Math.abs(klApprox - ref.kl) / ref.kl).toBeLessThan(0.02);
    });
  }

  it('skips exact duplicates as scikit-learn\'s tree does (no self interaction)', () => {
    // 3 points, two of them identical: with angle 0 the gradient still matches the exact one up to the
    // duplicate pair (which the tree drops, and whose exact force is 0 anyway)
    const Y = new Float64Array([0, 0, 1, 1, 1, 1]);
    const P: CSR = { n: 3, indptr: new Int32Array([0, 2, 4, 6]), indices: new Int32Array([1, 2, 0, 2, 0, 1]), data: new Float64Array(6).fill(1 / 6) };
    const grad = new Float64Array(6);
    bhGradient(P, Y, 2, 0, 1, grad, gradientWork(3, 2), false);
    for (const g of grad) expect(Number.isFinite(g)).toBe(true);
    expect(grad[2]).toBeCloseTo(grad[4], 15);
    expect(grad[0]).toBeCloseTo(-(grad[2] + grad[4]), 12);
  });
});

describe('TSNE estimator', () => {
  const { X, labels } = clusters(3, 50, 8, 4);

  it('gives the same embedding stepwise as fit for the same seed', () => {
    for (const init of ['pca', 'random'] as const) {
      const params = { perplexity: 15, max_iter: 300, init, random_state: 7 };
      const fit = fitTSNE(X, params);
      const t = new TSNE(X, params);
      const total = t.initializeFit();
      expect(total).toBe(300);
      let last = 0;
      for (let i = 0; i < total; i++) {
        const it = t.step();
        expect(it).toBe(i + 1);
        last = it;
      }
      expect(last).toBe(300);
      expect(t.done).toBe(true);
      expect(Array.from(t.embedding)).toEqual(Array.from(fit.embedding));
      expect(t.kl_divergence).toBe(fit.kl_divergence);
      expect(fit.n_iter).toBe(299);
    }
  });

  it('separates well-separated clusters and reports a KL close to a fresh evaluation', () => {
    const t = new TSNE(X, { perplexity: 15, max_iter: 500, random_state: 0 });
    const total = t.initializeFit();
    for (let i = 0; i < total; i++) t.step();
    expect(knnLabelAgreement(t.embedding, 2, labels)).toBeGreaterThan(0.97);
    const kl = t.klDivergence();
    expect(kl).toBeGreaterThan(0);
    expect(Math.abs(kl - t.kl_divergence) / kl).toBeLessThan(0.05);
  });

  it('is deterministic under random_state with random init, and different across seeds', () => {
    const a = fitTSNE(X, { init: 'random', random_state: 1, max_iter: 250 });
    const b = fitTSNE(X, { init: 'random', random_state: 1, max_iter: 250 });
    const c = fitTSNE(X, { init: 'random', random_state: 2, max_iter: 250 });
    expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
    expect(Array.from(a.embedding)).not.toEqual(Array.from(c.embedding));
  });

  it('restarts from a given embedding (init as Float64Array)', () => {
    const first = fitTSNE(X, { perplexity: 15, max_iter: 400, random_state: 0 });
    const before = knnLabelAgreement(first.embedding, 2, labels);
    const again = fitTSNE(X, { perplexity: 15, max_iter: 300, init: first.embedding, early_exaggeration: 1 });
    expect(knnLabelAgreement(again.embedding, 2, labels)).toBeGreaterThanOrEqual(before - 0.01);
    expect(again.kl_divergence).toBeLessThan(first.kl_divergence * 1.05);
  });

  it('embeds in 3-D with the octree', () => {
    // 3-D converges more slowly (scikit-learn's gradient for dof = 2 uses the kernel w itself as the
    // attraction factor). On these very data scikit-learn 1.2 ends at KL 0.86 (agreement 0.955) with PCA init,
    // and between 0.75 and 1.35 over six random inits; we end at 1.44 (0.877), between 0.94 and 1.39.
    const t = new TSNE(X, { n_components: 3, perplexity: 15, max_iter: 1000 });
    const total = t.initializeFit();
    let klAt300 = 0;
    for (let i = 0; i < total; i++) if (t.step() === 300) klAt300 = t.kl_divergence;
    expect(t.embedding.length).toBe(X.n_samples * 3);
    expect(t.kl_divergence).toBeLessThan(klAt300 * 0.75);
    expect(t.kl_divergence).toBeLessThan(1.6);
    expect(knnLabelAgreement(t.embedding, 3, labels)).toBeGreaterThan(0.85);
  });

  it('supports the cosine metric', () => {
    const r = fitTSNE(X, { metric: 'cosine', perplexity: 15, max_iter: 300 });
    expect(r.embedding.every(Number.isFinite)).toBe(true);
    expect(r.kl_divergence).toBeGreaterThan(0);
  });

  it('validates its parameters, naming them', () => {
    const small = clusters(2, 10, 3, 1).X;
    const cases: [object, string, RegExp][] = [
      [{ perplexity: 20 }, 'perplexity', /perplexity must be less than n_samples \(got 20, n_samples = 20\)/],
      [{ perplexity: -1 }, 'perplexity', /perplexity must be > 0 \(got -1\)/],
      [{ n_components: 4 }, 'n_components', /n_components must be 2 or 3/],
      [{ early_exaggeration: 0.5 }, 'early_exaggeration', /early_exaggeration must be >= 1 \(got 0.5\)/],
      [{ learning_rate: 0 }, 'learning_rate', /learning_rate must be > 0/],
      [{ max_iter: 100 }, 'max_iter', /max_iter must be >= 250 \(got 100\)/],
      [{ n_iter: 100 }, 'n_iter', /n_iter must be >= 250 \(got 100\)/],
      [{ angle: 1.5 }, 'angle', /angle must be between 0 and 1 \(got 1.5\)/],
      [{ metric: 'manhattan' }, 'metric', /metric must be one of/],
      [{ init: 'spectral' }, 'init', /init must be one of/],
      [{ init: new Float64Array(3) }, 'init', /init must have/],
      [{ random_state: 1.5 }, 'random_state', /random_state must be an integer/],
    ];
    for (const [params, param, message] of cases) {
      let err: unknown;
      try {
        new TSNE(small, { perplexity: 5, ...params } as any);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).param).toBe(param);
      expect((err as Error).message).toMatch(message);
    }
    expect(() => new TSNE({ data: new Float64Array([1, NaN, 2, 3, 4, 5]), n_samples: 3, n_features: 2 }, { perplexity: 1 })).toThrow(DataError);
    // n_iter is accepted as an alias of max_iter
    expect(new TSNE(small, { perplexity: 5, n_iter: 300 }).initializeFit()).toBe(300);
  });

  it('reports progress and stops when the signal is aborted', () => {
    const stages = new Set<string>();
    const ac = new AbortController();
    const t = new TSNE(X, { perplexity: 15 }, { signal: ac.signal, on_progress: (p) => stages.add(p.stage) });
    t.initializeFit();
    t.step();
    expect(stages.has('nearest neighbours')).toBe(true);
    expect(stages.has('affinities')).toBe(true);
    expect(stages.has('optimizing')).toBe(true);
    ac.abort();
    expect(() => t.step()).toThrow(CancelledError);
  });
});

describe('t-SNE vs tsne-js (exact t-SNE) on 160 points', () => {
  it('reaches a KL divergence comparable to tsne-js on the same data', () => {
    const { X, labels } = clusters(4, 40, 10, 8);
    const n = X.n_samples;
    const d = X.n_features;
    const ours = fitTSNE(X, { perplexity: 30, random_state: 0 });
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) rows.push(Array.from(X.data.subarray(i * d, (i + 1) * d)));
    const model = new TsneJs({ dim: 2, perplexity: 30, earlyExaggeration: 4, learningRate: 100, nIter: 1000, metric: 'euclidean' });
    model.init({ data: rows, type: 'dense' });
    const [theirError] = model.run() as [number, number];
    const theirs = Float64Array.from((model.getOutput() as number[][]).flat());
    // both embeddings scored with the same objective: exact KL with our sparse P
    const { P } = jointProbabilitiesNN(X, 30);
    const klOurs = exactGradient(P, ours.embedding, 2).kl;
    const klTheirs = exactGradient(P, theirs, 2).kl;
    console.log(`KL (our P): ours ${klOurs.toFixed(4)}, tsne-js ${klTheirs.toFixed(4)}; tsne-js own KL ${theirError.toFixed(4)}, ours reported ${ours.kl_divergence.toFixed(4)}`);
    expect(klOurs).toBeLessThan(klTheirs * 1.1);
    expect(Math.abs(ours.kl_divergence - klOurs) / klOurs).toBeLessThan(0.05);
    expect(ours.kl_divergence).toBeLessThan(theirError * 1.5);
    expect(knnLabelAgreement(ours.embedding, 2, labels)).toBeGreaterThanOrEqual(knnLabelAgreement(theirs, 2, labels) - 0.02);
  });
});

describe.skipIf(!HAVE_SHARED)('t-SNE on scikit-learn\'s toy shapes', () => {
  it('keeps the blobs apart (kNN label agreement > 0.95)', () => {
    const blobs = oracle('toy_shapes').datasets.find((s: any) => s.name === 'blobs');
    const n = blobs.X_std.length;
    const X = { data: Float64Array.from(blobs.X_std.flat()), n_samples: n, n_features: 2 };
    const r = fitTSNE(X, { perplexity: 30, random_state: 0 });
    expect(knnLabelAgreement(r.embedding, 2, blobs.y)).toBeGreaterThan(0.95);
  });
});

describe.skipIf(!HAVE_SHARED)('t-SNE vs scikit-learn on cc_general (8950 x 17, 1000 iterations)', () => {
  it(
    'KL within 5 % of the oracle, trustworthiness on the oracle subsample >= oracle - 0.01',
    () => {
      const ref = oracle('cc_general').tsne;
      const X = ccStandardized();
      const t0 = performance.now();
      const stages: Record<string, number> = {};
      let stage = '';
      let stageStart = t0;
      const r = fitTSNE(X, { n_components: 2, perplexity: 30, init: 'pca', learning_rate: 'auto', max_iter: 1000, angle: 0.5, early_exaggeration: 12 }, {
        on_progress: (p) => {
          if (p.stage !== stage) {
            const now = performance.now();
            if (stage) stages[stage] = (stages[stage] ?? 0) + (now - stageStart) / 1000;
            stage = p.stage;
            stageStart = now;
          }
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      stages[stage] = (stages[stage] ?? 0) + (performance.now() - stageStart) / 1000;
      const idx: number[] = ref.trustworthiness.subsample_indices;
      const d = X.n_features;
      const Xs = new Float64Array(idx.length * d);
      const Es = new Float64Array(idx.length * 2);
      idx.forEach((i, m) => {
        Xs.set(X.data.subarray(i * d, (i + 1) * d), m * d);
        Es.set(r.embedding.subarray(i * 2, i * 2 + 2), m * 2);
      });
      const tw = trustworthiness({ data: Xs, n_samples: idx.length, n_features: d }, Es, ref.trustworthiness.n_neighbors);
      console.log(
        `t-SNE cc_general: ${seconds.toFixed(1)} s (${Object.entries(stages).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}); ` +
          `KL ${r.kl_divergence.toFixed(4)} (oracle ${ref.kl_divergence.toFixed(4)}), trustworthiness ${tw.toFixed(4)} (oracle ${ref.trustworthiness.value.toFixed(4)}), n_iter ${r.n_iter}`,
      );
      expect(Math.abs(r.kl_divergence - ref.kl_divergence) / ref.kl_divergence).toBeLessThan(0.05);
      expect(tw).toBeGreaterThanOrEqual(ref.trustworthiness.value - 0.01);
      expect(r.n_iter).toBe(ref.n_iter);
    },
    900_000,
  );
});
