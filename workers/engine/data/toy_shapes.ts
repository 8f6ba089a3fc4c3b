/**
 * The six 2-D data sets of scikit-learn's "Comparing different clustering algorithms on toy datasets", generated here
 * the way make_circles / make_moons / make_blobs generate them (our own seeded RNG, so not NumPy's exact points).
 * Only the columns x and y: the true labels are left out so the sets are clustered blind.
 */
import { RandomState } from '../util/random.ts';
import type { RawTable } from './csv.ts';
import { tableFromColumns } from './table_util.ts';

export type ToyShape = 'circles' | 'moons' | 'varied' | 'aniso' | 'blobs' | 'no-structure';
export const TOY_SHAPES: readonly ToyShape[] = ['circles', 'moons', 'varied', 'aniso', 'blobs', 'no-structure'];

export interface Points2D {
  x: Float64Array;
  y: Float64Array;
  /** Generating component per point (-1 for no-structure). */
  truth: Int32Array;
}

const SEED = 170;

function shuffle(p: Points2D, rng: RandomState): Points2D {
  const perm = rng.permutation(p.x.length);
  return {
    x: Float64Array.from(perm, (i) => p.x[i]),
    y: Float64Array.from(perm, (i) => p.y[i]),
    truth: Int32Array.from(perm, (i) => p.truth[i]),
  };
}

/** make_circles(n_samples, factor, noise): an outer circle and an inner one of radius `factor`. */
export function makeCircles(n = 500, factor = 0.5, noise = 0.05, seed = SEED): Points2D {
  const rng = new RandomState(seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const truth = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut;
    x[i] = Math.cos(t);
    y[i] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    x[nOut + i] = factor * Math.cos(t);
    y[nOut + i] = factor * Math.sin(t);
    truth[nOut + i] = 1;
  }
  const p = shuffle({ x, y, truth }, rng);
  for (let i = 0; i < n; i++) {
    p.x[i] += noise * rng.normal();
    p.y[i] += noise * rng.normal();
  }
  return p;
}

/** make_moons(n_samples, noise): two interleaving half circles. */
export function makeMoons(n = 500, noise = 0.05, seed = SEED): Points2D {
  const rng = new RandomState(seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const truth = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = nOut > 1 ? (Math.PI * i) / (nOut - 1) : 0;
    x[i] = Math.cos(t);
    y[i] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = nIn > 1 ? (Math.PI * i) / (nIn - 1) : 0;
    x[nOut + i] = 1 - Math.cos(t);
    y[nOut + i] = 1 - Math.sin(t) - 0.5;
    truth[nOut + i] = 1;
  }
  const p = shuffle({ x, y, truth }, rng);
  for (let i = 0; i < n; i++) {
    p.x[i] += noise * rng.normal();
    p.y[i] += noise * rng.normal();
  }
  return p;
}

/** make_blobs(n_samples, centers=3, cluster_std): isotropic Gaussian blobs, centres uniform in [-10, 10]^2. */
export function makeBlobs(n = 500, clusterStd: number[] = [1, 1, 1], seed = SEED): Points2D {
  const rng = new RandomState(seed);
  const k = clusterStd.length;
  const centers: [number, number][] = [];
  for (let c = 0; c < k; c++) centers.push([-10 + 20 * rng.random(), -10 + 20 * rng.random()]);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const truth = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < k; c++) {
    const m = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let t = 0; t < m; t++, i++) {
      x[i] = centers[c][0] + clusterStd[c] * rng.normal();
      y[i] = centers[c][1] + clusterStd[c] * rng.normal();
      truth[i] = c;
    }
  }
  return shuffle({ x, y, truth }, rng);
}

/** Points of one toy shape (500 by default). */
export function toyPoints(shape: ToyShape, n = 500): Points2D {
  switch (shape) {
    case 'circles':
      return makeCircles(n, 0.5, 0.05);
    case 'moons':
      return makeMoons(n, 0.05);
    case 'varied':
      return makeBlobs(n, [1.0, 2.5, 0.5]);
    case 'aniso': {
      const p = makeBlobs(n, [1, 1, 1]);
      for (let i = 0; i < n; i++) {
        const a = p.x[i];
        const b = p.y[i];
        // X @ [[0.6, -0.6], [-0.4, 0.8]]
        p.x[i] = 0.6 * a - 0.4 * b;
        p.y[i] = -0.6 * a + 0.8 * b;
      }
      return p;
    }
    case 'blobs':
      return makeBlobs(n, [1, 1, 1], SEED + 1);
    case 'no-structure': {
      const rng = new RandomState(SEED);
      const x = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = rng.random();
        y[i] = rng.random();
      }
      return { x, y, truth: new Int32Array(n).fill(-1) };
    }
  }
}

/** A toy shape as a table with columns x, y. */
export function toyTable(shape: ToyShape, n = 500): RawTable {
  const p = toyPoints(shape, n);
  return tableFromColumns(`${shape}.csv`, [
    { name: 'x', values: p.x },
    { name: 'y', values: p.y },
  ]);
}
