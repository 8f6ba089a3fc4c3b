import { describe, it, expect } from 'vitest';
import {
  fitGaussianMixture,
  gmmModel,
  gmmPredict,
  gmmPredictProba,
  gmmScore,
  gmmScoreSamples,
  gmmBic,
  gmmAic,
  gmmNParameters,
  GaussianMixtureRun,
  type CovarianceType,
} from '../../workers/engine/mixture/gaussian_mixture.ts';
import { choleskyLower, invertLower } from '../../workers/engine/linalg/cholesky.ts';
import { NumpyRandomState } from '../../workers/engine/util/numpy_random.ts';
import { adjustedRandScore } from '../../workers/engine/metrics/contingency.ts';
import { ParameterError, CancelledError } from '../../workers/engine/errors.ts';
import type { Matrix } from '../../workers/engine/types.ts';
import { HAVE_SHARED, ccStandardized, oracle, relClose } from '../helpers/shared.ts';

function fromRows(rows: number[][]): Matrix {
  const d = rows[0].length;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n_samples: rows.length, n_features: d };
}

/** Two well separated 2-D groups (60 and 40 points) from a seeded stream, with their true membership. */
function twoBlobs(): { X: Matrix; truth: Int32Array } {
  const rng = new NumpyRandomState(5);
  const g = () => {
    // Box-Muller on NumPy-stream uniforms (any seeded normal will do)
    const u = 1 - rng.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.random());
  };
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 60; i++) {
    rows.push([g() * 0.5, g() * 1.5]);
    truth.push(0);
  }
  for (let i = 0; i < 40; i++) {
    rows.push([10 + g(), -8 + g() * 0.3]);
    truth.push(1);
  }
  return { X: fromRows(rows), truth: Int32Array.from(truth) };
}

