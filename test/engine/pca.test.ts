import { describe, it, expect } from 'vitest';
import { fitPCA, transformPCA } from '../../workers/engine/decomposition/pca.ts';
import { eighSymmetric } from '../../workers/engine/linalg/eigen_symmetric.ts';
import { ParameterError, DataError } from '../../workers/engine/errors.ts';
import { RandomState } from '../../workers/engine/util/random.ts';
import { HAVE_SHARED, oracle, ccStandardized, relClose } from '../helpers/shared.ts';

function randomSymmetric(d: number, seed: number): Float64Array {
  const rs = new RandomState(seed);
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rs.normal();
      A[i * d + j] = v;
      A[j * d + i] = v;
    }
  }
  return A;
}

describe('eighSymmetric', () => {
  for (const d of [1, 2, 5, 17, 60]) {
    it(`A v = lambda v, orthonormal vectors, descending values (d=${d})`, () => {
      const A = randomSymmetric(d, d);
      const { values, vectors } = eighSymmetric(A, d);
      let maxResidual = 0;
      let maxOrtho = 0;
      for (let k = 0; k < d; k++) {
        if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += A[i * d + j] * vectors[k * d + j];
          maxResidual = Math.max(maxResidual, Math.abs(s - values[k] * vectors[k * d + i]));
        }
        for (let l = 0; l < d; l++) {
          let dot = 0;
          for (let j = 0; j < d; j++) dot += vectors[k * d + j] * vectors[l * d + j];
          maxOrtho = Math.max(maxOrtho, Math.abs(dot - (k === l ? 1 : 0)));
        }
      }
      expect(maxResidual).toBeLessThan(1e-10);
      expect(maxOrtho).toBeLessThan(1e-12);
    });
  }

  it('handles a diagonal matrix with repeated values and zeros', () => {
    const A = new Float64Array([3, 0, 0, 0, 0, 0, 0, 0, 3]);
    const { values } = eighSymmetric(A, 3);
    expect(Array.from(values)).toEqual([3, 3, 0]);
  });
});

describe('fitPCA on small data', () => {
  const X = { data: new Float64Array([2, 0, 0, 1, 4, 2, 6, 3, -1, 5]), n_samples: 5, n_features: 2 };

  it('reconstructs the data with all components and matches transformPCA', () => {
    const r = fitPCA(X);
    expect(r.n_components).toBe(2);
    const again = transformPCA(r, X);
    for (let i = 0; i < again.length; i++) expect(again[i]).toBeCloseTo(r.transformed[i], 12);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 2; j++) {
        let v = r.mean[j];
        for (let c = 0; c < 2; c++) v += r.transformed[i * 2 + c] * r.components[c * 2 + j];
        expect(v).toBeCloseTo(X.data[i * 2 + j], 12);
      }
    }
    let sum = 0;
    for (const v of r.explained_variance_ratio) sum += v;
    expect(sum).toBeCloseTo(1, 12);
  });

  it('gives the sample with the largest |score| a positive score', () => {
    const r = fitPCA(X, { n_components: 2 });
    for (let c = 0; c < 2; c++) {
      let best = 0;
      for (let i = 0; i < 5; i++) if (Math.abs(r.transformed[i * 2 + c]) > Math.abs(best)) best = r.transformed[i * 2 + c];
      expect(best).toBeGreaterThan(0);
    }
  });

  it('validates n_components and data', () => {
    expect(() => fitPCA(X, { n_components: 3 })).toThrow(ParameterError);
    expect(() => fitPCA(X, { n_components: 3 })).toThrow(/n_components must be between 1 and min\(n_samples, n_features\) = 2 \(got 3\)/);
    expect(() => fitPCA(X, { n_components: 0 })).toThrow(/got 0/);
    expect(() => fitPCA(X, { n_components: 1.5 })).toThrow(/must be an integer/);
    expect(() => fitPCA({ data: new Float64Array([1, 2]), n_samples: 1, n_features: 2 })).toThrow(DataError);
    expect(() => fitPCA({ data: new Float64Array([1, NaN, 2, 3]), n_samples: 2, n_features: 2 })).toThrow(DataError);
    const m = fitPCA(X, { n_components: 1 });
    expect(() => transformPCA(m, { data: new Float64Array(3), n_samples: 1, n_features: 3 })).toThrow(DataError);
  });

  it('stops when the signal is aborted', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => fitPCA(X, {}, { signal: ac.signal })).toThrow(/cancelled/);
  });
});

describe.skipIf(!HAVE_SHARED)('fitPCA vs scikit-learn (cc_general)', () => {
  for (const k of [2, 3]) {
    it(`n_components=${k}: components, variances, singular values, scores to 1e-6`, () => {
      const ref = oracle('cc_general').pca.find((p: any) => p.n_components === k);
      expect(ref).toBeTruthy();
      const X = ccStandardized();
      const r = fitPCA(X, { n_components: k });
      const d = X.n_features;
      expect(r.n_components).toBe(k);
      expect(r.n_features).toBe(d);
      for (let c = 0; c < k; c++) {
        expect(relClose(r.explained_variance[c], ref.explained_variance[c], 1e-6)).toBe(true);
        expect(relClose(r.explained_variance_ratio[c], ref.explained_variance_ratio[c], 1e-6)).toBe(true);
        expect(relClose(r.singular_values[c], ref.singular_values[c], 1e-6)).toBe(true);
        for (let j = 0; j < d; j++) expect(Math.abs(r.components[c * d + j] - ref.components[c][j])).toBeLessThan(1e-6);
      }
      for (let j = 0; j < d; j++) expect(Math.abs(r.mean[j] - ref.mean[j])).toBeLessThan(1e-12);
      ref.transformed_first_rows.forEach((row: number[], i: number) => {
        for (let c = 0; c < k; c++) expect(Math.abs(r.transformed[i * k + c] - row[c])).toBeLessThan(1e-6);
      });
    });
  }
});
