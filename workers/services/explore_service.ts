/**
 * The explore worker's state and operations: it holds the prepared matrix and the chosen columns in original units
 * (one data set at a time, keyed) and answers the correlation matrix of the features (with the clustered order) and
 * the box-plot statistics of every feature, over every row or per cluster. Framework-free: runs in Node too.
 */
import type { Outcome } from '../../src/jobs/protocol.ts';
import type { Matrix } from '../engine/types.ts';
import { DataError, ParameterError } from '../engine/errors.ts';
import { CORRELATION_METHODS, clusteredOrder, correlationMatrix, featureDistributions, type CorrelationMethod, type FeatureDistribution } from '../engine/data/explore.ts';
import { outcome } from './outcome.ts';

export interface ExploreData {
  key: string;
  /** Preprocessed (imputed, log1p, scaled), row-major. */
  X: Float64Array;
  /** Chosen columns in original units, NaN = missing. */
  raw: Float64Array;
  n_samples: number;
  n_features: number;
  features: string[];
}

/** Which values are correlated: original units (missing cells skipped pairwise) or what the clustering sees. */
export type CorrelationSpace = 'original' | 'preprocessed';
export const CORRELATION_SPACES: readonly CorrelationSpace[] = ['original', 'preprocessed'];

export interface CorrelationAnswer {
  method: CorrelationMethod;
  space: CorrelationSpace;
  features: string[];
  /** d x d row-major (NaN where undefined: a column without spread). */
  r: Float64Array;
  n_pairs: Int32Array;
  /** Feature indices in the clustered order (average linkage on 1 - |r|). */
  order: number[];
  seconds: number;
}

export interface DistributionsAnswer {
  features: FeatureDistribution[];
  /** Whether the boxes are per cluster. */
  by_cluster: boolean;
  seconds: number;
}

export class ExploreService {
  private data: ExploreData | null = null;

  setData(d: ExploreData): void {
    if (this.data?.key === d.key) return;
    if (d.raw.length !== d.n_samples * d.n_features || d.X.length !== d.n_samples * d.n_features) {
      throw new DataError('data', `expected ${d.n_samples} x ${d.n_features} values`);
    }
    this.data = d;
  }

  hasData(key: string): boolean {
    return this.data?.key === key;
  }

  private get(key: string): ExploreData {
    if (!this.data || this.data.key !== key) throw new DataError('data', 'the explore worker does not hold this data (reload it)');
    return this.data;
  }

  private matrix(d: ExploreData, space: CorrelationSpace): Matrix {
    return { data: space === 'original' ? d.raw : d.X, n_samples: d.n_samples, n_features: d.n_features };
  }

  correlation(key: string, method: CorrelationMethod, space: CorrelationSpace = 'original'): Promise<Outcome<CorrelationAnswer>> {
    return outcome(() => {
      const t0 = performance.now();
      if (!CORRELATION_METHODS.includes(method)) throw new ParameterError('method', `method must be "pearson" or "spearman" (got ${JSON.stringify(method)})`);
      if (!CORRELATION_SPACES.includes(space)) throw new ParameterError('space', `values must be "original" or "preprocessed" (got ${JSON.stringify(space)})`);
      const d = this.get(key);
      const c = correlationMatrix(this.matrix(d, space), method);
      const order = Array.from(clusteredOrder(c.r, c.n_features));
      return { method, space, features: [...d.features], r: c.r, n_pairs: c.n_pairs, order, seconds: (performance.now() - t0) / 1000 };
    });
  }

  /** Box statistics in original units: over every row, or per cluster of `labels` (noise = -1 as its own group). */
  distributions(key: string, labels: Int32Array | null, max_outliers = 100): Promise<Outcome<DistributionsAnswer>> {
    return outcome(() => {
      const t0 = performance.now();
      const d = this.get(key);
      const features = featureDistributions(this.matrix(d, 'original'), d.features, labels, max_outliers);
      return { features, by_cluster: labels !== null, seconds: (performance.now() - t0) / 1000 };
    });
  }
}