describe.skipIf(!HAVE_SHARED)('GaussianMixture vs scikit-learn (cc_general, full)', () => {
  const cases = () => oracle('cc_general').gmm as any[];

  it('default fit (random_state 0): BIC within 1 %, lower bound no worse than 1 %, same labels', () => {
    const X = ccStandardized();
    expect(cases().length).toBe(4);
    for (const g of cases()) {
      const r = fitGaussianMixture(X, { n_components: g.n_components, covariance_type: 'full', random_state: 0 });
      expect(Math.abs(r.bic - g.bic)).toBeLessThanOrEqual(0.01 * Math.abs(g.bic));
      expect(r.lower_bound).toBeGreaterThanOrEqual(g.lower_bound - 0.01 * Math.abs(g.lower_bound));
      expect(r.converged).toBe(g.converged);
      expect(r.n_parameters).toBe(g.n_parameters);
      expect(relClose(r.aic, -2 * gmmScore(r, X) * X.n_samples + 2 * r.n_parameters, 1e-12)).toBe(true);
      // the k-means initialisation follows scikit-learn's NumPy stream, so the fit itself is reproduced
      expect(adjustedRandScore(r.labels, Int32Array.from(g.labels))).toBeGreaterThanOrEqual(0.99);
      expect(r.labels).toEqual(gmmPredict(r, X));
    }
  });

  it("with the oracle's weights, means and covariances: score, BIC and AIC to 1e-6, same predictions", () => {
    const X = ccStandardized();
    for (const g of cases()) {
      const m = gmmModel('full', Float64Array.from(g.weights), Float64Array.from(g.means.flat()), Float64Array.from(g.covariances.flat(2)));
      expect(relClose(gmmScore(m, X), g.mean_log_likelihood, 1e-6)).toBe(true);
      expect(relClose(gmmBic(m, X), g.bic, 1e-6)).toBe(true);
      expect(relClose(gmmAic(m, X), g.aic, 1e-6)).toBe(true);
      expect(adjustedRandScore(gmmPredict(m, X), Int32Array.from(g.labels))).toBe(1);
    }
  });

  it("with the oracle's means as means_init: the oracle's labels (k = 2, 3)", () => {
    // (scikit-learn itself ends elsewhere from means_init for k = 4 and 6: its covariances still start from the
    // k-means responsibilities, so the first E-step mixes final means with initial covariances)
    const X = ccStandardized();
    for (const g of cases().filter((c) => c.n_components <= 3)) {
      const r = fitGaussianMixture(X, { n_components: g.n_components, means_init: g.means });
      expect(adjustedRandScore(r.labels, Int32Array.from(g.labels))).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('stepwise run equals fit; progress and cancellation', () => {
    const X = ccStandardized();
    const params = { n_components: 3, covariance_type: 'diag', n_init: 2, random_state: 4 } as const;
    const run = new GaussianMixtureRun(X, params);
    expect(run.initializeFit()).toBe(200);
    while (!run.step());
    const a = run.result();
    const seen: number[] = [];
    const b = fitGaussianMixture(X, params, { on_progress: (p) => seen.push(p.fraction) });
    expect(a.labels).toEqual(b.labels);
    expect(a.means).toEqual(b.means);
    expect(a.lower_bound).toBe(b.lower_bound);
    expect(a.n_iter).toBe(b.n_iter);
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(1);
    const ac = new AbortController();
    let calls = 0;
    expect(() =>
      fitGaussianMixture(X, { n_components: 4, tol: 0, max_iter: 50 }, {
        signal: ac.signal,
        on_progress: () => {
          if (++calls === 2) ac.abort();
        },
      }),
    ).toThrow(CancelledError);
  });
});

describe('GaussianMixture: hand-checked small cases', () => {
  const X = fromRows([[0, 0], [2, 0], [0, 1], [2, 3], [1, 1]]);
  // mean (1, 1); population covariance [[0.8, 0.4], [0.4, 1.2]]
  const mean = [1, 1];
  const cov = [0.8, 0.4, 0.4, 1.2];
  const reg = 1e-6;

  function gaussLogPdf(x: number[], mu: number[], S: number[]): number {
    const det = S[0] * S[3] - S[1] * S[2];
    const a = x[0] - mu[0];
    const b = x[1] - mu[1];
    const q = (S[3] * a * a - (S[1] + S[2]) * a * b + S[0] * b * b) / det;
    return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
  }

  const expectedCov: Record<CovarianceType, number[]> = {
    full: [cov[0] + reg, cov[1], cov[2], cov[3] + reg],
    tied: [cov[0] + reg, cov[1], cov[2], cov[3] + reg],
    diag: [cov[0] + reg, cov[3] + reg],
    spherical: [(cov[0] + cov[3]) / 2 + reg],
  };
  const asFull = (t: CovarianceType, c: number[]) =>
    t === 'full' || t === 'tied' ? c : t === 'diag' ? [c[0], 0, 0, c[1]] : [c[0], 0, 0, c[0]];

  for (const t of ['full', 'tied', 'diag', 'spherical'] as const) {
    it(`one component, ${t}: sample mean and covariance, closed-form log-likelihood`, () => {
      const r = fitGaussianMixture(X, { n_components: 1, covariance_type: t });
      expect(Array.from(r.weights)).toEqual([1]);
      r.means.forEach((v, i) => expect(v).toBeCloseTo(mean[i], 12));
      expect(r.covariances.length).toBe(expectedCov[t].length);
      r.covariances.forEach((v, i) => expect(v).toBeCloseTo(expectedCov[t][i], 12));
      // the first M-step already gives the final parameters: the bound stops changing at iteration 2
      expect(r.n_iter).toBe(2);
      expect(r.converged).toBe(true);
      const S = asFull(t, expectedCov[t]);
      const rows = [[0, 0], [2, 0], [0, 1], [2, 3], [1, 1]];
      const ll = rows.map((x) => gaussLogPdf(x, mean, S));
      const mll = ll.reduce((s, v) => s + v, 0) / rows.length;
      expect(gmmScore(r, X)).toBeCloseTo(mll, 10);
      expect(r.lower_bound).toBeCloseTo(mll, 10);
      Array.from(gmmScoreSamples(r, X)).forEach((v, i) => expect(v).toBeCloseTo(ll[i], 10));
      const p = gmmNParameters(t, 1, 2);
      expect(r.n_parameters).toBe(p);
      expect(r.bic).toBeCloseTo(-2 * mll * 5 + p * Math.log(5), 8);
      expect(r.aic).toBeCloseTo(-2 * mll * 5 + 2 * p, 8);
    });

    it(`two separated groups, ${t}: recovered with their weights and means`, () => {
      const { X: B, truth } = twoBlobs();
      // (tied from k-means++ seeds or random responsibilities stalls within tol at a poor point after 2-3
      // iterations in scikit-learn too - same weights, means and n_iter - so tied is checked from k-means only)
      const inits = t === 'tied' ? (['kmeans'] as const) : (['kmeans', 'k-means++', 'random'] as const);
      for (const init of inits) {
        const r = fitGaussianMixture(B, { n_components: 2, covariance_type: t, init_params: init, n_init: 2, random_state: 1 });
        expect(adjustedRandScore(r.labels, truth)).toBe(1);
        const c0 = r.labels[0];
        expect(r.weights[c0]).toBeCloseTo(0.6, 6);
        expect(r.weights[1 - c0]).toBeCloseTo(0.4, 6);
        expect(Math.abs(r.means[(1 - c0) * 2] - 10)).toBeLessThan(0.5);
        const proba = gmmPredictProba(r, B);
        for (let i = 0; i < B.n_samples; i++) expect(proba[i * 2] + proba[i * 2 + 1]).toBeCloseTo(1, 12);
        expect(gmmPredict(r, fromRows([[10, -8], [0, 0]]))).toEqual(Int32Array.from([1 - c0, c0]));
      }
    });
  }

  it('number of parameters as scikit-learn counts them', () => {
    expect(gmmNParameters('full', 2, 2)).toBe(11);
    expect(gmmNParameters('tied', 2, 2)).toBe(8);
    expect(gmmNParameters('diag', 2, 2)).toBe(9);
    expect(gmmNParameters('spherical', 2, 2)).toBe(7);
    expect(gmmNParameters('full', 4, 17)).toBe(4 * 153 + 68 + 3);
  });

  it('cholesky helpers', () => {
    const A = new Float64Array([4, 2, 2, 2, 5, 1, 2, 1, 6]);
    const L = new Float64Array(9);
    expect(choleskyLower(A, 3, L)).toBe(true);
    // L L^T = A
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let p = 0; p < 3; p++) s += L[i * 3 + p] * L[j * 3 + p];
      expect(s).toBeCloseTo(A[i * 3 + j], 12);
    }
    const inv = invertLower(L, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let p = 0; p < 3; p++) s += L[i * 3 + p] * inv[p * 3 + j];
      expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
    }
    expect(choleskyLower(new Float64Array([1, 2, 2, 1]), 2)).toBe(false);
  });

  it('NumPy RandomState stream (reference values printed by numpy.random.RandomState)', () => {
    // numpy.random.RandomState(0): randint(8950) x3 -> 2732, 3264, 4859; uniform(size=3); random_sample();
    // permutation(10); randint(5)
    const r = new NumpyRandomState(0);
    expect([r.randint(8950), r.randint(8950), r.randint(8950)]).toEqual([2732, 3264, 4859]);
    expect([r.random(), r.random(), r.random()]).toEqual([0.5448831829968969, 0.4236547993389047, 0.6458941130666561]);
    expect(r.random()).toBe(0.4375872112626925);
    expect(Array.from(r.permutation(10))).toEqual([9, 7, 3, 5, 1, 2, 4, 0, 8, 6]);
    expect(r.randint(5)).toBe(1);
    // RandomState(12345): randint(2**31 - 1), random_sample()
    const q = new NumpyRandomState(12345);
    expect(q.randint(2 ** 31 - 1)).toBe(1845187042);
    expect(q.random()).toBe(0.8901547142593231);
  });

  it('validation names the parameter', () => {
    const err = (p: any, data: Matrix = X) => {
      try {
        fitGaussianMixture(data, p);
      } catch (e) {
        expect(e).toBeInstanceOf(ParameterError);
        return e as ParameterError;
      }
      throw new Error('expected a ParameterError');
    };
    let e = err({ n_components: 6 });
    expect(e.param).toBe('n_components');
    expect(e.message).toBe('Expected n_samples >= n_components but got n_components = 6, n_samples = 5');
    expect(err({ n_components: 0 }).param).toBe('n_components');
    expect(err({ covariance_type: 'general' }).param).toBe('covariance_type');
    e = err({ reg_covar: -1 });
    expect(e.param).toBe('reg_covar');
    expect(e.message).toBe('reg_covar must be >= 0 (got -1)');
    expect(err({ tol: -0.1 }).param).toBe('tol');
    expect(err({ max_iter: 0 }).param).toBe('max_iter');
    expect(err({ n_init: 0 }).param).toBe('n_init');
    expect(err({ init_params: 'kmeans++' }).param).toBe('init_params');
    expect(err({ n_components: 2, means_init: [[0, 0]] }).param).toBe('means_init');
    expect(err({ n_components: 2, means_init: [[0, 0], [1]] }).param).toBe('means_init');
    // collapsed samples with no regularisation: the covariance is singular
    e = err({ n_components: 1, reg_covar: 0 }, fromRows([[1, 1], [1, 1], [1, 1]]));
    expect(e.param).toBe('reg_covar');
    expect(e.message).toContain('ill-defined empirical covariance');
  });
});
